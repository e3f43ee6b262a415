"""Image paths are exact, as in glance: ``/v2/images/`` (an empty image id) is a 404.

The shared router forgives a trailing slash; glance does not, and clients
rely on it (showing or deleting the image ``""`` must be Not Found, not the
image list or a 405). Version discovery paths (``/``, ``/v2/``) are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nova_lite.api import faults
from nova_lite.api.auth import WSGIApp

_STRICT_PREFIX = '/v2/'


class NoTrailingSlash:
    """Answers 404 for any ``/v2/<something>/`` path, passes the rest to ``app``."""

    def __init__(self, app: WSGIApp) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get('PATH_INFO', '')
        if path.startswith(_STRICT_PREFIX) and len(path) > len(_STRICT_PREFIX) \
                and path.endswith('/'):
            content_type, body = faults.image_fault(
                404, f'The resource could not be found: {path}', 'HTTPNotFound')
            start_response('404 Not Found', [('Content-Type', content_type),
                                             ('Content-Length', str(len(body)))])
            return [body]
        return self._app(environ, start_response)
