"""Checks of caller-supplied values: each failure is a 4xx naming the field."""

from __future__ import annotations

import uuid
from typing import Any

from nova_lite.common import exception

MAX_NAME_LENGTH = 255


def string(field: str, value: Any, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """A string of at most ``max_length`` characters (empty is allowed)."""
    if not isinstance(value, str):
        raise exception.InvalidInput(field=field,
                                     reason=f'must be a string, not {type(value).__name__}')
    if len(value) > max_length:
        raise exception.InvalidInput(field=field,
                                     reason=f'is longer than {max_length} characters')
    return value


def optional_string(field: str, value: Any) -> str | None:
    return None if value is None else string(field, value)


def boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise exception.InvalidInput(field=field,
                                     reason=f'must be true or false, not {value!r}')
    return value


def integer(field: str, value: Any, *, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise exception.InvalidInput(field=field, reason=f'must be an integer, not {value!r}')
    if not minimum <= value <= maximum:
        raise exception.InvalidInput(field=field,
                                     reason=f'must be between {minimum} and {maximum}')
    return value


def is_uuid(value: Any) -> bool:
    """Whether ``value`` is a string in UUID form (hyphens optional, as neutron)."""
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def existing_id(resource: str, value: Any) -> str:
    """An id to look up: anything not shaped like a UUID cannot exist, so 404."""
    if not is_uuid(value):
        raise exception.NotFound(resource=resource, id=value)
    return str(value)


def string_list(field: str, value: Any) -> list[str] | None:
    """An optional list of strings (a filter such as ``ids``)."""
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        raise exception.InvalidInput(field=field, reason='must be a list of strings')
    for index, item in enumerate(value):
        string(f'{field}.{index}', item)
    return list(value)


def list_of_dicts(field: str, value: Any, allowed_keys: frozenset[str]) -> list[dict[str, Any]]:
    """A list whose items are dicts using only ``allowed_keys``."""
    if not isinstance(value, list | tuple):
        raise exception.InvalidInput(field=field, reason='must be a list')
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise exception.InvalidInput(field=f'{field}.{index}', reason='must be an object')
        unknown = sorted(set(item) - allowed_keys)
        if unknown:
            raise exception.InvalidInput(field=f'{field}.{index}.{unknown[0]}',
                                         reason='is not a known attribute')
    return list(value)
