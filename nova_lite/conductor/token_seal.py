"""Sealing the user's token before a boot is saved or posted as a job.

A boot acts for its user with the user's token, and a boot is saved (its
logbook, in the database) and posted on the jobboard so that any conductor can
carry it on. What is saved is the token *sealed*: encrypted and authenticated
with the conductors' own Fernet keys (``[conductor] token_key_repository``),
so that reading the database, a dump of it or the jobboard gives nothing a
caller could present to an API.

The key repository is kept like the identity's Fernet keys
(:mod:`nova_lite.common.fernet_keys`, whose functions manage both): one key per
file, ``0`` staged, the highest index primary. The primary key seals, every
key unseals (``MultiFernet``), so a rotation does not break a boot sealed just
before it. A sealer made with :meth:`TokenSealer.from_repository` reads the
repository again whenever its files change, so a running conductor follows a
rotation without a restart.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence

from cryptography import fernet

from nova_lite.common import exception, fernet_keys

LOG = logging.getLogger(__name__)

# What the directory looked like when the keys were read: key indexes and mtime.
_RepositoryState = tuple[tuple[int, ...], int]


def _crypto(keys: Sequence[bytes | str]) -> fernet.MultiFernet:
    return fernet.MultiFernet([fernet.Fernet(key) for key in keys])


class TokenSealer:
    """Seals tokens with the primary key, unseals them with any key.

    Safe to share between threads (the boot pool's tasks all use one).
    """

    def __init__(self, keys: Sequence[bytes | str], *, repository: str | None = None,
                 ) -> None:
        """``keys``: primary first (as :func:`fernet_keys.load` returns them).

        With ``repository``, the keys are read again from it when it changes.
        """
        if not keys:
            raise exception.NovaLiteError('A token sealer needs at least one key.')
        self._crypto = _crypto(keys)
        self._repository = repository
        # None: the first use reads the repository again, so that a rotation
        # between the read of ``keys`` and now is not missed.
        self._state: _RepositoryState | None = None
        self._reload_lock = threading.Lock()

    @classmethod
    def from_repository(cls, path: str) -> TokenSealer:
        """The sealer of the key repository at ``path``.

        ConductorKeysMissing (one line naming the option and the command that
        creates the keys) if the repository does not exist or has no keys.
        """
        if not fernet_keys.key_indexes(path):
            raise exception.ConductorKeysMissing(path=path, problem='no keys')
        return cls(fernet_keys.load(path), repository=path)

    @staticmethod
    def _repository_state(path: str) -> _RepositoryState:
        try:
            mtime = os.stat(path).st_mtime_ns
        except FileNotFoundError:
            mtime = 0
        return tuple(fernet_keys.key_indexes(path)), mtime

    def _refresh(self) -> None:
        """Read the repository's keys again if its files changed since the last read.

        A read that fails (a rotation was half way) keeps the keys in use; the
        next call tries again.
        """
        if self._repository is None:
            return
        state = self._repository_state(self._repository)
        if state == self._state:
            return
        with self._reload_lock:
            if state == self._state:
                return
            try:
                crypto = _crypto(fernet_keys.load(self._repository))
            except (OSError, exception.NovaLiteError) as exc:
                LOG.warning('Could not read the conductor keys in %s again (%s); still '
                            'using the keys read before', self._repository, exc)
                return
            self._crypto = crypto
            self._state = state
            LOG.info('Read the conductor keys in %s again: keys %s', self._repository,
                     ', '.join(str(index) for index in state[0]))

    def seal(self, token: str) -> str:
        """The token encrypted and authenticated with the primary key (URL-safe text)."""
        self._refresh()
        return self._crypto.encrypt(token.encode('utf-8')).decode('ascii')

    def unseal(self, sealed: str) -> str:
        """The token ``sealed`` holds; SealedTokenInvalid if no key opens it."""
        if not isinstance(sealed, str) or not sealed:
            raise exception.SealedTokenInvalid(reason='it is not a sealed token')
        self._refresh()
        try:
            return self._crypto.decrypt(sealed.encode('utf-8')).decode('utf-8')
        except fernet.InvalidToken:
            raise exception.SealedTokenInvalid(
                reason='it is not a sealed token, or no key of this conductor sealed it',
            ) from None
        except UnicodeError:
            raise exception.SealedTokenInvalid(reason='it does not hold text') from None


def rotate_repository(path: str, max_active_keys: int) -> list[int]:
    """Rotate the conductor keys (:func:`fernet_keys.rotate`); returns the key indexes.

    ConductorKeysMissing if the repository has no staged key (never set up).
    """
    if fernet_keys.STAGED_KEY not in fernet_keys.key_indexes(path):
        raise exception.ConductorKeysMissing(path=path, problem='no staged key')
    return fernet_keys.rotate(path, max_active_keys)
