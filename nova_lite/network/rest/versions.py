"""The version list (``GET /``) and the v2.0 resource list (``GET /v2.0/``); no token
needed for either."""

from __future__ import annotations

import webob

from nova_lite.api import wsgi
from nova_lite.network.rest import common

VERSION = 'v2.0'
RESOURCES = (('network', 'networks'), ('subnet', 'subnets'), ('port', 'ports'))


class VersionsController:
    def __init__(self, public_url: str) -> None:
        self._public_url = public_url

    def versions(self, req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, {'versions': [{
            'id': VERSION, 'status': 'CURRENT',
            'links': [{'rel': 'self', 'href': f'{self._public_url}{common.API_PATH}/'}]}]})

    def resources(self, req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, {'resources': [
            {'name': name, 'collection': collection,
             'links': [{'rel': 'self',
                        'href': f'{self._public_url}{common.API_PATH}/{collection}'}]}
            for name, collection in RESOURCES]})
