"""A Fernet key repository: one key per file, named by its index.

The identity service keeps its token keys in one (``[identity]
fernet_key_repository``), the conductors the keys that seal saved tokens in
another (``[conductor] token_key_repository``).

Like keystone's: ``0`` is the staged key (the next primary, already accepted
for decryption so that every node knows it before it starts signing), the
highest index is the primary key (it encrypts new tokens) and the keys in
between are secondary keys (they only decrypt). ``rotate`` promotes the staged
key to primary, stages a new key and drops the oldest secondary keys so that at
most ``max_active_keys`` keys remain.
"""

from __future__ import annotations

import logging
import os
import stat

from cryptography import fernet

from nova_lite.common import exception

LOG = logging.getLogger(__name__)

STAGED_KEY = 0


def key_indexes(repo: str) -> list[int]:
    """The key indexes present in ``repo``, ascending (other files are ignored)."""
    try:
        names = os.listdir(repo)
    except FileNotFoundError:
        return []
    return sorted(int(name) for name in names
                  if name.isdigit() and os.path.isfile(os.path.join(repo, name)))


def _write_key(repo: str, index: int) -> None:
    """Writes a fresh key as file ``index`` (mode 0600), atomically."""
    final = os.path.join(repo, str(index))
    temp = os.path.join(repo, f'.{index}.tmp')
    if os.path.exists(temp):
        os.unlink(temp)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, 'wb') as handle:
        handle.write(fernet.Fernet.generate_key())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, final)


def _ensure_directory(repo: str) -> None:
    if not os.path.isdir(repo):
        os.makedirs(repo, mode=0o700, exist_ok=True)
        os.chmod(repo, 0o700)  # makedirs' mode is filtered by the umask
    elif stat.S_IMODE(os.stat(repo).st_mode) & 0o077:
        LOG.warning('Fernet key repository %s is readable by group or others; '
                    'it should be mode 0700', repo)


def setup(repo: str) -> list[int]:
    """Creates the repository with a staged (0) and a primary (1) key if it has none.

    Idempotent: a repository that already has keys is left as it is. Returns
    the key indexes present afterwards.
    """
    _ensure_directory(repo)
    if not key_indexes(repo):
        _write_key(repo, STAGED_KEY)
        _write_key(repo, 1)
        LOG.info('Created Fernet key repository %s with keys 0 (staged) and 1 (primary)',
                 repo)
    return key_indexes(repo)


def rotate(repo: str, max_active_keys: int) -> list[int]:
    """Promotes the staged key to primary, stages a new key, drops the oldest keys.

    Tokens encrypted with a removed key no longer validate. Returns the key
    indexes present afterwards.
    """
    if isinstance(max_active_keys, bool) or not isinstance(max_active_keys, int) \
            or max_active_keys < 2:
        raise exception.InvalidInput(field='max_active_keys', reason='must be at least 2')
    indexes = key_indexes(repo)
    if STAGED_KEY not in indexes:
        raise exception.InvalidInput(
            field='fernet_key_repository',
            reason=f'{repo} has no staged key; run "nova-lite-manage fernet setup" first')
    new_primary = max(indexes) + 1
    os.replace(os.path.join(repo, str(STAGED_KEY)), os.path.join(repo, str(new_primary)))
    _write_key(repo, STAGED_KEY)
    indexes = key_indexes(repo)
    secondaries = [index for index in indexes if index not in (STAGED_KEY, new_primary)]
    excess = len(indexes) - max_active_keys
    for index in secondaries[:max(excess, 0)]:
        os.unlink(os.path.join(repo, str(index)))
        LOG.info('Removed Fernet key %d from %s', index, repo)
    LOG.info('Rotated Fernet keys in %s: key %d is now primary', repo, new_primary)
    return key_indexes(repo)


def load(repo: str) -> list[bytes]:
    """Every key, primary first, then the secondary keys newest first, staged last."""
    indexes = key_indexes(repo)
    if not indexes:
        raise exception.NovaLiteError(
            f'Fernet key repository {repo} has no usable keys; run '
            '"nova-lite-manage fernet setup".')
    ordered = sorted((index for index in indexes if index != STAGED_KEY), reverse=True)
    if STAGED_KEY in indexes:
        ordered.append(STAGED_KEY)
    keys = []
    for index in ordered:
        path = os.path.join(repo, str(index))
        with open(path, 'rb') as handle:
            key = handle.read().strip()
        try:
            fernet.Fernet(key)
        except ValueError:
            raise exception.NovaLiteError(f'Fernet key file {path} is not a valid key.') \
                from None
        keys.append(key)
    return keys
