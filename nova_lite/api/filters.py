"""List filters: the query parameters a list accepts, read once, matched in memory or SQL.

A filter given several times matches any of its values; different filters
must all match. Parameters a list does not know are ignored, as clients send
extras. A value a filter cannot read is a 400 naming the parameter.

Small lists (identity records, security groups) are matched here with
:func:`matching`; the large ones give the parsed filters to their manager,
which turns each into a condition of its database query.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from nova_lite.api import query
from nova_lite.common import exception


class QueryParams(Protocol):
    """What a request's query string offers (webob's MultiDict)."""

    def getall(self, key: str) -> list[str]: ...


def text(value: str) -> str:
    return value


def integer(value: str) -> int:
    """An integer a database column can hold (signed 64 bits)."""
    number = int(value.strip())
    if not -2 ** 63 <= number < 2 ** 63:
        raise ValueError(f'{value!r} is out of range')
    return number


def boolean(syntax: query.BooleanSyntax) -> Callable[[str], bool]:
    """A converter reading booleans as one API spells them."""

    def convert(value: str) -> bool:
        try:
            return query.parse_bool(value, '', syntax)
        except exception.InvalidInput:
            raise ValueError(f'{value!r} is not true or false') from None

    return convert


def equal(have: Any, wanted: Any) -> bool:
    return bool(have == wanted)


@dataclasses.dataclass(frozen=True)
class Filter:
    """A query parameter matched against ``key`` of the listed resource."""

    key: str
    convert: Callable[[str], Any] = text
    test: Callable[[Any, Any], bool] = equal


@dataclasses.dataclass(frozen=True)
class Wanted:
    """One filter present in a request: the resource key and the values asked for."""

    filter: Filter
    values: list[Any]

    @property
    def key(self) -> str:
        return self.filter.key


def parse_filters(params: QueryParams, filters: Mapping[str, Filter]) -> list[Wanted]:
    """The filters present in ``params``, values converted (400 naming a bad one)."""
    wanted: list[Wanted] = []
    for name, spec in filters.items():
        raw = params.getall(name)
        if not raw:
            continue
        try:
            wanted.append(Wanted(spec, [spec.convert(value) for value in raw]))
        except ValueError as exc:
            raise exception.InvalidInput(field=name, reason=str(exc)[:200]) from None
    return wanted


def matches(item: Mapping[str, Any], wanted: Iterable[Wanted]) -> bool:
    return all(any(want.filter.test(item.get(want.key), value) for value in want.values)
               for want in wanted)


def matching(items: Iterable[dict[str, Any]], wanted: list[Wanted]) -> list[dict[str, Any]]:
    return [item for item in items if matches(item, wanted)]


def select_fields(params: QueryParams) -> list[str] | None:
    """``fields=a&fields=b`` (or ``fields=a,b``): the keys to return; None for all."""
    names = [name.strip() for value in params.getall('fields') for name in value.split(',')]
    names = [name for name in names if name]
    return names or None


def project(item: dict[str, Any], fields: Iterable[str] | None) -> dict[str, Any]:
    """``item`` cut to ``fields`` (all of it for None)."""
    if fields is None:
        return item
    chosen = set(fields)
    return {key: value for key, value in item.items() if key in chosen}
