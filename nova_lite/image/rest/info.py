"""``GET /v2/info/stores`` (every store, heaviest first; the default flagged, the weight
shown when there are several) and ``/v2/info/usage``."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.image.rest import base, policies


class InfoController(base.ImageController):
    """Discovery documents about the image service itself."""

    def routes(self) -> list[routing.Route]:
        return [('GET', '/v2/info/stores', self.stores),
                ('GET', '/v2/info/usage', self.usage)]

    def stores(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.GET_INFO)
        stores = self._images.stores
        docs: list[dict[str, Any]] = []
        for info in stores.infos:
            doc: dict[str, Any] = {'id': info.id, 'description': info.description}
            if info.default:
                doc['default'] = True
            if stores.multi:
                doc['weight'] = info.weight
            docs.append(doc)
        return wsgi.json_response(200, {'stores': docs})

    def usage(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.GET_INFO)
        return wsgi.json_response(200, self._images.usage(ctx))
