"""Fernet token issue and validation."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from cryptography import fernet

from nova_lite.common import exception
from nova_lite.identity import token_formatter


def _payload(**overrides: Any) -> dict[str, Any]:
    now = time.time()
    values = {'user_id': 'a' * 32, 'project_id': 'b' * 32, 'methods': ['password'],
              'issued_at': now, 'expires_at': now + 3600, 'system': False,
              'app_cred_id': None}
    values.update(overrides)
    return values


@pytest.fixture
def formatter() -> token_formatter.TokenFormatter:
    return token_formatter.TokenFormatter([fernet.Fernet.generate_key()])


def test_round_trip(formatter: token_formatter.TokenFormatter) -> None:
    payload = _payload(audit_id='audit-1')
    token = formatter.issue(payload)
    assert formatter.validate(token) == payload


def test_token_is_url_safe_and_unpadded(formatter: token_formatter.TokenFormatter) -> None:
    for _ in range(8):  # different lengths of ids give different padding
        token = formatter.issue(_payload(user_id='u' * (32 + _)))
        assert re.fullmatch(r'[A-Za-z0-9_-]+', token)
        assert formatter.validate(token)['user_id'] == 'u' * (32 + _)


def test_audit_id_is_random_and_url_safe(formatter: token_formatter.TokenFormatter) -> None:
    first = formatter.validate(formatter.issue(_payload()))['audit_id']
    second = formatter.validate(formatter.issue(_payload()))['audit_id']
    assert first != second
    assert re.fullmatch(r'[A-Za-z0-9_-]{22}', first)


def test_tampered_token_is_invalid(formatter: token_formatter.TokenFormatter) -> None:
    token = formatter.issue(_payload())
    middle = len(token) // 2
    tampered = token[:middle] + ('A' if token[middle] != 'A' else 'B') + token[middle + 1:]
    with pytest.raises(exception.TokenInvalid):
        formatter.validate(tampered)
    with pytest.raises(exception.TokenInvalid):
        formatter.validate(token[:-4])


def test_token_of_an_unknown_key_is_invalid(formatter: token_formatter.TokenFormatter) -> None:
    other = token_formatter.TokenFormatter([fernet.Fernet.generate_key()])
    with pytest.raises(exception.TokenInvalid):
        formatter.validate(other.issue(_payload()))


def test_fernet_payload_not_ours_is_invalid() -> None:
    key = fernet.Fernet.generate_key()
    foreign = fernet.Fernet(key).encrypt(b'{"user_id": "x"}').decode().rstrip('=')
    with pytest.raises(exception.TokenInvalid, match='unreadable'):
        token_formatter.TokenFormatter([key]).validate(foreign)


@pytest.mark.parametrize('token', ['', None, 42, 'abc def', 'tökén', 'a=b', 'x' * 9000])
def test_malformed_tokens_are_invalid(formatter: token_formatter.TokenFormatter,
                                      token: Any) -> None:
    with pytest.raises(exception.TokenInvalid):
        formatter.validate(token)


@pytest.mark.parametrize('field,value', [
    ('user_id', ''), ('project_id', ''), ('methods', []), ('methods', 'password'),
    ('issued_at', 'now'), ('expires_at', True)])
def test_bad_payload_is_refused(formatter: token_formatter.TokenFormatter, field: str,
                                value: Any) -> None:
    with pytest.raises(exception.InvalidInput) as err:
        formatter.issue(_payload(**{field: value}))
    assert err.value.kwargs['field'] == field


def test_expiry_before_issue_is_refused(formatter: token_formatter.TokenFormatter) -> None:
    with pytest.raises(exception.InvalidInput):
        formatter.issue(_payload(expires_at=time.time() - 10))


def test_system_and_unscoped_payloads_round_trip(
        formatter: token_formatter.TokenFormatter) -> None:
    system = _payload(audit_id='s', project_id=None, system=True)
    assert formatter.validate(formatter.issue(system)) == system
    unscoped = _payload(audit_id='u', project_id=None)
    assert formatter.validate(formatter.issue(unscoped)) == unscoped
    with pytest.raises(exception.InvalidInput, match='system'):
        formatter.issue(_payload(system=True))


def test_version_1_payloads_are_still_read() -> None:
    key = fernet.Fernet.generate_key()
    now = int(time.time())
    body = json.dumps([1, 'u' * 32, 'p' * 32, ['password'], 'audit', now, now + 60])
    token = fernet.Fernet(key).encrypt_at_time(body.encode(), now).decode().rstrip('=')
    payload = token_formatter.TokenFormatter([key]).validate(token)
    assert payload['project_id'] == 'p' * 32
    assert payload['system'] is False and payload['app_cred_id'] is None
