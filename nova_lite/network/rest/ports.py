"""/v2.0/ports: create, list, show, update, delete."""

from __future__ import annotations

import ipaddress
from typing import Any

import webob

from nova_lite.api import wsgi
from nova_lite.network.rest import common, listing, networks, schemas, views

_FIXED_IP_KEYS = ('ip_address', 'subnet_id')


def _fixed_ip(value: str) -> tuple[str, str]:
    """``ip_address=10.0.0.5`` or ``subnet_id=<id>`` (neutron's fixed_ips filter)."""
    key, sep, wanted = value.partition('=')
    if not sep or key not in _FIXED_IP_KEYS:
        raise ValueError('must be ip_address=<address> or subnet_id=<id>')
    if key == 'ip_address':
        wanted = str(ipaddress.ip_address(wanted.strip()))
    return key, wanted


def _has_fixed_ip(have: Any, wanted: tuple[str, str]) -> bool:
    key, value = wanted
    return any(entry.get(key) == value for entry in have or [])


FILTERS = {
    'id': listing.Filter('id'), 'name': listing.Filter('name'),
    'network_id': listing.Filter('network_id'), 'device_id': listing.Filter('device_id'),
    'device_owner': listing.Filter('device_owner'), 'status': listing.Filter('status'),
    'mac_address': listing.Filter('mac_address', listing.mac),
    'admin_state_up': listing.Filter('admin_state_up', listing.boolean),
    'binding:host_id': listing.Filter('binding:host_id'),
    'fixed_ips': listing.Filter('fixed_ips', _fixed_ip, _has_fixed_ip),
    **networks.PROJECT_FILTERS,
}

_UPDATABLE = {'name': 'name', 'admin_state_up': 'admin_state_up', 'device_id': 'device_id',
              'device_owner': 'device_owner', 'binding:host_id': 'binding_host_id'}
_CREATABLE = {**_UPDATABLE, 'fixed_ips': 'fixed_ips', 'mac_address': 'mac_address'}


class PortsController:
    def __init__(self, deps: common.Dependencies) -> None:
        self._deps = deps
        self._networks = deps.networks

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.PORT_CREATE, 'port')
        project_id = common.requested_project(fields, ctx)
        self._deps.authorize(ctx, 'create_port', project_id)
        if fields.get('binding:host_id'):
            self._deps.authorize(ctx, 'create_port:binding:host_id', project_id)
        created = self._networks.create_port(ctx, network_id=fields['network_id'],
                                             project_id=project_id,
                                             **common.only(fields, _CREATABLE))
        return wsgi.json_response(201, {'port': views.port(created)})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self._deps.authorize(ctx, 'get_port')
        return common.list_response(self._deps, req, 'ports', 'ports',
                                    self._networks.list_ports(ctx), views.port, FILTERS)

    def show(self, req: wsgi.Request, port_id: str) -> webob.Response:
        ctx = req.context
        self._deps.authorize(ctx, 'get_port')
        return common.show_response(req, 'port',
                                    views.port(self._networks.get_port(ctx, port_id)))

    def update(self, req: wsgi.Request, port_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.PORT_UPDATE, 'port')
        current = self._networks.get_port(ctx, port_id)
        self._deps.authorize(ctx, 'update_port', current['project_id'])
        if 'binding:host_id' in fields:
            self._deps.authorize(ctx, 'update_port:binding:host_id', current['project_id'])
        updated = self._networks.update_port(ctx, port_id, **common.only(fields, _UPDATABLE))
        return wsgi.json_response(200, {'port': views.port(updated)})

    def delete(self, req: wsgi.Request, port_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_port(ctx, port_id)
        self._deps.authorize(ctx, 'delete_port', current['project_id'])
        self._networks.delete_port(ctx, port_id)
        return wsgi.json_response(204)
