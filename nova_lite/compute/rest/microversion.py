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


_RESPONSE_HEADERS = [
    ('OpenStack-API-Version', f'compute {versions.MAX_VERSION}'),
    ('X-OpenStack-Nova-API-Version', versions.MAX_VERSION),
    ('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'),
]
_REPLACED = frozenset(name.lower() for name, _value in _RESPONSE_HEADERS)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _EnvironHeaders:
    """The two version headers of a WSGI environ, as :func:`requested_version` reads them."""

    _KEYS = {'OpenStack-API-Version': 'HTTP_OPENSTACK_API_VERSION',
             'X-OpenStack-Nova-API-Version': 'HTTP_X_OPENSTACK_NOVA_API_VERSION'}

    def __init__(self, environ: dict[str, Any]) -> None:
        self._environ = environ

    def get(self, name: str) -> str | None:
        value = self._environ.get(self._KEYS[name])
        return value if isinstance(value, str) else None


class MicroversionMiddleware:
    """Refuses versions other than 2.1 and labels every response with 2.1.

    Plain WSGI (no request and response objects): it runs on every request.
    """

    def __init__(self, app: WSGIApp) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        refused = check(requested_version(_EnvironHeaders(environ)))
        if refused is not None:
            status, message = refused
            content_type, body = faults.compute_fault(status, message, 'VersionNotFound')
            response = webob.Response(status=status, body=body)
            response.content_type = content_type
            return self._labelled(response, environ, start_response)

        def labelled_start_response(status: str, headers: list[tuple[str, str]],
                                    exc_info: Any = None) -> Callable[..., Any]:
            kept = [(name, value) for name, value in headers
                    if name.lower() not in _REPLACED]
            return start_response(status, kept + _RESPONSE_HEADERS, exc_info)

        return self._app(environ, labelled_start_response)

    @staticmethod
    def _labelled(response: webob.Response, environ: dict[str, Any],
                  start_response: Callable[..., Any]) -> Iterable[bytes]:
        for name, value in _RESPONSE_HEADERS:
            response.headers[name] = value
        return response(environ, start_response)
