"""/v2.0/subnets: create, list, show, update, delete."""

from __future__ import annotations

import ipaddress
from typing import Any

import webob

from nova_lite.api import wsgi
from nova_lite.common import exception
from nova_lite.network.rest import common, errors, listing, networks, schemas, views

FILTERS = {
    'id': listing.Filter('id'), 'name': listing.Filter('name'),
    'network_id': listing.Filter('network_id'),
    'ip_version': listing.Filter('ip_version', listing.integer),
    'cidr': listing.Filter('cidr', listing.cidr),
    'gateway_ip': listing.Filter('gateway_ip', listing.ip_address),
    'enable_dhcp': listing.Filter('enable_dhcp', listing.boolean),
    **networks.PROJECT_FILTERS,
}

_CREATABLE = {'name': 'name', 'enable_dhcp': 'enable_dhcp',
              'dns_nameservers': 'dns_nameservers', 'allocation_pools': 'allocation_pools'}


def _ip_version(fields: dict[str, Any]) -> int:
    """The given ip_version, else the version of the cidr (4 when it is not one)."""
    if 'ip_version' in fields:
        return int(fields['ip_version'])
    try:
        return ipaddress.ip_network(fields['cidr'].strip(), strict=False).version
    except ValueError:
        return 4


class SubnetsController:
    def __init__(self, deps: common.Dependencies) -> None:
        self._deps = deps
        self._networks = deps.networks

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.SUBNET_CREATE, 'subnet')
        network = self._networks.get_network(ctx, fields['network_id'])
        requested = common.requested_project(fields, ctx)
        if (('project_id' in fields or 'tenant_id' in fields)
                and requested != network['project_id']):
            raise exception.InvalidInput(
                field='project_id', reason="a subnet belongs to its network's project "
                                           f"{network['project_id']}")
        self._deps.authorize(ctx, 'create_subnet', network['project_id'])
        gateway: dict[str, Any] = {}
        if 'gateway_ip' in fields:
            gateway = ({'no_gateway': True} if fields['gateway_ip'] is None
                       else {'gateway_ip': fields['gateway_ip']})
        created = self._networks.create_subnet(
            ctx, network_id=network['id'], cidr=fields['cidr'], ip_version=_ip_version(fields),
            **gateway, **common.only(fields, _CREATABLE))
        return wsgi.json_response(201, {'subnet': views.subnet(created)})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self._deps.authorize(ctx, 'get_subnet')
        return common.list_response(self._deps, req, 'subnets', 'subnets',
                                    self._networks.list_subnets(ctx), views.subnet, FILTERS)

    def show(self, req: wsgi.Request, subnet_id: str) -> webob.Response:
        ctx = req.context
        self._deps.authorize(ctx, 'get_subnet')
        return common.show_response(req, 'subnet',
                                    views.subnet(self._networks.get_subnet(ctx, subnet_id)))

    def update(self, req: wsgi.Request, subnet_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.SUBNET_UPDATE, 'subnet')
        current = self._networks.get_subnet(ctx, subnet_id)
        self._deps.authorize(ctx, 'update_subnet', current['project_id'])
        updated = self._networks.update_subnet(ctx, subnet_id,
                                               **common.only(fields, _CREATABLE))
        return wsgi.json_response(200, {'subnet': views.subnet(updated)})

    def delete(self, req: wsgi.Request, subnet_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_subnet(ctx, subnet_id)
        self._deps.authorize(ctx, 'delete_subnet', current['project_id'])
        try:
            self._networks.delete_subnet(ctx, subnet_id)
        except exception.Conflict as exc:
            raise errors.SubnetInUse(exc.message) from exc
        return wsgi.json_response(204)
