"""Password hashing with bcrypt.

bcrypt only looks at the first 72 bytes of its input (and the library refuses
longer input), so every password is first reduced to the base64 text of its
SHA-256 digest: 44 ASCII bytes, never a NUL byte, and two long passwords that
share their first 72 bytes still hash differently.
"""

from __future__ import annotations

import base64
import hashlib

import bcrypt

from nova_lite.common import exception

MAX_PASSWORD_LENGTH = 4096


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode('utf-8')).digest())


def validate_password(password: object) -> str:
    """The password if it is acceptable, else InvalidInput naming 'password'."""
    if not isinstance(password, str):
        raise exception.InvalidInput(field='password', reason='must be a string')
    if not password:
        raise exception.InvalidInput(field='password', reason='must not be empty')
    if len(password) > MAX_PASSWORD_LENGTH:
        raise exception.InvalidInput(
            field='password', reason=f'must be at most {MAX_PASSWORD_LENGTH} characters')
    return password


def hash_password(password: str, rounds: int) -> str:
    """A bcrypt hash (``$2b$...``) of ``password`` with 2**rounds iterations."""
    validate_password(password)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 4 <= rounds <= 31:
        raise exception.InvalidInput(field='bcrypt_rounds', reason='must be between 4 and 31')
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds=rounds)).decode('ascii')


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether ``password`` matches ``hashed`` (constant time; False on any bad input)."""
    if not isinstance(password, str) or not isinstance(hashed, str) or not hashed:
        return False
    try:
        return bcrypt.checkpw(_prehash(password), hashed.encode('ascii'))
    except (ValueError, UnicodeEncodeError):
        return False
