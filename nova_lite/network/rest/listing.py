"""Neutron's list query parameters: attribute filters, ``fields=``, ``limit``/``marker``.

A filter given several times matches any of its values; different filters
must all match. Parameters a resource does not know are ignored, as clients
send extras. Pagination links are sent only when ``limit`` is passed.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from nova_lite.common import exception

_TRUE = ('true', '1', 'yes', 'on')
_FALSE = ('false', '0', 'no', 'off')
_PAGING = ('limit', 'marker')


class Query(Protocol):
    """What a request's query string offers (webob's MultiDict)."""

    def getall(self, key: str) -> list[str]: ...

    def items(self) -> Any: ...


def text(value: str) -> str:
    return value


def boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f'{value!r} is not true or false')


def integer(value: str) -> int:
    return int(value.strip())


def mac(value: str) -> str:
    return value.strip().lower()


def ip_address(value: str) -> str:
    return str(ipaddress.ip_address(value.strip()))


def cidr(value: str) -> str:
    return str(ipaddress.ip_network(value.strip(), strict=False))


def _equal(have: Any, wanted: Any) -> bool:
    return bool(have == wanted)


@dataclasses.dataclass(frozen=True)
class Filter:
    """A query parameter matched against one key of the resource's body."""

    key: str
    convert: Callable[[str], Any] = text
    test: Callable[[Any, Any], bool] = _equal


Wanted = list[tuple[Filter, list[Any]]]


def parse_filters(query: Query, filters: Mapping[str, Filter]) -> Wanted:
    """The filters present in ``query``, values converted (400 naming a bad one)."""
    wanted: Wanted = []
    for name, spec in filters.items():
        raw = query.getall(name)
        if not raw:
            continue
        try:
            wanted.append((spec, [spec.convert(value) for value in raw]))
        except ValueError as exc:
            raise exception.InvalidInput(field=name, reason=str(exc)[:200]) from None
    return wanted


def matches(item: Mapping[str, Any], wanted: Wanted) -> bool:
    return all(any(spec.test(item.get(spec.key), value) for value in values)
               for spec, values in wanted)


def select_fields(query: Query) -> list[str] | None:
    """``fields=a&fields=b`` (or ``fields=a,b``): the keys to return; None for all."""
    names = [name.strip() for value in query.getall('fields') for name in value.split(',')]
    names = [name for name in names if name]
    return names or None


def project(item: dict[str, Any], fields: Sequence[str] | None) -> dict[str, Any]:
    if fields is None:
        return item
    return {key: value for key, value in item.items() if key in fields}


def _limit(query: Query) -> int | None:
    values = query.getall('limit')
    if not values:
        return None
    try:
        limit = int(values[-1])
    except ValueError:
        raise exception.InvalidInput(field='limit', reason='must be an integer') from None
    if limit < 0:
        raise exception.InvalidInput(field='limit', reason='must not be negative')
    return limit


def paginate(items: list[dict[str, Any]], query: Query,
             collection_url: str) -> tuple[list[dict[str, Any]], list[dict[str, str]] | None]:
    """One page of ``items`` (in their order) and its links, or (all, None) without
    ``limit``. ``marker`` is the id of the last item of the previous page."""
    limit = _limit(query)
    if limit is None:
        return items, None
    markers = query.getall('marker')
    start = 0
    if markers:
        ids = [item.get('id') for item in items]
        if markers[-1] not in ids:
            raise exception.InvalidInput(field='marker',
                                         reason=f'{markers[-1]!r} is not in the list')
        start = ids.index(markers[-1]) + 1
    if limit == 0:
        return items[start:], []
    page = items[start:start + limit]
    links: list[dict[str, str]] = []
    if start + limit < len(items) and page:
        params = [(k, v) for k, v in query.items() if k not in _PAGING]
        params += [('limit', str(limit)), ('marker', str(page[-1]['id']))]
        links.append({'rel': 'next',
                      'href': f'{collection_url}?{urllib.parse.urlencode(params)}'})
    return page, links
