"""What the HTTP service clients share: the user's token as a keystoneauth plugin,
the catalog it carries, and HTTP errors turned back into nova_lite errors.

A client acts with the caller's own token. To find the service endpoints it
needs the token's catalog: a *validator* returns the validated token body
(the identity API's ``{"token": ...}`` contents). The conductor has the
database and validates with the identity manager; the compute host has no
database and asks the identity API (``GET /v3/auth/tokens``). Validated
bodies are kept for a short time so a boot does not validate the same token
once per request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from keystoneauth1 import access as ks_access
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import access as ks_access_plugin

from nova_lite.common import exception, hop_timer

TokenValidator = Callable[[str], dict[str, Any]]
"""token -> the validated token body (user, project, roles, catalog, expires_at)."""

_BY_STATUS: dict[int, type[exception.NovaLiteError]] = {
    400: exception.InvalidInput, 401: exception.NotAuthorized, 403: exception.Forbidden,
    404: exception.NotFound, 409: exception.Conflict, 413: exception.OverLimit,
}


def error_message(response: requests.Response) -> str:
    """The message of an OpenStack error body (any of the fault styles), else the text."""
    try:
        body = response.json()
    except ValueError:
        lines = [line for line in response.text.strip().splitlines() if line.strip()]
        return lines[-1] if lines else f'HTTP {response.status_code}'
    if isinstance(body, dict) and len(body) == 1:
        inner = next(iter(body.values()))
        if isinstance(inner, dict) and isinstance(inner.get('message'), str):
            return inner['message']
    return f'HTTP {response.status_code}: {str(body)[:200]}'


def error_kind(response: requests.Response) -> str | None:
    """The exception class the server named (neutron's ``NeutronError.type``)."""
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get('NeutronError'), dict):
        kind = body['NeutronError'].get('type')
        return kind if isinstance(kind, str) else None
    return None


def raise_for_status(response: requests.Response) -> None:
    """Raise the nova_lite error an HTTP error status stands for."""
    status = response.status_code
    if status < 400:
        return
    message = error_message(response)
    kind = getattr(exception, error_kind(response) or '', None)
    if (isinstance(kind, type) and issubclass(kind, exception.NovaLiteError)
            and kind.code == status):
        error = kind(message)
    else:
        error = _BY_STATUS.get(status, exception.NovaLiteError)(message)
        if status not in _BY_STATUS:
            error.code = status if status >= 400 else 500
    raise error


class HTTPTokenValidator:
    """Validates a token with the identity API (the token checks itself)."""

    def __init__(self, identity_url: str, session: ks_session.Session) -> None:
        self._url = f'{identity_url.rstrip("/")}/v3/auth/tokens'
        self._session = session

    def __call__(self, token: str) -> dict[str, Any]:
        try:
            with hop_timer.hop(hop_timer.TOKEN):
                response = self._session.get(self._url, authenticated=False,
                                             raise_exc=False,
                                             headers={'X-Auth-Token': token,
                                                      'X-Subject-Token': token})
        except requests.RequestException as exc:  # keystoneauth wraps most of these
            raise exception.NovaLiteError(f'identity API unreachable: {exc}') from exc
        if response.status_code in (401, 403, 404):
            raise exception.TokenInvalid(reason=error_message(response))
        raise_for_status(response)
        return dict(response.json()['token'])


class AccessCache:
    """token -> keystoneauth AccessInfo, each kept ``ttl`` seconds (at most until expiry)."""

    def __init__(self, validate: TokenValidator, ttl: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._validate = validate
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, ks_access.AccessInfo]] = {}
        self._lock = threading.Lock()

    def access(self, token: str) -> ks_access.AccessInfo:
        now = self._clock()
        with self._lock:
            entry = self._entries.get(token)
            if entry is not None and entry[0] > now:
                return entry[1]
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
        with hop_timer.hop(hop_timer.TOKEN):
            body = self._validate(token)
        info = ks_access.create(body={'token': body}, auth_token=token)
        with self._lock:
            self._entries[token] = (now + self._ttl, info)
        return info

    def forget(self, token: str) -> None:
        with self._lock:
            self._entries.pop(token, None)

    def plugin(self, token: str) -> ks_access_plugin.AccessInfoPlugin:
        return ks_access_plugin.AccessInfoPlugin(self.access(token))
