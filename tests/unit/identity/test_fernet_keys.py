"""The Fernet key repository: setup, rotation, loading."""

from __future__ import annotations

import os
import stat
import time

import pytest
from cryptography import fernet

from nova_lite.common import exception, fernet_keys
from nova_lite.identity import token_formatter


def _mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _payload() -> dict[str, object]:
    now = time.time()
    return {'user_id': 'u', 'project_id': 'p', 'methods': ['password'],
            'issued_at': now, 'expires_at': now + 60}


def test_setup_creates_staged_and_primary_keys(tmp_path: os.PathLike[str]) -> None:
    repo = os.path.join(tmp_path, 'keys')
    assert fernet_keys.setup(repo) == [0, 1]
    assert _mode(repo) == 0o700
    for name in ('0', '1'):
        path = os.path.join(repo, name)
        assert _mode(path) == 0o600
        with open(path, 'rb') as handle:
            fernet.Fernet(handle.read())  # a valid key
    assert not [name for name in os.listdir(repo) if not name.isdigit()]


def test_setup_is_idempotent(tmp_path: os.PathLike[str]) -> None:
    repo = os.path.join(tmp_path, 'keys')
    fernet_keys.setup(repo)
    before = fernet_keys.load(repo)
    assert fernet_keys.setup(repo) == [0, 1]
    assert fernet_keys.load(repo) == before


def test_load_orders_primary_first_staged_last(tmp_path: os.PathLike[str]) -> None:
    repo = os.path.join(tmp_path, 'keys')
    fernet_keys.setup(repo)
    fernet_keys.rotate(repo, 5)
    keys = {name: open(os.path.join(repo, name), 'rb').read() for name in os.listdir(repo)}
    assert fernet_keys.load(repo) == [keys['2'], keys['1'], keys['0']]


def test_rotate_promotes_the_staged_key(tmp_path: os.PathLike[str]) -> None:
    repo = os.path.join(tmp_path, 'keys')
    fernet_keys.setup(repo)
    staged = open(os.path.join(repo, '0'), 'rb').read()
    assert fernet_keys.rotate(repo, 3) == [0, 1, 2]
    assert open(os.path.join(repo, '2'), 'rb').read() == staged
    assert open(os.path.join(repo, '0'), 'rb').read() != staged
    assert _mode(os.path.join(repo, '0')) == 0o600
    assert fernet_keys.rotate(repo, 3) == [0, 2, 3]  # key 1 dropped: 3 keys at most
    assert fernet_keys.rotate(repo, 2) == [0, 4]


def test_token_survives_one_rotation_not_past_max_active_keys(
        tmp_path: os.PathLike[str]) -> None:
    repo = os.path.join(tmp_path, 'keys')
    fernet_keys.setup(repo)
    token = token_formatter.TokenFormatter(fernet_keys.load(repo)).issue(_payload())

    fernet_keys.rotate(repo, 3)
    assert token_formatter.TokenFormatter(fernet_keys.load(repo)).validate(token)['user_id'] \
        == 'u'

    fernet_keys.rotate(repo, 3)  # the key that signed it is removed
    with pytest.raises(exception.TokenInvalid):
        token_formatter.TokenFormatter(fernet_keys.load(repo)).validate(token)


def test_token_signed_by_new_primary_validates_on_a_node_with_it_staged(
        tmp_path: os.PathLike[str]) -> None:
    repo = os.path.join(tmp_path, 'keys')
    fernet_keys.setup(repo)
    not_yet_rotated = token_formatter.TokenFormatter(fernet_keys.load(repo))
    fernet_keys.rotate(repo, 3)
    token = token_formatter.TokenFormatter(fernet_keys.load(repo)).issue(_payload())
    assert not_yet_rotated.validate(token)['project_id'] == 'p'


def test_rotate_needs_a_repository(tmp_path: os.PathLike[str]) -> None:
    with pytest.raises(exception.InvalidInput) as err:
        fernet_keys.rotate(os.path.join(tmp_path, 'missing'), 3)
    assert err.value.kwargs['field'] == 'fernet_key_repository'


def test_rotate_refuses_fewer_than_two_keys(tmp_path: os.PathLike[str]) -> None:
    repo = os.path.join(tmp_path, 'keys')
    fernet_keys.setup(repo)
    with pytest.raises(exception.InvalidInput):
        fernet_keys.rotate(repo, 1)
    assert sorted(os.listdir(repo)) == ['0', '1']


def test_load_without_keys_fails_clearly(tmp_path: os.PathLike[str]) -> None:
    with pytest.raises(exception.NovaLiteError, match='fernet setup'):
        fernet_keys.load(os.path.join(tmp_path, 'missing'))


def test_load_refuses_a_corrupt_key(tmp_path: os.PathLike[str]) -> None:
    repo = os.path.join(tmp_path, 'keys')
    fernet_keys.setup(repo)
    with open(os.path.join(repo, '1'), 'wb') as handle:
        handle.write(b'garbage')
    with pytest.raises(exception.NovaLiteError, match='not a valid key'):
        fernet_keys.load(repo)
