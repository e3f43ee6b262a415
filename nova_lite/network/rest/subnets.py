"""/v2.0/subnets: create, list, show, update, delete."""

from __future__ import annotations

import ipaddress
from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.network.rest import bulk, common, errors, listing, schemas, subnet_pools, views

_CREATABLE = {'name': 'name', 'enable_dhcp': 'enable_dhcp',
              'dns_nameservers': 'dns_nameservers', 'allocation_pools': 'allocation_pools',
              'host_routes': 'host_routes', 'description': 'description'}
_IPV6_MODES = {'ipv6_ra_mode': 'ipv6_ra_mode', 'ipv6_address_mode': 'ipv6_address_mode'}


def _gateway(fields: dict[str, Any]) -> dict[str, Any]:
    """``gateway_ip`` as the manager's arguments: ``null`` means no gateway."""
    if 'gateway_ip' not in fields:
        return {}
    return ({'no_gateway': True} if fields['gateway_ip'] is None
            else {'gateway_ip': fields['gateway_ip']})


def _ip_version(fields: dict[str, Any]) -> int:
    """The given ip_version, else the version of the cidr (4 when it is not one)."""
    if 'ip_version' in fields:
        return int(fields['ip_version'])
    if not isinstance(fields.get('cidr'), str):
        return 4
    try:
        return ipaddress.ip_network(fields['cidr'].strip(), strict=False).version
    except ValueError:
        return 4


def _refuse_read_only(body: Any) -> None:
    """The IPv6 modes are set at creation only (neutron's allow_put False)."""
    inner = body.get('subnet') if isinstance(body, dict) else None
    for field in _IPV6_MODES:
        if isinstance(inner, dict) and field in inner:
            raise exception.InvalidInput(field=field,
                                         reason='cannot update read-only attribute')


class SubnetsController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        return routing.crud(f'{common.API_PATH}/subnets', 'subnet_id', self)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        body = req.read_json(required=True)
        if bulk.is_bulk(body, 'subnets'):
            items = bulk.read_items(body, schemas.SUBNET_CREATE, 'subnet', 'subnets')
            return bulk.response('subnets', bulk.create_all(
                items, lambda fields: self._create_one(ctx, fields),
                lambda created: self._networks.delete_subnet(ctx, created['id'])))
        fields = common.body_fields(body, schemas.SUBNET_CREATE, 'subnet')
        return wsgi.json_response(201, {'subnet': self._create_one(ctx, fields)})

    def _create_one(self, ctx: nl_context.RequestContext,
                    fields: dict[str, Any]) -> dict[str, Any]:
        network = self._networks.get_network(ctx, fields['network_id'])
        requested = common.requested_project(fields, ctx)
        if (('project_id' in fields or 'tenant_id' in fields)
                and requested != network['project_id']):
            raise exception.InvalidInput(
                field='project_id', reason="a subnet belongs to its network's project "
                                           f"{network['project_id']}")
        self.authorizer.authorize(ctx, 'create_subnet', project_id=network['project_id'])
        pool = subnet_pools.pool_request(fields)
        if pool is None and fields.get('cidr') is None:
            raise exception.InvalidInput(
                field='subnet.cidr', reason="'cidr' is a required property unless the "
                                           'subnet comes from a subnet pool')
        created = self._networks.create_subnet(
            ctx, network_id=network['id'], cidr=fields.get('cidr'),
            ip_version=_ip_version(fields), subnetpool=pool,
            **_gateway(fields), **common.only(fields, _CREATABLE),
            **common.only(fields, _IPV6_MODES))
        return views.subnet(created)

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_subnet')
        return common.list_response(
            self._deps, req, 'subnets', 'subnets',
            common.database_page(lambda *args: self._networks.page_subnets(ctx, *args)),
            views.subnet, listing.SUBNETS)

    def show(self, req: wsgi.Request, subnet_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_subnet')
        return common.show_response(req, 'subnet',
                                    views.subnet(self._networks.get_subnet(ctx, subnet_id)))

    def update(self, req: wsgi.Request, subnet_id: str) -> webob.Response:
        ctx = req.context
        body = req.read_json(required=True)
        _refuse_read_only(body)
        fields = common.body_fields(body, schemas.SUBNET_UPDATE, 'subnet')
        current = self._networks.get_subnet(ctx, subnet_id)
        self.authorizer.authorize(ctx, 'update_subnet', project_id=current['project_id'])
        updated = self._networks.update_subnet(ctx, subnet_id, **_gateway(fields),
                                               **common.only(fields, _CREATABLE))
        return wsgi.json_response(200, {'subnet': views.subnet(updated)})

    def delete(self, req: wsgi.Request, subnet_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_subnet(ctx, subnet_id)
        self.authorizer.authorize(ctx, 'delete_subnet', project_id=current['project_id'])
        try:
            self._networks.delete_subnet(ctx, subnet_id)
        except exception.Conflict as exc:
            raise errors.SubnetInUse(exc.message) from exc
        return wsgi.json_response(204)
