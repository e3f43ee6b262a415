"""Cinder's list sorting and paging, shared by the volume and snapshot lists.

Sorting is ``sort=key[:dir],...`` or ``sort_key``/``sort_dir`` (newest first
by default, ties broken by id in the first key's direction). A page with a
limit carries a ``next`` link whenever it is full, as cinder's does, so a
client walking the links ends on an empty page when the count divides evenly.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from nova_lite.api import paging
from nova_lite.common import exception

ALIASES = {'display_name': 'name', 'display_description': 'description'}
DIRECTIONS = ('asc', 'desc')


def sort_pairs(wanted: dict[str, Any]) -> list[tuple[str, str]]:
    """The (key, direction) pairs a list query asks for."""
    if wanted.get('sort'):
        pairs = []
        for item in wanted['sort'].split(','):
            key, _, direction = item.partition(':')
            pairs.append((key.strip(), direction.strip() or 'desc'))
    elif 'sort_key' in wanted or 'sort_dir' in wanted:
        pairs = [(wanted.get('sort_key', 'created_at'), wanted.get('sort_dir', 'desc'))]
    else:
        pairs = [('created_at', 'desc')]
    return [(ALIASES.get(key, key), direction) for key, direction in pairs]


def sorted_items(items: Sequence[dict[str, Any]], wanted: dict[str, Any],
                 keys: Sequence[str]) -> list[dict[str, Any]]:
    """``items`` in the order the query asks for; 400 naming a bad key or direction."""
    pairs = sort_pairs(wanted)
    for key, direction in pairs:
        if key not in keys:
            raise exception.InvalidInput(field='sort_key', reason=f'{key!r} is not sortable')
        if direction not in DIRECTIONS:
            raise exception.InvalidInput(field='sort_dir',
                                         reason=f'{direction!r} is not asc or desc')
    if pairs[-1][0] != 'id':
        pairs.append(('id', pairs[0][1]))
    ordered = list(items)
    for key, direction in reversed(pairs):  # stable sorts, last key first
        ordered.sort(key=functools.partial(_item_value, key), reverse=direction == 'desc')
    return ordered


def _item_value(key: str, item: dict[str, Any]) -> tuple[bool, Any]:
    return _sort_value(item.get(key))


def _sort_value(value: Any) -> tuple[bool, Any]:
    """Nulls first (ascending); numbers as numbers, everything else as text."""
    if value is None:
        return (False, '')
    if isinstance(value, int) and not isinstance(value, bool):
        return (True, value)
    return (True, str(value))


def page(items: Sequence[dict[str, Any]], request: paging.PageRequest,
         resource: str = 'Marker') -> paging.Page[dict[str, Any]]:
    """The page ``request`` asks for; a full page names its last id as the next
    marker. A marker that is not listed is a 404, as cinder's MarkerNotFound."""
    start = 0
    if request.marker is not None:
        ids = [item['id'] for item in items]
        if request.marker not in ids:
            raise exception.NotFound(f'Marker {request.marker} could not be found.',
                                     resource=resource, id=request.marker)
        start = ids.index(request.marker) + 1
    remaining = list(items[start:])
    if request.limit is None:
        return paging.Page(remaining)
    chosen = remaining[:request.limit]
    full = bool(chosen) and len(chosen) == request.limit
    return paging.Page(chosen, chosen[-1]['id'] if full else None)
