"""Version discovery: ``GET /`` (300, the list) and ``GET /v3`` (200); no token needed.

With ``Accept: application/json-home`` both answer keystone's JSON Home
document instead (json_home.py), which advertises the extensions.
"""

from __future__ import annotations

import json

import webob

from nova_lite.api import routing, wsgi
from nova_lite.identity.rest import json_home, views


def _wants_json_home(req: wsgi.Request) -> bool:
    offers = req.accept.acceptable_offers(['application/json', json_home.MEDIA_TYPE])
    return bool(offers) and offers[0][0] == json_home.MEDIA_TYPE


def _json_home_response(prefix: str) -> webob.Response:
    response = webob.Response(status=200, content_type=json_home.MEDIA_TYPE, charset=None)
    response.body = json.dumps(json_home.document(prefix)).encode()
    return response


class VersionController:
    def __init__(self, public_url: str) -> None:
        self._public_url = public_url

    def routes(self) -> list[routing.Route]:
        return [('GET', '/', self.list_versions), ('GET', '/v3', self.show_v3)]

    def list_versions(self, req: wsgi.Request) -> webob.Response:
        if _wants_json_home(req):
            return _json_home_response('/v3')
        return wsgi.json_response(
            300, {'versions': {'values': [views.version_doc(self._public_url)]}},
            headers={'Location': f'{self._public_url}/v3/'})

    def show_v3(self, req: wsgi.Request) -> webob.Response:
        if _wants_json_home(req):
            return _json_home_response('')
        return wsgi.json_response(200, {'version': views.version_doc(self._public_url)})
