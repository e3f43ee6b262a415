"""/v2.0/routers (with add/remove_router_interface) and /v2.0/floatingips."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import filters, routing, validation, wsgi
from nova_lite.common import exception
from nova_lite.network import floating_ips
from nova_lite.network.rest import common, l3_schemas, listing, views

_BOOLEAN = listing._BOOLEAN  # noqa: SLF001 - the network lists' boolean reading
ROUTERS = {**listing._IDENTIFIED, 'status': filters.Filter('status'),  # noqa: SLF001
           'description': filters.Filter('description'),
           'admin_state_up': filters.Filter('admin_state_up', _BOOLEAN),
           **listing.TAGS}
FLOATINGIPS = {
    'id': filters.Filter('id'), **listing.PROJECT, 'status': filters.Filter('status'),
    'description': filters.Filter('description'),
    'floating_network_id': filters.Filter('floating_network_id'),
    'floating_ip_address': filters.Filter('floating_ip_address', listing.ip_address),
    'port_id': filters.Filter('port_id'),
    'fixed_ip_address': filters.Filter('fixed_ip_address', listing.ip_address),
    'router_id': filters.Filter('router_id'),
    **listing.TAGS,
}
_ROUTER_FIELDS = {'name': 'name', 'admin_state_up': 'admin_state_up',
                  'description': 'description'}


def _gateway(fields: dict[str, Any]) -> dict[str, Any] | None:
    """``external_gateway_info`` as the manager takes it (``{}`` clears, None: not given)."""
    if 'external_gateway_info' not in fields:
        return None
    return dict(fields['external_gateway_info'] or {})


class RoutersController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        path = f'{common.API_PATH}/routers'
        return [*routing.crud(path, 'router_id', self),
                ('PUT', f'{path}/{{router_id}}/add_router_interface', self.add_interface),
                ('PUT', f'{path}/{{router_id}}/remove_router_interface',
                 self.remove_interface)]

    def _authorize_gateway(self, req: wsgi.Request, action: str,
                           gateway: dict[str, Any] | None, project_id: str | None) -> None:
        for key in ('enable_snat', 'external_fixed_ips'):
            if gateway and key in gateway:
                self.authorizer.authorize(req.context,
                                          f'{action}:external_gateway_info:{key}',
                                          project_id=project_id)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, l3_schemas.ROUTER_CREATE, 'router')
        project_id = common.requested_project(fields, ctx)
        self.authorizer.authorize(ctx, 'create_router', project_id=project_id)
        gateway = _gateway(fields)
        self._authorize_gateway(req, 'create_router', gateway, project_id)
        created = self._networks.create_router(
            ctx, project_id=project_id, external_gateway_info=gateway or None,
            **common.only(fields, _ROUTER_FIELDS))
        return wsgi.json_response(201, {'router': views.router(created)})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_router')
        return common.list_response(
            self._deps, req, 'routers', 'routers',
            common.database_page(lambda *args: self._networks.page_routers(ctx, *args)),
            views.router, ROUTERS)

    def show(self, req: wsgi.Request, router_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_router')
        return common.show_response(req, 'router',
                                    views.router(self._networks.get_router(ctx, router_id)))

    def update(self, req: wsgi.Request, router_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, l3_schemas.ROUTER_UPDATE, 'router')
        current = self._networks.get_router(ctx, router_id)
        self.authorizer.authorize(ctx, 'update_router', project_id=current['project_id'])
        gateway = _gateway(fields)
        self._authorize_gateway(req, 'update_router', gateway, current['project_id'])
        updated = self._networks.update_router(
            ctx, router_id, external_gateway_info=gateway,
            routes=(fields['routes'] or []) if 'routes' in fields else None,
            **common.only(fields, _ROUTER_FIELDS))
        return wsgi.json_response(200, {'router': views.router(updated)})

    def delete(self, req: wsgi.Request, router_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_router(ctx, router_id)
        self.authorizer.authorize(ctx, 'delete_router', project_id=current['project_id'])
        self._networks.delete_router(ctx, router_id)
        return wsgi.json_response(204)

    def _interface_body(self, req: wsgi.Request) -> dict[str, Any]:
        body = req.read_json(required=True)
        validation.validate(l3_schemas.INTERFACE, body)
        if not body:
            raise exception.InvalidInput(field='subnet_id',
                                         reason='either subnet_id or port_id must be given')
        return dict(body)

    def add_interface(self, req: wsgi.Request, router_id: str) -> webob.Response:
        ctx = req.context
        body = self._interface_body(req)
        current = self._networks.get_router(ctx, router_id)
        self.authorizer.authorize(ctx, 'add_router_interface',
                                  project_id=current['project_id'])
        info = self._networks.add_router_interface(ctx, router_id, **body)
        return wsgi.json_response(200, info)

    def remove_interface(self, req: wsgi.Request, router_id: str) -> webob.Response:
        ctx = req.context
        body = self._interface_body(req)
        current = self._networks.get_router(ctx, router_id)
        self.authorizer.authorize(ctx, 'remove_router_interface',
                                  project_id=current['project_id'])
        info = self._networks.remove_router_interface(ctx, router_id, **body)
        return wsgi.json_response(200, info)


class FloatingIPsController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        return routing.crud(f'{common.API_PATH}/floatingips', 'floatingip_id', self)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, l3_schemas.FLOATINGIP_CREATE, 'floatingip')
        project_id = common.requested_project(fields, ctx)
        self.authorizer.authorize(ctx, 'create_floatingip', project_id=project_id)
        created = self._networks.create_floatingip(
            ctx, fields['floating_network_id'], project_id=project_id,
            **{key: fields[key] for key in ('port_id', 'fixed_ip_address',
                                            'floating_ip_address', 'subnet_id',
                                            'description') if fields.get(key) is not None})
        return wsgi.json_response(201, {'floatingip': views.floating_ip(created)})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_floatingip')
        return common.list_response(
            self._deps, req, 'floatingips', 'floatingips',
            common.database_page(lambda *args: self._networks.page_floatingips(ctx, *args)),
            views.floating_ip, FLOATINGIPS)

    def show(self, req: wsgi.Request, floatingip_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_floatingip')
        return common.show_response(req, 'floatingip', views.floating_ip(
            self._networks.get_floatingip(ctx, floatingip_id)))

    def update(self, req: wsgi.Request, floatingip_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, l3_schemas.FLOATINGIP_UPDATE, 'floatingip')
        current = self._networks.get_floatingip(ctx, floatingip_id)
        self.authorizer.authorize(ctx, 'update_floatingip', project_id=current['project_id'])
        updated = self._networks.update_floatingip(
            ctx, floatingip_id, port_id=fields.get('port_id', floating_ips.UNSET),
            fixed_ip_address=fields.get('fixed_ip_address'),
            description=fields.get('description'))
        return wsgi.json_response(200, {'floatingip': views.floating_ip(updated)})

    def delete(self, req: wsgi.Request, floatingip_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_floatingip(ctx, floatingip_id)
        self.authorizer.authorize(ctx, 'delete_floatingip', project_id=current['project_id'])
        self._networks.delete_floatingip(ctx, floatingip_id)
        return wsgi.json_response(204)

