"""The query string of ``GET /v2/images`` read into an ``ImageQuery``.

Glance's spellings: ``name``, ``status``, ``id``, ``owner``,
``container_format`` and ``disk_format`` take a value or ``in:a,b``;
``tag`` repeats (an image needs every tag); ``size_min``/``size_max`` bound
the size; any other parameter is an extra property that must have that
value; ``created_at``/``updated_at`` take ``<op>:<ISO 8601 time>`` with op
one of gt, gte, lt, lte, eq, neq; ``protected`` and ``os_hidden`` are
true/false (hidden images are left out unless asked for); ``visibility`` and
``member_status`` choose whose images; the order is ``sort=key:dir,...`` or
repeated ``sort_key``/``sort_dir`` (not both). Every bad value is a 400
naming its parameter.
"""

from __future__ import annotations

from typing import Any

from oslo_utils import timeutils
from webob import multidict

from nova_lite.api import query
from nova_lite.common import exception
from nova_lite.image import listing, records

_ONE_OF = ('name', 'status', 'id', 'owner', 'container_format', 'disk_format')
_NUMBERS = ('size', 'min_disk', 'min_ram')
_FLAGS = ('protected',)
_MAX_TEXT = 255
# The parameters that are not extra-property filters (every other one is, as in glance).
_NOT_PROPERTIES = frozenset({
    *_ONE_OF, *_NUMBERS, *_FLAGS, 'os_hidden', 'visibility', 'member_status', 'tag',
    'size_min', 'size_max', 'created_at', 'updated_at', 'sort', 'sort_key', 'sort_dir',
    'limit', 'marker',
    # What real clients send that is no filter (openstacksdk and OSC: deleted=False,
    # is_public=None, repeated fields=): ignored, never read as properties.
    'deleted', 'is_public', 'fields'})
_DIRECTIONS = {'asc': False, 'desc': True}


def _choice(params: multidict.MultiDict, name: str, allowed: tuple[str, ...]) -> str | None:
    if name not in params:
        return None
    value = params.getall(name)[-1]
    if value not in allowed:
        raise exception.InvalidInput(field=name, reason=f'must be one of {", ".join(allowed)}')
    return str(value)


def _values(name: str, raw: str) -> list[str]:
    """``value`` or ``in:a,b`` (ids that are not UUIDs simply match nothing)."""
    if raw.startswith('in:'):
        values = [part.strip().strip('"') for part in raw[3:].split(',') if part.strip()]
    else:
        values = [raw]
    if name == 'id':
        return [c for c in (records.canonical_id(v) for v in values) if c is not None]
    if any(len(value) > _MAX_TEXT for value in values):
        raise exception.InvalidInput(field=name, reason=f'at most {_MAX_TEXT} characters')
    return values


def _time_bound(name: str, raw: str) -> listing.TimeBound:
    operator, sep, moment = raw.partition(':')
    if not sep or operator not in listing.COMPARISONS:
        operator, moment = 'eq', raw
    try:
        parsed = timeutils.normalize_time(timeutils.parse_isotime(moment))
    except ValueError:
        raise exception.InvalidInput(
            field=name, reason='must be [<gt|gte|lt|lte|eq|neq>:]<ISO 8601 time>') from None
    return listing.TimeBound(name, operator, parsed)


def _sort_key(name: str, field: str) -> str:
    if name not in listing.SORT_COLUMNS:
        raise exception.InvalidInput(
            field=field, reason=f'unknown sort key {name!r}; one of '
                                f'{", ".join(sorted(listing.SORT_COLUMNS))}')
    return name


def _direction(value: str, field: str) -> bool:
    if value not in _DIRECTIONS:
        raise exception.InvalidInput(field=field, reason='must be asc or desc')
    return _DIRECTIONS[value]


def _sort(params: multidict.MultiDict) -> tuple[tuple[str, bool], ...]:
    if 'sort' in params:
        if 'sort_key' in params or 'sort_dir' in params:
            raise exception.InvalidInput(field='sort', reason='cannot be combined with '
                                                              'sort_key or sort_dir')
        pairs = []
        for part in params.getall('sort')[-1].split(','):
            name, _, direction = part.strip().partition(':')
            pairs.append((_sort_key(name, 'sort'), _direction(direction or 'desc', 'sort')))
        return tuple(pairs)
    keys = [_sort_key(k, 'sort_key') for k in params.getall('sort_key')]
    dirs = [_direction(d, 'sort_dir') for d in params.getall('sort_dir')]
    if not keys:
        return ((listing.DEFAULT_SORT[0][0], dirs[0] if dirs else True),)
    if len(dirs) > 1 and len(dirs) != len(keys):
        raise exception.InvalidInput(field='sort_dir', reason='give one direction, or one '
                                                              'per sort_key')
    dirs = dirs * len(keys) if len(dirs) == 1 else dirs or [True] * len(keys)
    return tuple(zip(keys, dirs, strict=True))


def _size(params: multidict.MultiDict, name: str) -> int | None:
    if name not in params:
        return None
    return query.parse_int(params.getall(name)[-1], name, minimum=0)


def image_query(params: multidict.MultiDict) -> listing.ImageQuery:
    """The list query the parameters ask for."""
    last: dict[str, Any] = {name: params.getall(name)[-1] for name in params}
    flags = {name: query.flag(params, name, query.GLANCE_BOOLEAN)
             for name in _FLAGS if name in params}
    flags['os_hidden'] = query.flag(params, 'os_hidden', query.GLANCE_BOOLEAN)
    return listing.ImageQuery(
        one_of={name: _values(name, last[name]) for name in _ONE_OF if name in last},
        numbers={name: query.parse_int(last[name], name, minimum=0)
                 for name in _NUMBERS if name in last},
        flags=flags,
        visibility=_choice(params, 'visibility', listing.VISIBILITY_FILTERS),
        member_status=_choice(params, 'member_status', listing.MEMBER_STATUSES) or 'accepted',
        tags=tuple(params.getall('tag')),
        size_min=_size(params, 'size_min'),
        size_max=_size(params, 'size_max'),
        times=tuple(_time_bound(name, value) for name in ('created_at', 'updated_at')
                    for value in params.getall(name)),
        sort=_sort(params),
        properties={name: str(value) for name, value in last.items()
                    if name not in _NOT_PROPERTIES})
