"""Block storage API versions: the version documents and microversion negotiation.

nova_lite speaks v3 at microversions 3.0 to 3.70. Clients read ``version``
(the maximum microversion) from the version document and ask for one in
``OpenStack-API-Version: volume X.Y`` (or ``latest``); no header means 3.0, a
version out of range is answered 406, as cinder does, and every versioned
reply names the version it was served at. Handlers read the negotiated
version with :func:`api_version` and compare it with the constants of
:mod:`nova_lite.volume.rest.version_changes`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import webob

from nova_lite.api import wsgi
from nova_lite.common import exception

MIN_VERSION = (3, 0)
MAX_VERSION = (3, 70)
ENVIRON_KEY = 'nova_lite.volume.api_version'
UPDATED = '2024-01-01T00:00:00Z'
VERSION_HEADER = 'OpenStack-API-Version'
SERVICE = 'volume'
MEDIA_TYPE = 'application/vnd.openstack.volume+json;version=3'

_VERSION_RE = re.compile(r'^([1-9][0-9]*)\.(0|[1-9][0-9]*)$')


class VersionNotAcceptable(exception.NovaLiteError):
    msg_fmt = ('Version %(version)s is not supported by the API. Minimum is %(min)s and '
               'maximum is %(max)s.')
    code = 406


def _text(version: tuple[int, int]) -> str:
    return f'{version[0]}.{version[1]}'


def version_document(public_url: str) -> dict[str, Any]:
    """The v3 entry of the version list, its ``self`` link under ``public_url``."""
    return {
        'id': 'v3.0', 'status': 'CURRENT', 'version': _text(MAX_VERSION),
        'min_version': _text(MIN_VERSION), 'updated': UPDATED,
        'links': [{'rel': 'describedby', 'type': 'text/html',
                   'href': 'https://docs.openstack.org/'},
                  {'rel': 'self', 'href': f'{public_url.rstrip("/")}/v3/'}],
        'media-types': [{'base': 'application/json', 'type': MEDIA_TYPE}],
    }


def make_version_handlers(public_url: str) -> tuple[wsgi.Handler, wsgi.Handler]:
    """Handlers for ``GET /`` (300, as cinder) and ``GET /v3`` (200); no token needed."""

    def root(req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(300, {'versions': [version_document(public_url)]})

    def v3(req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, {'versions': [version_document(public_url)]})

    return root, v3


def requested_version(header: str | None) -> tuple[int, int]:
    """The microversion a request asks for (3.0 when it names none for ``volume``)."""
    if not header:
        return MIN_VERSION
    for item in header.split(','):
        parts = item.split()
        if len(parts) != 2 or parts[0].lower() != SERVICE:
            continue
        value = parts[1]
        if value.lower() == 'latest':
            return MAX_VERSION
        match = _VERSION_RE.match(value)
        if match is None:
            raise exception.InvalidInput(field=VERSION_HEADER,
                                         reason=f'{value[:20]!r} is not a version X.Y')
        version = (int(match.group(1)), int(match.group(2)))
        if not MIN_VERSION <= version <= MAX_VERSION:
            raise VersionNotAcceptable(version=value, min=_text(MIN_VERSION),
                                       max=_text(MAX_VERSION))
        return version
    return MIN_VERSION


def api_version(req: Any) -> tuple[int, int]:
    """The version ``req`` was negotiated at (3.0 when none was)."""
    value = req.environ.get(ENVIRON_KEY, MIN_VERSION)
    if isinstance(value, tuple) and len(value) == 2:
        return int(value[0]), int(value[1])
    return MIN_VERSION


def at_least(req: Any, version: tuple[int, int]) -> bool:
    """True when ``req`` was negotiated at ``version`` or later."""
    return api_version(req) >= version


def since(version: tuple[int, int], handler: wsgi.Handler) -> wsgi.Handler:
    """``handler`` only from ``version``: below it the route does not exist (404),
    as cinder answers a method its negotiated version lacks."""

    @functools.wraps(handler)
    def wrapper(req: wsgi.Request, **path_vars: Any) -> webob.Response:
        if not at_least(req, version):
            raise exception.NotFound(
                f'{req.path_info} needs microversion {_text(version)} or later',
                resource='API version', id=_text(api_version(req)))
        return handler(req, **path_vars)

    return wrapper


def in_token_project(handler: wsgi.Handler) -> wsgi.Handler:
    """``handler`` of a ``/v3/{project_id}/...`` route, called for a URL without the
    project id (3.67): the token's project is the URL's."""

    @functools.wraps(handler)
    def wrapper(req: wsgi.Request, **path_vars: Any) -> webob.Response:
        return handler(req, project_id=req.context.project_id, **path_vars)

    return wrapper


def microversioned(handler: wsgi.Handler) -> wsgi.Handler:
    """``handler`` behind the microversion check; its reply names the version served."""

    @functools.wraps(handler)
    def wrapper(req: wsgi.Request, **path_vars: Any) -> webob.Response:
        version = requested_version(req.headers.get(VERSION_HEADER))
        req.environ[ENVIRON_KEY] = version
        response = handler(req, **path_vars)
        response.headers[VERSION_HEADER] = f'{SERVICE} {_text(version)}'
        response.headers['Vary'] = VERSION_HEADER
        return response

    return wrapper
