"""/v2.0/ports: create, list, show, update, delete."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.network.rest import bulk, common, listing, schemas, views

_UPDATABLE = {'name': 'name', 'admin_state_up': 'admin_state_up', 'device_id': 'device_id',
              'device_owner': 'device_owner', 'binding:host_id': 'binding_host_id',
              'security_groups': 'security_groups',
              'port_security_enabled': 'port_security_enabled', 'description': 'description',
              'allowed_address_pairs': 'allowed_address_pairs',
              'extra_dhcp_opts': 'extra_dhcp_opts'}
_CREATABLE = {**_UPDATABLE, 'fixed_ips': 'fixed_ips', 'mac_address': 'mac_address'}


class PortsController(common.NetworkController):
    def _check_network_owner_fields(self, ctx: nl_context.RequestContext, action: str,
                                    network_id: str, fields: dict[str, Any]) -> None:
        """Choosing a port's addresses or MAC is for the network's owner (or an admin),
        not for projects that see the network through an RBAC policy (neutron's
        ``<action>_port:fixed_ips:ip_address`` and ``create_port:mac_address``)."""
        wanted = []
        if any('ip_address' in entry for entry in fields.get('fixed_ips') or []):
            wanted.append('fixed_ips:ip_address')
        if action == 'create' and fields.get('mac_address') is not None:
            wanted.append('mac_address')
        if not wanted:
            return
        owner = self._networks.get_network(ctx, network_id)['project_id'] or ''
        for attribute in wanted:
            self.authorizer.authorize(ctx, f'{action}_port:{attribute}',
                                      {'project_id': ctx.project_id or '',
                                       'network:project_id': owner})

    def routes(self) -> list[routing.Route]:
        return routing.crud(f'{common.API_PATH}/ports', 'port_id', self)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        body = req.read_json(required=True)
        if bulk.is_bulk(body, 'ports'):
            items = bulk.read_items(body, schemas.PORT_CREATE, 'port', 'ports')
            return bulk.response('ports', bulk.create_all(
                items, lambda fields: self._create_one(ctx, fields),
                lambda created: self._networks.delete_port(ctx, created['id'])))
        fields = common.body_fields(body, schemas.PORT_CREATE, 'port')
        return wsgi.json_response(201, {'port': self._create_one(ctx, fields)})

    def _create_one(self, ctx: nl_context.RequestContext,
                    fields: dict[str, Any]) -> dict[str, Any]:
        project_id = common.requested_project(fields, ctx)
        self.authorizer.authorize(ctx, 'create_port', project_id=project_id)
        if fields.get('binding:host_id'):
            self.authorizer.authorize(ctx, 'create_port:binding:host_id', project_id=project_id)
        self._check_network_owner_fields(ctx, 'create', fields['network_id'], fields)
        created = self._networks.create_port(ctx, network_id=fields['network_id'],
                                             project_id=project_id,
                                             **common.only(fields, _CREATABLE))
        return views.port(created)

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_port')
        return common.list_response(
            self._deps, req, 'ports', 'ports',
            common.database_page(lambda *args: self._networks.page_ports(ctx, *args)),
            views.port, listing.PORTS)

    def show(self, req: wsgi.Request, port_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_port')
        return common.show_response(req, 'port',
                                    views.port(self._networks.get_port(ctx, port_id)))

    def update(self, req: wsgi.Request, port_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.PORT_UPDATE, 'port')
        current = self._networks.get_port(ctx, port_id)
        self.authorizer.authorize(ctx, 'update_port', project_id=current['project_id'])
        if 'binding:host_id' in fields:
            self.authorizer.authorize(ctx, 'update_port:binding:host_id',
                                      project_id=current['project_id'])
        self._check_network_owner_fields(ctx, 'update', current['network_id'], fields)
        updated = self._networks.update_port(
            ctx, port_id, **common.only(fields, {**_UPDATABLE, 'fixed_ips': 'fixed_ips'}))
        return wsgi.json_response(200, {'port': views.port(updated)})

    def delete(self, req: wsgi.Request, port_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_port(ctx, port_id)
        self.authorizer.authorize(ctx, 'delete_port', project_id=current['project_id'])
        self._networks.delete_port(ctx, port_id)
        return wsgi.json_response(204)
