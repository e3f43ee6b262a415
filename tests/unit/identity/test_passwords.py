"""bcrypt password hashing."""

from __future__ import annotations

import pytest

from nova_lite.common import exception
from nova_lite.identity import passwords


def test_hash_then_verify() -> None:
    hashed = passwords.hash_password('s3cret', 4)
    assert hashed.startswith('$2b$04$')
    assert 's3cret' not in hashed
    assert passwords.verify_password('s3cret', hashed)
    assert not passwords.verify_password('s3cret ', hashed)
    assert not passwords.verify_password('S3cret', hashed)


def test_same_password_hashes_differently_each_time() -> None:
    first, second = passwords.hash_password('pw', 4), passwords.hash_password('pw', 4)
    assert first != second
    assert passwords.verify_password('pw', first) and passwords.verify_password('pw', second)


def test_passwords_longer_than_72_bytes_work_and_differ() -> None:
    common = 'x' * 100
    hashed = passwords.hash_password(common + 'A', 4)
    assert passwords.verify_password(common + 'A', hashed)
    assert not passwords.verify_password(common + 'B', hashed)  # differs after byte 72
    assert not passwords.verify_password(common, hashed)


def test_non_ascii_password() -> None:
    hashed = passwords.hash_password('pässwörd-密码', 4)
    assert passwords.verify_password('pässwörd-密码', hashed)
    assert not passwords.verify_password('passwort-密码', hashed)


@pytest.mark.parametrize('hashed', [None, '', 'not-a-hash', '$2b$04$short'])
def test_verify_against_bad_hash_is_false(hashed: str | None) -> None:
    assert passwords.verify_password('pw', hashed) is False


def test_verify_non_string_password_is_false() -> None:
    hashed = passwords.hash_password('pw', 4)
    assert passwords.verify_password(None, hashed) is False  # type: ignore[arg-type]


@pytest.mark.parametrize('password', ['', None, 42, 'x' * (passwords.MAX_PASSWORD_LENGTH + 1)])
def test_bad_passwords_are_refused(password: object) -> None:
    with pytest.raises(exception.InvalidInput) as err:
        passwords.hash_password(password, 4)  # type: ignore[arg-type]
    assert err.value.kwargs['field'] == 'password'


@pytest.mark.parametrize('rounds', [3, 32, True, '12'])
def test_bad_rounds_are_refused(rounds: object) -> None:
    with pytest.raises(exception.InvalidInput):
        passwords.hash_password('pw', rounds)  # type: ignore[arg-type]
