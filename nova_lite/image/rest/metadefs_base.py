"""What the metadefs controllers share: the catalog, namespace policy targets, bodies."""

from __future__ import annotations

from typing import Any

from nova_lite.api import controller, policy, validation, wsgi
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
