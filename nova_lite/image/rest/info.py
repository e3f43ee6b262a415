"""``GET /v2/info/stores`` (the one configured store, the default) and ``/v2/info/usage``."""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.image.rest import base, policies

_DESCRIPTIONS = {'file': 'Image data kept as files on the image service host.'}


class InfoController(base.ImageController):
    """Discovery documents about the image service itself."""

    def routes(self) -> list[routing.Route]:
        return [('GET', '/v2/info/stores', self.stores),
                ('GET', '/v2/info/usage', self.usage)]

    def stores(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.GET_INFO)
        name = self._conf.image.store
        store = {'id': name, 'description': _DESCRIPTIONS.get(name, f'The {name} store.'),
                 'default': True}
        return wsgi.json_response(200, {'stores': [store]})

    def usage(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.GET_INFO)
        return wsgi.json_response(200, self._images.usage(ctx))
