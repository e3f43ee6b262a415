"""``/v2/metadefs/namespaces/{namespace}/properties[/{property_name}]``.

A property's name is in its body; PUT with another name renames it. Showing
a property with ``?resource_type=<type>`` takes the name with that
association's prefix.
"""

from __future__ import annotations

import webob

from nova_lite.api import query, routing, wsgi
from nova_lite.image.rest import metadefs_base as base
from nova_lite.image.rest import metadefs_policies as policies
from nova_lite.image.rest import metadefs_schema_docs as docs

COLLECTION = base.NAMESPACE + '/properties'


class PropertiesController(base.MetadefsController):
    """Create, list, show, replace and delete a namespace's property definitions."""

    def routes(self) -> list[routing.Route]:
        return routing.crud(COLLECTION, 'property_name', self)

    def create(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.ADD_PROPERTY)
        body = base.read_body(req, docs.property_schema())
        return wsgi.json_response(201, self._catalog.properties.create_property(
            ctx, namespace, body))

    def index(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.GET_PROPERTIES)
        return wsgi.json_response(200, {
            'properties': self._catalog.properties.list_properties(ctx, namespace),
            'schema': '/v2/schemas/metadefs/properties'})

    def show(self, req: wsgi.Request, namespace: str, property_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.GET_PROPERTY)
        resource_type = query.last_values(req, ('resource_type',)).get('resource_type')
        if resource_type:
            self._namespace(ctx, namespace, policies.GET_RESOURCE_TYPE)
        return wsgi.json_response(200, self._catalog.properties.get_property(
            ctx, namespace, property_name, resource_type=resource_type or None))

    def update(self, req: wsgi.Request, namespace: str, property_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.MODIFY_PROPERTY)
        body = base.read_body(req, docs.property_schema())
        return wsgi.json_response(200, self._catalog.properties.update_property(
            ctx, namespace, property_name, body))

    def delete(self, req: wsgi.Request, namespace: str, property_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.REMOVE_PROPERTY)
        self._catalog.properties.delete_property(ctx, namespace, property_name)
        return wsgi.json_response(204)
