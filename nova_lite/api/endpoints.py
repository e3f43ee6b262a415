"""Where the APIs are: an API's URL from ``[identity] public_base_url`` and its port.

The one place that builds the identity API's URL, which the service APIs
name in the ``WWW-Authenticate`` challenge of a 401 and which the wiring
gives keystonemiddleware and the clients.
"""

from __future__ import annotations

import ipaddress
import urllib.parse

from oslo_config import cfg

from nova_lite.common import exception


def endpoint_url(base_url: str, port: int, path: str) -> str:
    """``base_url``'s scheme and host with ``port`` and ``path`` (a port in base_url is
    replaced)."""
    parts = urllib.parse.urlsplit(base_url.strip() if isinstance(base_url, str) else '')
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise exception.InvalidInput(field='public_base_url',
                                     reason='must be an http(s) URL with a host')
    host = parts.hostname
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f'[{host}]'
    except ValueError:
        pass
    return f'{parts.scheme}://{host}:{int(port)}{path}'


def identity_url(conf: cfg.ConfigOpts, path: str = '') -> str:
    """The identity API's public root URL (``path`` appended, e.g. ``/v3``)."""
    return endpoint_url(conf.identity.public_base_url, conf.api.identity_port, path)


def www_authenticate_uri(conf: cfg.ConfigOpts) -> str | None:
    """The identity URL a 401 names; None when ``public_base_url`` is not a URL."""
    try:
        return identity_url(conf)
    except exception.InvalidInput:
        return None
