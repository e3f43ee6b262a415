"""Routes and fields that exist only from a given block storage microversion on.

A request below a route's microversion gets cinder's answer for it: 404, as if
the route did not exist at that version.
"""

from __future__ import annotations

from nova_lite.api import wsgi
from nova_lite.common import exception
from nova_lite.volume.rest import versions

GROUP_TYPES = (3, 11)
GROUPS = (3, 13)
GROUP_SNAPSHOTS = (3, 14)
GROUP_SNAPSHOT_RESET_STATUS = (3, 19)
GROUP_RESET_STATUS = (3, 20)


class VersionNotFoundForMethod(exception.NotFound):
    msg_fmt = 'API version %(version)s is not supported on this method.'


def at_least(req: wsgi.Request, version: tuple[int, int]) -> bool:
    """Whether the request asks for ``version`` or a later microversion."""
    return versions.requested_version(req.headers.get(versions.VERSION_HEADER)) >= version


def require(req: wsgi.Request, version: tuple[int, int]) -> None:
    """404 unless the request asks for ``version`` or later."""
    requested = versions.requested_version(req.headers.get(versions.VERSION_HEADER))
    if requested < version:
        raise VersionNotFoundForMethod(version=f'{requested[0]}.{requested[1]}')
