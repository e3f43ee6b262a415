"""``/v3/OS-OAUTH1/consumers``: OAuth1 consumers (the secret is shown on creation
only). The OAuth1 flow itself (request and access tokens) is not served."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.identity import oauth_consumers as consumer_store
from nova_lite.identity.rest import common, extension_schemas, extension_views, views
from nova_lite.identity.rest.extension_common import unknown_id_is_not_found


class ConsumerController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return routing.crud('/v3/OS-OAUTH1/consumers', 'consumer_id', self,
                            update_method='PATCH')

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        return {'consumer': extension_views.consumer(self._api.v3_url, record)}

    @property
    def _store(self) -> consumer_store.ConsumerStore:
        return self._api.identity.extensions.consumers

    def create(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_consumer')
        spec = controller.read_body(req, extension_schemas.CONSUMER)['consumer']
        return wsgi.json_response(201, self._view(self._store.create(spec.get('description'))))

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_consumers')
        return wsgi.json_response(200, views.collection(
            'consumers', [extension_views.consumer(self._api.v3_url, r)
                          for r in self._store.list()],
            common.self_url(req, self._api)))

    def show(self, req: wsgi.Request, consumer_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_consumer')
        with unknown_id_is_not_found('Consumer', consumer_id):
            return wsgi.json_response(200, self._view(self._store.get(consumer_id)))

    def update(self, req: wsgi.Request, consumer_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_consumer')
        spec = controller.read_body(req, extension_schemas.CONSUMER)['consumer']
        with unknown_id_is_not_found('Consumer', consumer_id):
            record = self._store.update(consumer_id, spec.get('description'))
        return wsgi.json_response(200, self._view(record))

    def delete(self, req: wsgi.Request, consumer_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_consumer')
        with unknown_id_is_not_found('Consumer', consumer_id):
            self._store.delete(consumer_id)
        return wsgi.json_response(204)
