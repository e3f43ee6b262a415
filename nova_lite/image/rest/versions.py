"""The image API's version documents (answered without a token).

Like glance, ``GET /`` answers ``300 Multiple Choices`` with the version list
(keystoneauth's discovery reads the body of any status below 400) and
``GET /versions`` answers 200 with the same list. Every v2.x entry points at
``<public_url>/v2/``: they are one API, the minor versions only mark features.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import wsgi

CURRENT_MINOR = 16
OLDEST_MINOR = 0


def version_list(public_url: str) -> dict[str, Any]:
    """``{"versions": [...]}``, newest first, the newest CURRENT, the rest SUPPORTED."""
    href = f'{public_url.rstrip("/")}/v2/'
    versions = [{'id': f'v2.{minor}',
                 'status': 'CURRENT' if minor == CURRENT_MINOR else 'SUPPORTED',
                 'links': [{'rel': 'self', 'href': href}]}
                for minor in range(CURRENT_MINOR, OLDEST_MINOR - 1, -1)]
    return {'versions': versions}


class VersionsController:
    """Handlers for ``/``, ``/versions`` and ``/v2``."""

    def __init__(self, public_url: str) -> None:
        self._body = version_list(public_url)

    def root(self, req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(300, self._body)

    def index(self, req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, self._body)
