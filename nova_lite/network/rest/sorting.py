"""Neutron's ``sort_key`` / ``sort_dir`` query parameters (the sorting extension).

Both repeat, in pairs: the n-th ``sort_dir`` (``asc`` or ``desc``) goes with
the n-th ``sort_key``. Which keys a list sorts on is the manager's (its
database columns); a key it does not know is a 400 naming ``sort_key``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from nova_lite.api import paging, wsgi
from nova_lite.common import exception
from nova_lite.network import listing

DIRECTIONS = {'asc': False, 'desc': True}

Sort = tuple[tuple[str, bool], ...]


def requested_sort(req: wsgi.Request) -> Sort:
    """The (key, descending) pairs of the query; 400 naming ``sort_dir`` or ``sort_key``."""
    keys, dirs = req.GET.getall('sort_key'), req.GET.getall('sort_dir')
    if len(keys) != len(dirs):
        raise exception.InvalidInput(
            'The number of sort_keys and sort_dirs must be same', field='sort_dir',
            reason='give one sort_dir for each sort_key')
    invalid = [value for value in dirs if value not in DIRECTIONS]
    if invalid:
        raise exception.InvalidInput(
            f"{invalid} is invalid value for sort_dirs, valid value is 'asc' and 'desc'",
            field='sort_dir', reason="must be 'asc' or 'desc'")
    empty = [key for key in keys if not key]
    if empty:
        raise exception.InvalidInput(field='sort_key', reason='must not be empty')
    seen: dict[str, bool] = {}
    for key, direction in zip(keys, dirs, strict=True):
        seen.setdefault(key, DIRECTIONS[direction])
    return tuple(seen.items())


def with_sort(request: paging.PageRequest, sort: Sort) -> paging.PageRequest:
    return dataclasses.replace(request, sort=sort)


def sorted_in_memory(items: Sequence[dict[str, Any]], sort: Sort,
                     known: Mapping[str, Callable[[dict[str, Any]], Any]],
                     ) -> list[dict[str, Any]]:
    """``items`` in the asked order (for lists that are not database queries)."""
    listing.check_sort_keys(sort, known)
    ordered = list(items)
    for key, descending in reversed(sort):
        value_of = known[key]
        ordered.sort(key=lambda item: (value_of(item) is not None, value_of(item)),
                     reverse=descending)
    return ordered
