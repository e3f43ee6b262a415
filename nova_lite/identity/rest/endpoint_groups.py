"""``/v3/OS-EP-FILTER/endpoint_groups``: endpoint groups (create, list, show,
check, update, delete). Their project associations are not served."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.identity import endpoint_groups as group_store
from nova_lite.identity.rest import common, extension_schemas, extension_views, views
from nova_lite.identity.rest.extension_common import unknown_id_is_not_found

_COLLECTION = '/v3/OS-EP-FILTER/endpoint_groups'


class EndpointGroupController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [*routing.crud(_COLLECTION, 'endpoint_group_id', self, update_method='PATCH'),
                ('HEAD', f'{_COLLECTION}/{{endpoint_group_id}}', self.check)]

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        return {'endpoint_group': extension_views.endpoint_group(self._api.v3_url, record)}

    @property
    def _store(self) -> group_store.EndpointGroupStore:
        return self._api.identity.extensions.endpoint_groups

    def create(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_endpoint_group')
        spec = controller.read_body(req, extension_schemas.ENDPOINT_GROUP_CREATE)
        spec = spec['endpoint_group']
        record = self._store.create(spec['name'], spec['filters'], spec.get('description'))
        return wsgi.json_response(201, self._view(record))

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_endpoint_groups')
        params = controller.read_query(req, extension_schemas.NAME_QUERY)
        records = common.filtered(self._store.list(), params, common.filters_of('name'))
        return wsgi.json_response(200, views.collection(
            'endpoint_groups',
            [extension_views.endpoint_group(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))

    def show(self, req: wsgi.Request, endpoint_group_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_endpoint_group')
        with unknown_id_is_not_found('EndpointGroup', endpoint_group_id):
            return wsgi.json_response(200, self._view(self._store.get(endpoint_group_id)))

    def check(self, req: wsgi.Request, endpoint_group_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_endpoint_group')
        with unknown_id_is_not_found('EndpointGroup', endpoint_group_id):
            self._store.get(endpoint_group_id)
        return wsgi.json_response(200)

    def update(self, req: wsgi.Request, endpoint_group_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_endpoint_group')
        spec = controller.read_body(req, extension_schemas.ENDPOINT_GROUP_UPDATE)
        with unknown_id_is_not_found('EndpointGroup', endpoint_group_id):
            record = self._store.update(endpoint_group_id, spec['endpoint_group'])
        return wsgi.json_response(200, self._view(record))

    def delete(self, req: wsgi.Request, endpoint_group_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_endpoint_group')
        with unknown_id_is_not_found('EndpointGroup', endpoint_group_id):
            self._store.delete(endpoint_group_id)
        return wsgi.json_response(204)
