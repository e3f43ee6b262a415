"""``/v2/metadefs/namespaces/{namespace}/objects[/{object_name}]``."""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.image.rest import metadefs_base as base
from nova_lite.image.rest import metadefs_policies as policies
from nova_lite.image.rest import metadefs_schema_docs as docs

COLLECTION = base.NAMESPACE + '/objects'
SORT_KEYS = ('created_at', 'updated_at', 'name')


class ObjectsController(base.MetadefsController):
    """Create, list, show, replace and delete a namespace's objects."""

    def routes(self) -> list[routing.Route]:
        return routing.crud(COLLECTION, 'object_name', self)

    def create(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.ADD_OBJECT)
        body = base.read_body(req, docs.object_schema())
        return wsgi.json_response(201, self._catalog.objects.create_object(ctx, namespace,
                                                                           body))

    def index(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.GET_OBJECTS)
        objects = self._catalog.objects.list_objects(ctx, namespace)
        return wsgi.json_response(200, {'objects': base.listing(req, objects, SORT_KEYS),
                                        'schema': '/v2/schemas/metadefs/objects'})

    def show(self, req: wsgi.Request, namespace: str, object_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.GET_OBJECT)
        return wsgi.json_response(200, self._catalog.objects.get_object(ctx, namespace,
                                                                        object_name))

    def update(self, req: wsgi.Request, namespace: str, object_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.MODIFY_OBJECT)
        body = base.read_body(req, docs.object_schema())
        return wsgi.json_response(200, self._catalog.objects.update_object(
            ctx, namespace, object_name, body))

    def delete(self, req: wsgi.Request, namespace: str, object_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.DELETE_OBJECT)
        self._catalog.objects.delete_object(ctx, namespace, object_name)
        return wsgi.json_response(204)
