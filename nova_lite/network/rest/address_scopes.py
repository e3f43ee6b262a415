"""/v2.0/address-scopes: create, list, show, update, delete."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import filters, query, routing, wsgi
from nova_lite.network.rest import common, listing
from nova_lite.network.rest import subnetpool_schemas as schemas

_BOOLEAN = filters.boolean(query.NEUTRON_BOOLEAN)

SCOPE_FILTERS = {
    'id': filters.Filter('id'), 'name': filters.Filter('name'), **listing.PROJECT,
    'ip_version': filters.Filter('ip_version', filters.integer),
    'shared': filters.Filter('shared', _BOOLEAN),
}


def _same(item: dict[str, Any]) -> dict[str, Any]:
    return item


class AddressScopesController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        return routing.crud(f'{common.API_PATH}/address-scopes', 'address_scope_id', self)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.ADDRESS_SCOPE_CREATE, 'address_scope')
        project_id = common.requested_project(fields, ctx)
        self.authorizer.authorize(ctx, 'create_address_scope', project_id=project_id)
        if fields.get('shared'):
            self.authorizer.authorize(ctx, 'create_address_scope:shared',
                                      project_id=project_id)
        created = self._networks.create_address_scope(
            ctx, fields['ip_version'], project_id=project_id,
            **common.only(fields, {'name': 'name', 'shared': 'shared'}))
        return wsgi.json_response(201, {'address_scope': created})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_address_scope')
        return common.list_response(
            self._deps, req, 'address_scopes', 'address-scopes',
            common.database_page(lambda *args: self._networks.page_address_scopes(ctx, *args)),
            _same, SCOPE_FILTERS)

    def show(self, req: wsgi.Request, address_scope_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_address_scope')
        return common.show_response(req, 'address_scope',
                                    self._networks.get_address_scope(ctx, address_scope_id))

    def update(self, req: wsgi.Request, address_scope_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.ADDRESS_SCOPE_UPDATE, 'address_scope')
        current = self._networks.get_address_scope(ctx, address_scope_id)
        self.authorizer.authorize(ctx, 'update_address_scope',
                                  project_id=current['project_id'])
        if 'shared' in fields:
            self.authorizer.authorize(ctx, 'update_address_scope:shared',
                                      project_id=current['project_id'])
        updated = self._networks.update_address_scope(
            ctx, address_scope_id, **common.only(fields, {'name': 'name', 'shared': 'shared'}))
        return wsgi.json_response(200, {'address_scope': updated})

    def delete(self, req: wsgi.Request, address_scope_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_address_scope(ctx, address_scope_id)
        self.authorizer.authorize(ctx, 'delete_address_scope',
                                  project_id=current['project_id'])
        self._networks.delete_address_scope(ctx, address_scope_id)
        return wsgi.json_response(204)
