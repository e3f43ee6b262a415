"""Paging: ``limit`` and ``marker`` read once, one page cut, one ``next`` link built.

The APIs agree on the idea (``marker`` is the id of the last item of the
previous page, a ``next`` link is sent only when ``limit`` was given and more
items follow) and differ in details, which :class:`PagingRules` names: the
largest page, whether ``limit=0`` means "no limit" (neutron) or an empty page
(nova, cinder), whether a marker without a limit counts (neutron ignores it).
An unknown marker is a 400 naming ``marker`` in every API.

:func:`paginate` pages a list in memory; :mod:`nova_lite.api.sql_paging` pages
a database query with the same :class:`PageRequest`.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from nova_lite.api import query
from nova_lite.common import exception

Item = TypeVar('Item')
Link = dict[str, str]


@dataclasses.dataclass(frozen=True)
class PagingRules:
    """How one API reads ``limit`` and ``marker``."""

    max_limit: int | None = None
    zero_is_unlimited: bool = False
    marker_needs_limit: bool = False


NOVA_PAGING = PagingRules()
NEUTRON_PAGING = PagingRules(zero_is_unlimited=True, marker_needs_limit=True)
CINDER_PAGING = PagingRules(max_limit=1000)
GLANCE_PAGING = PagingRules(max_limit=1000)


@dataclasses.dataclass(frozen=True)
class PageRequest:
    """What the caller asked for: at most ``limit`` items after ``marker``."""

    limit: int | None = None
    marker: str | None = None
    paged: bool = False
    """True when ``limit`` was given: the answer then carries its (maybe empty) links."""
    sort: tuple[tuple[str, bool], ...] = ()
    """(key, descending) pairs asked for (neutron's sort_key/sort_dir); () the default."""


EVERYTHING = PageRequest()


@dataclasses.dataclass(frozen=True)
class Page(Generic[Item]):
    """One page and the marker of the next one (None when nothing follows)."""

    items: list[Item]
    next_marker: str | None = None


def page_request(params: Mapping[str, str], rules: PagingRules) -> PageRequest:
    """The page asked for by ``params`` (last values of the query parameters)."""
    marker = params.get('marker')
    if 'limit' not in params:
        return PageRequest(marker=None if rules.marker_needs_limit else marker)
    limit: int | None = query.parse_int(params['limit'], 'limit', minimum=0)
    if rules.max_limit is not None and limit is not None:
        limit = min(limit, rules.max_limit)
    if rules.zero_is_unlimited and limit == 0:
        limit = None
    return PageRequest(limit=limit, marker=marker, paged=True)


def marker_not_found(marker: str) -> exception.InvalidInput:
    return exception.InvalidInput(field='marker', reason=f'marker {marker} not found')


def cut(items: Sequence[Item], limit: int | None, id_of: Callable[[Item], str]) -> Page[Item]:
    """The first ``limit`` of ``items`` (fetched with one more, to tell whether more follow)."""
    if limit is None:
        return Page(list(items))
    page = list(items[:limit])
    more = len(items) > limit and bool(page)
    return Page(page, id_of(page[-1]) if more else None)


def item_id(item: Mapping[str, Any]) -> str:
    return str(item['id'])


def paginate(items: Sequence[dict[str, Any]], request: PageRequest) -> Page[dict[str, Any]]:
    """The page of ``items`` (already filtered and sorted) that ``request`` asks for."""
    start = 0
    if request.marker is not None:
        ids = [item['id'] for item in items]
        if request.marker not in ids:
            raise marker_not_found(request.marker)
        start = ids.index(request.marker) + 1
    remaining = items[start:]
    if request.limit is None:
        return Page(list(remaining))
    return cut(remaining, request.limit, item_id)


def next_href(url: str, params: Iterable[tuple[str, str]], marker: str,
              limit: int | None = None) -> str:
    """``url`` with ``params`` (but their marker, and their limit when ``limit`` is
    given), then ``limit`` and ``marker``."""
    replaced = {'marker'} if limit is None else {'marker', 'limit'}
    kept = [(key, value) for key, value in params if key not in replaced]
    if limit is not None:
        kept.append(('limit', str(limit)))
    kept.append(('marker', marker))
    return f'{url}?{urllib.parse.urlencode(kept)}'


def links(page: Page[Any], url: str, params: Iterable[tuple[str, str]] = (),
          limit: int | None = None) -> list[Link]:
    """``[{"rel": "next", "href": ...}]`` when another page follows, else ``[]``."""
    if page.next_marker is None:
        return []
    return [{'rel': 'next', 'href': next_href(url, params, page.next_marker, limit)}]
