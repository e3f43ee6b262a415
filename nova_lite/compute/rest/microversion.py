"""Microversion negotiation, as nova does it: 2.1 to 2.104.

Clients send ``OpenStack-API-Version: compute X.Y`` or the older
``X-OpenStack-Nova-API-Version: X.Y`` (the first wins when both are sent).
No header means 2.1 and ``latest`` means 2.104; a version outside the range
is 406 and one that is not ``X.Y`` is 400. The negotiated version goes into
the WSGI environ (:data:`api_version.ENVIRON_KEY`, a ``(major, minor)``
tuple) and every response names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import webob

from nova_lite.api import faults
from nova_lite.compute.rest import api_version

_VERSION_RE = re.compile(r'^([1-9][0-9]*)\.(0|[1-9][0-9]*)$')
_VARY = ('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version')
_REPLACED = frozenset({'openstack-api-version', 'x-openstack-nova-api-version', 'vary'})


def requested_version(headers: Any) -> str | None:
    """The compute microversion the request asks for, if any."""
    for item in (headers.get('OpenStack-API-Version') or '').split(','):
        service, _sep, version = item.strip().partition(' ')
        if service.lower() == 'compute' and version.strip():
            return version.strip()
    legacy = headers.get('X-OpenStack-Nova-API-Version')
    return legacy.strip() if legacy and legacy.strip() else None


class Refused(Exception):
    """A version that cannot be served: ``status`` (400 or 406) and the reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def negotiate(version: str | None) -> api_version.Version:
    """The version that answers a request asking for ``version``; Refused otherwise."""
    if version is None:
        return api_version.MIN_VERSION
    if version.lower() == 'latest':
        return api_version.MAX_VERSION
    match = _VERSION_RE.match(version)
    if match is None:
        raise Refused(400, f'API Version String {version[:40]!r} is of invalid format. '
                           'Must be of format MajorNum.MinorNum.')
    wanted = (int(match.group(1)), int(match.group(2)))
    if not api_version.MIN_VERSION <= wanted <= api_version.MAX_VERSION:
        raise Refused(406, f'Version {version} is not supported by the API. Minimum is '
                           f'{api_version.text(api_version.MIN_VERSION)} and maximum is '
                           f'{api_version.text(api_version.MAX_VERSION)}.')
    return wanted


def response_headers(version: api_version.Version) -> list[tuple[str, str]]:
    """The headers naming the version that answered."""
    return [('OpenStack-API-Version', f'compute {api_version.text(version)}'),
            ('X-OpenStack-Nova-API-Version', api_version.text(version)), _VARY]


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
    """Negotiates the version, records it in the environ, labels every response.

    Plain WSGI (no request and response objects): it runs on every request.
    """

    def __init__(self, app: WSGIApp) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            version = negotiate(requested_version(_EnvironHeaders(environ)))
        except Refused as refused:
            content_type, body = faults.compute_fault(refused.status, refused.message,
                                                      'VersionNotFound')
            response = webob.Response(status=refused.status, body=body)
            response.content_type = content_type
            for name, value in response_headers(api_version.MIN_VERSION):
                response.headers[name] = value
            return response(environ, start_response)
        environ[api_version.ENVIRON_KEY] = version
        labels = response_headers(version)

        def labelled_start_response(status: str, headers: list[tuple[str, str]],
                                    exc_info: Any = None) -> Callable[..., Any]:
            kept = [(name, value) for name, value in headers
                    if name.lower() not in _REPLACED]
            return start_response(status, kept + labels, exc_info)

        return self._app(environ, labelled_start_response)
