"""``/v2/metadefs/namespaces/{namespace}/tags[/{tag_name}]``.

``POST .../tags/{tag_name}`` (no body) adds one tag; ``POST .../tags`` with
``{"tags": [...]}`` replaces the namespace's tags, or adds to them with the
``X-Openstack-Append: true`` header.
"""

from __future__ import annotations

import webob

from nova_lite.api import query, routing, validation, wsgi
from nova_lite.image.rest import metadefs_base as base
from nova_lite.image.rest import metadefs_policies as policies
from nova_lite.image.rest import metadefs_schema_docs as docs

COLLECTION = base.NAMESPACE + '/tags'
MEMBER = COLLECTION + '/{tag_name}'
APPEND_HEADER = 'X-Openstack-Append'
SORT_KEYS = ('created_at', 'updated_at', 'name')


class TagsController(base.MetadefsController):
    """Create, list, show, rename and delete a namespace's tags."""

    def routes(self) -> list[routing.Route]:
        return [('GET', COLLECTION, self.index), ('POST', COLLECTION, self.create_many),
                ('GET', MEMBER, self.show), ('POST', MEMBER, self.create),
                ('PUT', MEMBER, self.update), ('DELETE', MEMBER, self.delete)]

    def create_many(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.ADD_TAGS)
        body = req.read_json()
        validation.validate(docs.tags_body_schema(), body)
        append = APPEND_HEADER in req.headers and query.parse_bool(
            req.headers[APPEND_HEADER], APPEND_HEADER, query.GLANCE_BOOLEAN)
        created = self._catalog.tags.create_tags(
            ctx, namespace, [tag['name'] for tag in body['tags']], append=append)
        return wsgi.json_response(201, {'tags': created})

    def index(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.GET_TAGS)
        tags = self._catalog.tags.list_tags(ctx, namespace)
        return wsgi.json_response(200, {'tags': base.listing(req, tags, SORT_KEYS)})

    def show(self, req: wsgi.Request, namespace: str, tag_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.GET_TAG)
        return wsgi.json_response(200, self._catalog.tags.get_tag(ctx, namespace, tag_name))

    def create(self, req: wsgi.Request, namespace: str, tag_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.ADD_TAG)
        validation.validate(docs.body_schema(docs.tag_schema()), {'name': tag_name})
        return wsgi.json_response(201, self._catalog.tags.create_tag(ctx, namespace,
                                                                     tag_name))

    def update(self, req: wsgi.Request, namespace: str, tag_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.MODIFY_TAG)
        body = base.read_body(req, docs.tag_schema())
        return wsgi.json_response(200, self._catalog.tags.update_tag(
            ctx, namespace, tag_name, body['name']))

    def delete(self, req: wsgi.Request, namespace: str, tag_name: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.DELETE_TAG)
        self._catalog.tags.delete_tag(ctx, namespace, tag_name)
        return wsgi.json_response(204)
