"""Token authentication in front of the service APIs.

The compute, image, network and block storage APIs sit behind
keystonemiddleware's ``auth_token``: it validates each user token with the
identity API over HTTP (``GET /v3/auth/tokens``, with the nova_lite service
user's own token), caches the result (``[keystone_authtoken]
token_cache_time``) and passes the user, project and roles on as headers.
``delay_auth_decision`` is on so that version documents answer without a
token; every other route asks for the caller's context and answers 401 with a
``WWW-Authenticate`` header when there is none.

The identity API cannot validate its own tokens through itself (keystone does
not either): :class:`LocalTokenAuth` validates them with the identity manager
and sets the same headers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from keystonemiddleware import auth_token
from oslo_config import cfg

from nova_lite.api import context_middleware
from nova_lite.common import exception

WSGIApp = context_middleware.WSGIApp

_IDENTITY_HEADERS = ('HTTP_X_IDENTITY_STATUS', 'HTTP_X_USER_ID', 'HTTP_X_USER_NAME',
                     'HTTP_X_USER_DOMAIN_ID', 'HTTP_X_USER_DOMAIN_NAME', 'HTTP_X_PROJECT_ID',
                     'HTTP_X_PROJECT_NAME', 'HTTP_X_PROJECT_DOMAIN_ID',
                     'HTTP_X_PROJECT_DOMAIN_NAME', 'HTTP_X_ROLES', 'HTTP_X_ROLE')


def with_keystone_auth(app: WSGIApp, conf: cfg.ConfigOpts) -> WSGIApp:
    """``app`` behind auth_token, configured from ``conf``'s [keystone_authtoken]."""
    inner = context_middleware.ContextMiddleware(app)
    return auth_token.AuthProtocol(inner, {'oslo_config_config': conf,
                                           'delay_auth_decision': True})


class LocalTokenAuth:
    """Validates X-Auth-Token with a local validator; sets auth_token's headers."""

    def __init__(self, app: WSGIApp, validate: Callable[[str], dict[str, Any]]) -> None:
        self._app = context_middleware.ContextMiddleware(app)
        self._validate = validate

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        for header in _IDENTITY_HEADERS:  # never trust what the caller sent
            environ.pop(header, None)
        token = environ.get('HTTP_X_AUTH_TOKEN')
        if token:
            try:
                info = self._validate(token)
            except exception.NotAuthorized:
                environ['HTTP_X_IDENTITY_STATUS'] = 'Invalid'
            else:
                roles = ','.join(role['name'] for role in info['roles'])
                environ.update({
                    'HTTP_X_IDENTITY_STATUS': 'Confirmed',
                    'HTTP_X_USER_ID': info['user']['id'],
                    'HTTP_X_USER_NAME': info['user']['name'],
                    'HTTP_X_USER_DOMAIN_ID': info['user']['domain']['id'],
                    'HTTP_X_USER_DOMAIN_NAME': info['user']['domain']['name'],
                    'HTTP_X_PROJECT_ID': info['project']['id'],
                    'HTTP_X_PROJECT_NAME': info['project']['name'],
                    'HTTP_X_PROJECT_DOMAIN_ID': info['project']['domain']['id'],
                    'HTTP_X_PROJECT_DOMAIN_NAME': info['project']['domain']['name'],
                    'HTTP_X_ROLES': roles,
                    'HTTP_X_AUTH_TOKEN': token,
                })
        return self._app(environ, start_response)
