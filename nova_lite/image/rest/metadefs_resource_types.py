"""``/v2/metadefs/resource_types`` and a namespace's resource type associations."""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.image.rest import metadefs_base as base
from nova_lite.image.rest import metadefs_policies as policies
from nova_lite.image.rest import metadefs_schema_docs as docs

ASSOCIATIONS = base.NAMESPACE + '/resource_types'


class ResourceTypesController(base.MetadefsController):
    """List resource types; associate namespaces with them."""

    def routes(self) -> list[routing.Route]:
        return [('GET', '/v2/metadefs/resource_types', self.list_resource_types),
                ('GET', ASSOCIATIONS, self.index), ('POST', ASSOCIATIONS, self.create),
                ('DELETE', ASSOCIATIONS + '/{resource_type}', self.delete)]

    def list_resource_types(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.LIST_RESOURCE_TYPES,
                                  {'project_id': ctx.project_id or '', 'visibility': ''})
        return wsgi.json_response(200, {
            'resource_types': self._catalog.resource_types.list_resource_types()})

    def index(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.GET_RESOURCE_TYPE)
        return wsgi.json_response(200, {
            'resource_type_associations':
                self._catalog.resource_types.list_associations(ctx, namespace)})

    def create(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.ADD_RESOURCE_TYPE_ASSOCIATION)
        body = base.read_body(req, docs.resource_type_schema())
        return wsgi.json_response(201, self._catalog.resource_types.create_association(
            ctx, namespace, body))

    def delete(self, req: wsgi.Request, namespace: str, resource_type: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.REMOVE_RESOURCE_TYPE_ASSOCIATION)
        self._catalog.resource_types.delete_association(ctx, namespace, resource_type)
        return wsgi.json_response(204)
