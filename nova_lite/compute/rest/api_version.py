"""The compute microversion a request was negotiated at (2.1 to 2.104).

:class:`~nova_lite.compute.rest.microversion.MicroversionMiddleware` puts it in
the WSGI environ under :data:`ENVIRON_KEY` as ``(major, minor)``; handlers read
it with :func:`api_version` and compare with the constants of
:mod:`nova_lite.compute.rest.version_changes`.
"""

from __future__ import annotations

from typing import Any

Version = tuple[int, int]

ENVIRON_KEY = 'nova_lite.compute.api_version'
MIN_VERSION: Version = (2, 1)
MAX_VERSION: Version = (2, 104)


def text(version: Version) -> str:
    """``(2, 55)`` as ``'2.55'``."""
    return f'{version[0]}.{version[1]}'


def from_environ(environ: dict[str, Any]) -> Version:
    """The negotiated version of a WSGI environ (2.1 when none was negotiated)."""
    value = environ.get(ENVIRON_KEY, MIN_VERSION)
    if (isinstance(value, tuple) and len(value) == 2
            and all(isinstance(part, int) for part in value)):
        return value[0], value[1]
    return MIN_VERSION


def api_version(req: Any) -> Version:
    """The negotiated version of a request (anything with a WSGI ``environ``)."""
    return from_environ(req.environ)


def at_least(req: Any, version: Version) -> bool:
    """True when the request was negotiated at ``version`` or later."""
    return api_version(req) >= version
