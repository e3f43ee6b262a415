"""``/v2/metadefs/namespaces`` and ``/v2/metadefs/namespaces/{namespace}``.

A namespace is created with (optionally) its resource type associations,
objects, properties and tags; PUT replaces its own fields only. ``DELETE``
on ``.../objects``, ``.../properties`` or ``.../tags`` empties that part of a
namespace.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import paging, query, routing, wsgi
from nova_lite.common import exception
from nova_lite.image.metadefs import namespaces as namespace_store
from nova_lite.image.rest import metadefs_base as base
from nova_lite.image.rest import metadefs_policies as policies
from nova_lite.image.rest import metadefs_schema_docs as docs

# What creating a namespace with contents also needs.
_CONTENT_RULES = {'resource_type_associations': policies.ADD_RESOURCE_TYPE_ASSOCIATION,
                  'objects': policies.ADD_OBJECT, 'properties': policies.ADD_PROPERTY,
                  'tags': policies.ADD_TAG}
_DELETE_CONTENT_RULES = {'objects': (policies.DELETE_NAMESPACE,),
                         'properties': (policies.DELETE_NAMESPACE,),
                         'tags': (policies.DELETE_NAMESPACE, policies.DELETE_TAGS)}


def _choice(params: dict[str, str], name: str, allowed: tuple[str, ...],
            default: str | None) -> str | None:
    value = params.get(name, default)
    if value is not None and value not in allowed:
        raise exception.InvalidInput(field=name, reason=f'must be one of {", ".join(allowed)}')
    return value


class NamespacesController(base.MetadefsController):
    """Create, list, show, replace and delete namespaces."""

    def routes(self) -> list[routing.Route]:
        contents = [('DELETE', f'{base.NAMESPACE}/{kind}', self._delete_contents_of(kind))
                    for kind in namespace_store.CONTENTS]
        return [*routing.crud(base.NAMESPACES, 'namespace', self), *contents]

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.ADD_NAMESPACE)
        body = base.read_body(req, docs.namespace_schema())
        for key, rule in _CONTENT_RULES.items():
            if body.get(key):
                self.authorizer.authorize(ctx, rule)
        namespace = self._catalog.namespaces.create_namespace(ctx, body)
        return wsgi.json_response(201, namespace, headers={'Location': namespace['self']})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.GET_NAMESPACES)
        self.authorizer.authorize(ctx, policies.LIST_RESOURCE_TYPES,
                                  {'project_id': ctx.project_id or '', 'visibility': ''})
        params = query.last_values(req)
        request = paging.page_request(params, paging.GLANCE_PAGING)
        resource_types = params.get('resource_types')
        namespaces = self._catalog.namespaces.list_namespaces(
            ctx, visibility=_choice(params, 'visibility', ('public', 'private'), None),
            resource_types=resource_types.split(',') if resource_types else None,
            sort_key=_choice(params, 'sort_key', namespace_store.SORT_KEYS, 'created_at')
            or 'created_at',
            sort_dir=_choice(params, 'sort_dir', ('asc', 'desc'), 'desc') or 'desc')
        visible = [ns for ns in namespaces
                   if self.authorizer.allowed(ctx, policies.GET_NAMESPACE, base.target(ns))]
        page = paging.paginate([{**ns, 'id': ns['namespace']} for ns in visible], request)
        body: dict[str, Any] = {
            'namespaces': [{k: v for k, v in ns.items() if k != 'id'} for ns in page.items],
            'first': base.NAMESPACES, 'schema': '/v2/schemas/metadefs/namespaces'}
        if page.next_marker is not None:
            body['next'] = paging.next_href(base.NAMESPACES, params.items(), page.next_marker)
        return wsgi.json_response(200, body)

    def show(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        summary = self._catalog.namespaces.find_namespace(ctx, namespace)
        if not self.authorizer.allowed(ctx, policies.GET_NAMESPACE, base.target(summary)):
            # As glance: a namespace the caller may not read is not found.
            raise exception.NotFound(f'Namespace {namespace} not found.')
        resource_type = query.last_values(req, ('resource_type',)).get('resource_type')
        return wsgi.json_response(200, self._catalog.namespaces.get_namespace(
            ctx, namespace, resource_type=resource_type))

    def update(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.MODIFY_NAMESPACE)
        body = base.read_body(req, docs.namespace_schema())
        return wsgi.json_response(200, self._catalog.namespaces.update_namespace(
            ctx, namespace, body))

    def delete(self, req: wsgi.Request, namespace: str) -> webob.Response:
        ctx = req.context
        self._namespace(ctx, namespace, policies.DELETE_NAMESPACE)
        self._catalog.namespaces.delete_namespace(ctx, namespace)
        return wsgi.json_response(204)

    def _delete_contents_of(self, kind: str) -> wsgi.Handler:
        def delete_contents(req: wsgi.Request, namespace: str) -> webob.Response:
            ctx = req.context
            self._namespace(ctx, namespace, *_DELETE_CONTENT_RULES[kind])
            self._catalog.namespaces.delete_contents(ctx, namespace, kind)
            return wsgi.json_response(204)

        return delete_contents
