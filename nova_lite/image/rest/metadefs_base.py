"""What the metadefs controllers share: the catalog, namespace policy targets, bodies."""

from __future__ import annotations

from typing import Any

from nova_lite.api import controller, paging, policy, query, validation, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.image.metadefs import catalog as metadefs_catalog
from nova_lite.image.rest import metadefs_schema_docs as docs

NAMESPACES = '/v2/metadefs/namespaces'
NAMESPACE = NAMESPACES + '/{namespace}'


def target(namespace: dict[str, Any]) -> dict[str, str]:
    """The policy target of a namespace: its owner and visibility."""
    return {'project_id': namespace.get('owner') or '', 'visibility': namespace['visibility']}


def read_body(req: wsgi.Request, document: dict[str, Any]) -> dict[str, Any]:
    """The JSON body, valid against ``document``: 403 naming a read-only property,
    400 naming a bad field."""
    body = req.read_json()
    if isinstance(body, dict):
        read_only = sorted(docs.read_only_names(document) & body.keys())
        if read_only:
            raise exception.Forbidden(f"Attribute '{read_only[0]}' is read-only.")
    validation.validate(docs.body_schema(document), body)
    return body


def listing(req: wsgi.Request, items: list[dict[str, Any]],
            sort_keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """One page of ``items`` (oldest first, as the stores list them) as glance's
    ``limit``, ``marker`` (a name), ``sort_key`` and ``sort_dir`` (default: newest
    first) ask."""
    params = query.last_values(req, ('limit', 'marker', 'sort_key', 'sort_dir'))
    sort_key = params.get('sort_key', 'created_at')
    if sort_key not in sort_keys:
        raise exception.InvalidInput(field='sort_key',
                                     reason=f'must be one of {", ".join(sort_keys)}')
    sort_dir = params.get('sort_dir', 'desc')
    if sort_dir not in ('asc', 'desc'):
        raise exception.InvalidInput(field='sort_dir', reason='must be asc or desc')
    ordered = items if sort_dir == 'asc' else items[::-1]
    if sort_key != 'created_at':
        ordered = sorted(ordered, key=lambda item: str(item.get(sort_key) or ''),
                         reverse=sort_dir == 'desc')
    page = paging.paginate([{**item, 'id': item['name']} for item in ordered],
                           paging.page_request(params, paging.GLANCE_PAGING))
    return [{k: v for k, v in item.items() if k != 'id'} for item in page.items]


class MetadefsController(controller.Controller):
    """A metadefs resource acting through the catalog."""

    def __init__(self, catalog: metadefs_catalog.MetadefsCatalog,
                 authorizer: policy.Authorizer) -> None:
        super().__init__(authorizer)
        self._catalog = catalog

    def _namespace(self, ctx: nl_context.RequestContext, name: str,
                   *rules: str) -> dict[str, Any]:
        """The namespace (404 when invisible) once every rule allows acting on it."""
        namespace = self._catalog.namespaces.find_namespace(ctx, name)
        for rule in rules:
            self.authorizer.authorize(ctx, rule, target(namespace))
        return namespace
