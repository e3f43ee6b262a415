"""Which URIs a ``web-download`` import may fetch: glance's import filtering.

Three levels are checked in turn, each with an allow list and a deny list in
``[image]`` (``import_allowed_schemes`` / ``import_disallowed_schemes``, the
same for hosts and ports). At each level a non-empty allow list wins and its
deny list is ignored; an empty allow list lets everything through that the
deny list does not name. A URI without a scheme or a host is refused; a URI
without an explicit port passes the port level (the scheme's default port is
not looked up), as in glance.
"""

from __future__ import annotations

import urllib.parse

from oslo_config import cfg

from nova_lite.common import exception

URI_FIELD = 'method.uri'


def _passes(value: object, allowed: list[object], disallowed: list[object]) -> bool:
    if allowed:
        return value in allowed
    return value not in disallowed


def refusal(conf: cfg.ConfigOpts, uri: str) -> str | None:
    """Why ``uri`` does not pass the filtering, or None when it does."""
    opts = conf.image
    try:
        parsed = urllib.parse.urlsplit(uri)
        port = parsed.port
    except ValueError as exc:
        return f'it is not a valid URI ({exc})'
    scheme = parsed.scheme.lower()
    host = (parsed.hostname or '').lower()
    if not scheme:
        return 'it has no scheme'
    if not _passes(scheme, [s.lower() for s in opts.import_allowed_schemes],
                   [s.lower() for s in opts.import_disallowed_schemes]):
        return f'scheme {scheme!r} is not allowed'
    if not host:
        return 'it has no host'
    if not _passes(host, [h.lower() for h in opts.import_allowed_hosts],
                   [h.lower() for h in opts.import_disallowed_hosts]):
        return f'host {host!r} is not allowed'
    if port is not None and not _passes(port, list(opts.import_allowed_ports),
                                        list(opts.import_disallowed_ports)):
        return f'port {port} is not allowed'
    return None


def check(conf: cfg.ConfigOpts, uri: str | None) -> str:
    """``uri`` if it passes the filtering; else InvalidInput naming ``method.uri``."""
    if not uri:
        raise exception.InvalidInput(field=URI_FIELD,
                                     reason='web-download needs the URI of the image data')
    reason = refusal(conf, uri)
    if reason is not None:
        raise exception.InvalidInput(
            field=URI_FIELD, reason=f'URI {uri} does not pass filtering: {reason}')
    return uri
