"""Token authentication in front of the service APIs.

The compute, image, network and block storage APIs sit behind
keystonemiddleware's ``auth_token``: it validates each user token with the
identity API over HTTP (``GET /v3/auth/tokens``, with the nova_lite service
user's own token), caches the result (``[keystone_authtoken]
token_cache_time``) and passes the user, project and roles on as headers.
``delay_auth_decision`` is on so that version documents answer without a
token; every other route asks for the caller's context and answers 401 with a
``WWW-Authenticate`` header when there is none.

Without memcached (``[keystone_authtoken] memcached_servers`` and ``cache``
unset), the service APIs of one process share one in-process
:class:`TokenValidationCache`, handed to auth_token the way Swift hands it
its cache (a WSGI environ key, auth_token's ``cache`` option): a token is
validated once per ``token_cache_time`` for all of them, and the cache is
one dictionary whatever the number of threads (auth_token's own in-process
fallback keeps one per concurrent request and sweeps it on every lookup).

The identity API cannot validate its own tokens through itself (keystone does
not either): :class:`LocalTokenAuth` validates them with the identity manager
and sets the same headers.
"""

from __future__ import annotations

import threading
import time
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
                     'HTTP_X_PROJECT_DOMAIN_NAME', 'HTTP_X_ROLES', 'HTTP_X_ROLE',
                     'HTTP_OPENSTACK_SYSTEM_SCOPE')


TOKEN_CACHE_ENVIRON_KEY = 'nova_lite.token_cache'
MAX_CACHED_TOKENS = 10000


class TokenValidationCache:
    """A thread-safe, bounded, in-process cache with memcached's get/set.

    auth_token stores each token's validation under its hash, for ``time``
    seconds (its ``token_cache_time``); a negative time stores nothing.
    Past ``max_entries``, expired entries go first, then the oldest.
    """

    def __init__(self, max_entries: int = MAX_CACHED_TOKENS, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: dict[str, tuple[float | None, Any]] = {}
        self._max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()

    def count(self) -> int:
        """How many entries are stored (expired ones included until looked up)."""
        # No __len__: auth_token takes an empty (falsy) cache for no cache at all.
        return len(self._entries)

    def get(self, key: str) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires is not None and self._clock() >= expires:
            with self._lock:
                if self._entries.get(key) is entry:
                    del self._entries[key]
            return None
        return value

    def set(self, key: str, value: Any, time: float = 0, min_compress_len: int = 0) -> bool:
        """Store ``value`` for ``time`` seconds (0: until evicted, as memcached)."""
        if time < 0:
            return False
        now = self._clock()
        expires = now + time if time else None
        with self._lock:
            self._entries.pop(key, None)
            if len(self._entries) >= self._max_entries:
                self._evict(now)
            self._entries[key] = (expires, value)
        return True

    def _evict(self, now: float) -> None:
        for key in [k for k, (expires, _v) in self._entries.items()
                    if expires is not None and now >= expires]:
            del self._entries[key]
        while len(self._entries) >= self._max_entries:
            del self._entries[next(iter(self._entries))]


class _WithTokenCache:
    """Puts the shared token cache where auth_token's ``cache`` option looks for it."""

    def __init__(self, app: WSGIApp, cache: TokenValidationCache) -> None:
        self._app = app
        self._cache = cache

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ[TOKEN_CACHE_ENVIRON_KEY] = self._cache
        return self._app(environ, start_response)


def with_keystone_auth(app: WSGIApp, conf: cfg.ConfigOpts, *,
                       token_cache: TokenValidationCache | None = None) -> WSGIApp:
    """``app`` behind auth_token, configured from ``conf``'s [keystone_authtoken].

    ``token_cache`` (shared by the APIs of a process) is used unless memcached
    or an environ cache is configured.
    """
    inner = context_middleware.ContextMiddleware(app)
    local_conf: dict[str, Any] = {'oslo_config_config': conf, 'delay_auth_decision': True}
    options = conf.keystone_authtoken
    if token_cache is None or options.memcached_servers or options.cache:
        return auth_token.AuthProtocol(inner, local_conf)
    local_conf['cache'] = TOKEN_CACHE_ENVIRON_KEY
    return _WithTokenCache(auth_token.AuthProtocol(inner, local_conf), token_cache)


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
                    'HTTP_X_ROLES': roles,
                    'HTTP_X_AUTH_TOKEN': token,
                })
                project = info.get('project')
                if project is not None:  # system-scoped and unscoped tokens have none
                    environ.update({
                        'HTTP_X_PROJECT_ID': project['id'],
                        'HTTP_X_PROJECT_NAME': project['name'],
                        'HTTP_X_PROJECT_DOMAIN_ID': project['domain']['id'],
                        'HTTP_X_PROJECT_DOMAIN_NAME': project['domain']['name'],
                    })
                if info.get('system', {}).get('all'):
                    environ['HTTP_OPENSTACK_SYSTEM_SCOPE'] = 'all'
        return self._app(environ, start_response)
