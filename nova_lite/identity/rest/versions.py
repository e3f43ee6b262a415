"""Version discovery: ``GET /`` (300, the list) and ``GET /v3`` (200); no token needed."""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.identity.rest import views


class VersionController:
    def __init__(self, public_url: str) -> None:
        self._public_url = public_url

    def routes(self) -> list[routing.Route]:
        return [('GET', '/', self.list_versions), ('GET', '/v3', self.show_v3)]

    def list_versions(self, req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(
            300, {'versions': {'values': [views.version_doc(self._public_url)]}},
            headers={'Location': f'{self._public_url}/v3/'})

    def show_v3(self, req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, {'version': views.version_doc(self._public_url)})
