"""Fernet tokens: an encrypted, authenticated payload; nothing is stored.

The payload is a small versioned JSON array (user, project, methods, audit id,
issue and expiry times, system scope, application credential). A token has a
project, or the system scope, or neither (unscoped); version 1 payloads (always
project-scoped) are still read. The primary key encrypts, every key in the repository
decrypts (``MultiFernet``), so a key rotation does not invalidate the tokens
signed by the previous primary. The base64 padding is stripped so the token is
URL-safe without escaping, as keystone does.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Sequence
from typing import Any

from cryptography import fernet

from nova_lite.common import exception

PAYLOAD_VERSION = 2
V1_FIELD_COUNT = 6
MAX_TOKEN_LENGTH = 8192
_TOKEN_RE = re.compile(r'[A-Za-z0-9_-]+')
_FIELDS = ('user_id', 'project_id', 'methods', 'audit_id', 'issued_at', 'expires_at',
           'system', 'app_cred_id')
_DEFAULTS: dict[str, Any] = {'project_id': None, 'system': False, 'app_cred_id': None}


def new_audit_id() -> str:
    """A random URL-safe id naming one token (22 characters, 128 bits)."""
    return secrets.token_urlsafe(16)


def _check_payload(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise exception.InvalidInput(field='payload', reason='must be a dict')
    payload = {**_DEFAULTS, **payload}
    for field in ('user_id', 'audit_id'):
        if not isinstance(payload.get(field), str) or not payload[field]:
            raise exception.InvalidInput(field=field, reason='must be a non-empty string')
    for field in ('project_id', 'app_cred_id'):
        value = payload[field]
        if value is not None and (not isinstance(value, str) or not value):
            raise exception.InvalidInput(field=field, reason='must be a non-empty string')
    if not isinstance(payload['system'], bool):
        raise exception.InvalidInput(field='system', reason='must be a boolean')
    if payload['system'] and payload['project_id'] is not None:
        raise exception.InvalidInput(field='system',
                                     reason='a token has a project or the system scope')
    methods = payload.get('methods')
    if not isinstance(methods, list) or not methods \
            or not all(isinstance(method, str) for method in methods):
        raise exception.InvalidInput(field='methods', reason='must be a list of strings')
    for field in ('issued_at', 'expires_at'):
        value = payload.get(field)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise exception.InvalidInput(field=field, reason='must be a timestamp')
    if payload['expires_at'] <= payload['issued_at']:
        raise exception.InvalidInput(field='expires_at', reason='must be after issued_at')
    return {field: payload[field] for field in _FIELDS}


class TokenFormatter:
    """Issues and opens Fernet tokens with a set of keys (primary first)."""

    def __init__(self, keys: Sequence[bytes | str]) -> None:
        if not keys:
            raise exception.NovaLiteError('A token formatter needs at least one Fernet key.')
        self._crypto = fernet.MultiFernet([fernet.Fernet(key) for key in keys])

    def issue(self, payload: dict[str, Any]) -> str:
        """The token for ``payload`` (a fresh audit id is added if it has none)."""
        if not isinstance(payload, dict):
            raise exception.InvalidInput(field='payload', reason='must be a dict')
        checked = _check_payload({'audit_id': new_audit_id(), **payload})
        body = json.dumps([PAYLOAD_VERSION] + [checked[field] for field in _FIELDS],
                          separators=(',', ':')).encode('utf-8')
        token = self._crypto.encrypt_at_time(body, int(checked['issued_at']))
        return token.decode('ascii').rstrip('=')

    def validate(self, token: str) -> dict[str, Any]:
        """The payload of ``token``; TokenInvalid if it is malformed, tampered or foreign.

        Expiry is not checked here (the caller knows the time): see
        ``payload['expires_at']``.
        """
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH \
                or not _TOKEN_RE.fullmatch(token):
            raise exception.TokenInvalid(reason='malformed token')
        padded = token + '=' * (-len(token) % 4)
        try:
            body = self._crypto.decrypt(padded.encode('ascii'))
        except fernet.InvalidToken:
            raise exception.TokenInvalid(
                reason='signature check failed (tampered, or its key was rotated out)') \
                from None
        try:
            values = json.loads(body)
            if not isinstance(values, list) or not values:
                raise ValueError('unknown payload layout')
            count = {1: V1_FIELD_COUNT, PAYLOAD_VERSION: len(_FIELDS)}.get(values[0])
            if count is None or len(values) != count + 1:
                raise ValueError('unknown payload layout')
            return _check_payload(dict(zip(_FIELDS[:count], values[1:], strict=True)))
        except (ValueError, IndexError, exception.InvalidInput):
            raise exception.TokenInvalid(reason='unreadable payload') from None
