"""Microversion headers: only 2.1 is served; asking for more is 406.

Clients send ``OpenStack-API-Version: compute X.Y`` or the older
``X-OpenStack-Nova-API-Version: X.Y``. ``latest`` and 2.1 get 2.1 bodies;
anything else is answered 406 (400 when it is not a version at all). Every
response says which version answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import webob
import webob.dec

from nova_lite.api import faults
from nova_lite.compute.rest import versions

_VERSION_RE = re.compile(r'^([1-9][0-9]*)\.(0|[1-9][0-9]*)$')
_SERVED = (2, 1)


def requested_version(headers: Any) -> str | None:
    """The compute microversion the request asks for, if any."""
    for item in (headers.get('OpenStack-API-Version') or '').split(','):
        service, _sep, version = item.strip().partition(' ')
        if service.lower() == 'compute' and version.strip():
            return version.strip()
    legacy = headers.get('X-OpenStack-Nova-API-Version')
    return legacy.strip() if legacy and legacy.strip() else None


def check(version: str | None) -> tuple[int, str] | None:
    """None when 2.1 can answer; otherwise (status, message)."""
    if version is None or version.lower() == 'latest':
        return None
    match = _VERSION_RE.match(version)
    if match is None:
        return 400, f'Invalid microversion {version[:40]!r}: expected X.Y or latest.'
    if (int(match.group(1)), int(match.group(2))) != _SERVED:
        return 406, (f'Version {version} is not supported by the API. Minimum is '
                     f'{versions.MIN_VERSION} and maximum is {versions.MAX_VERSION}.')
    return None


class MicroversionMiddleware:
    """Refuses versions other than 2.1 and labels every response with 2.1."""

    def __init__(self, app: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]],
                 ) -> None:
        self._app = app

    @webob.dec.wsgify
    def __call__(self, req: webob.Request) -> webob.Response:
        refused = check(requested_version(req.headers))
        if refused is not None:
            status, message = refused
            content_type, body = faults.compute_fault(status, message, 'VersionNotFound')
            response = webob.Response(status=status, body=body)
            response.content_type = content_type
        else:
            response = req.get_response(self._app)
        response.headers['OpenStack-API-Version'] = f'compute {versions.MAX_VERSION}'
        response.headers['X-OpenStack-Nova-API-Version'] = versions.MAX_VERSION
        response.headers['Vary'] = 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'
        return response
