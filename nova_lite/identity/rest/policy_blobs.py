"""``/v3/policies``: stored policy documents (kept for clients, never enforced)."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.identity import policy_blobs as policy_store
from nova_lite.identity.rest import common, extension_schemas, extension_views, views
from nova_lite.identity.rest.extension_common import unknown_id_is_not_found


class PolicyBlobController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return routing.crud('/v3/policies', 'policy_id', self, update_method='PATCH')

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        return {'policy': extension_views.policy(self._api.v3_url, record)}

    @property
    def _store(self) -> policy_store.PolicyBlobStore:
        return self._api.identity.extensions.policies

    def create(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_policy')
        spec = controller.read_body(req, extension_schemas.POLICY_CREATE)['policy']
        return wsgi.json_response(201, self._view(self._store.create(spec['type'],
                                                                     spec['blob'])))

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_policies')
        params = controller.read_query(req, extension_schemas.POLICY_QUERY)
        records = common.filtered(self._store.list(), params, common.filters_of('type'))
        return wsgi.json_response(200, views.collection(
            'policies', [extension_views.policy(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))

    def show(self, req: wsgi.Request, policy_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_policy')
        with unknown_id_is_not_found('Policy', policy_id):
            return wsgi.json_response(200, self._view(self._store.get(policy_id)))

    def update(self, req: wsgi.Request, policy_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_policy')
        spec = controller.read_body(req, extension_schemas.POLICY_UPDATE)['policy']
        with unknown_id_is_not_found('Policy', policy_id):
            record = self._store.update(policy_id, type=spec.get('type'),
                                        blob=spec.get('blob'))
        return wsgi.json_response(200, self._view(record))

    def delete(self, req: wsgi.Request, policy_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_policy')
        with unknown_id_is_not_found('Policy', policy_id):
            self._store.delete(policy_id)
        return wsgi.json_response(204)
