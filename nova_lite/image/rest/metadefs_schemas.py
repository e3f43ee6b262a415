"""``/v2/schemas/metadefs/<name>``: the metadefs catalog's JSON-schema documents."""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.image.rest import metadefs_schema_docs as docs


def _handler(name: str) -> wsgi.Handler:
    def show(req: wsgi.Request) -> webob.Response:
        req.context  # noqa: B018  (401 without a token, as glance)
        return wsgi.json_response(200, docs.DOCUMENTS[name]())

    return show


def routes() -> list[routing.Route]:
    return [('GET', f'/v2/schemas/metadefs/{name}', _handler(name)) for name in docs.DOCUMENTS]
