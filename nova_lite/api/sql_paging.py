"""Paging in the database: the filtered, sorted query cut after the marker, with LIMIT.

A list query's cost must not grow with its table: the caller puts its filters
in the statement, :func:`page_rows` adds the sort order, a keyset condition
"after the marker row" and ``LIMIT n + 1`` (one more tells whether a next
page exists). With an index on the filter columns followed by the sort
columns, the database reads about one page of rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.api import paging

# The largest LIMIT every database takes (a signed 64-bit integer, less the extra row).
_MAX_SQL_LIMIT = 2 ** 63 - 2


@dataclasses.dataclass(frozen=True)
class SortKey:
    """One column of a list's order; the last key of an order must be unique (the id).

    A ``nullable`` column sorts NULL as its smallest value (first ascending, last
    descending) on every database, and compares with a NULL marker value.
    """

    column: Any
    descending: bool = False
    nullable: bool = False

    def ordered(self) -> Any:
        ordered = self.column.desc() if self.descending else self.column.asc()
        if not self.nullable:
            return ordered
        return ordered.nulls_last() if self.descending else ordered.nulls_first()

    def after(self, value: Any) -> sa.ColumnElement[bool]:
        if not self.nullable:
            return self.column < value if self.descending else self.column > value
        if value is None:
            return sa.false() if self.descending else self.column.is_not(None)
        if self.descending:
            return sa.or_(self.column < value, self.column.is_(None))
        return self.column > value

    def equal(self, value: Any) -> sa.ColumnElement[bool]:
        if self.nullable and value is None:
            return self.column.is_(None)
        return self.column == value


def _after_marker(order: Sequence[SortKey], values: Sequence[Any]) -> sa.ColumnElement[bool]:
    """Rows that sort after the marker row whose sort values are ``values``."""
    alternatives = []
    for index, key in enumerate(order):
        equal = [order[i].equal(values[i]) for i in range(index)]
        alternatives.append(sa.and_(*equal, key.after(values[index])))
    return sa.or_(*alternatives)


def page_rows(session: orm.Session, statement: sa.Select[Any], order: Sequence[SortKey],
              request: paging.PageRequest, id_column: Any) -> paging.Page[Any]:
    """The ORM rows of ``statement`` (filters already applied) on the requested page.

    The marker must be a row of the same filtered list, else a 400 naming ``marker``.
    """
    if request.marker is not None:
        marker_values = session.execute(
            statement.with_only_columns(*(key.column for key in order))
            .where(id_column == request.marker).limit(1)).first()
        if marker_values is None:
            raise paging.marker_not_found(request.marker)
        statement = statement.where(_after_marker(order, tuple(marker_values)))
    statement = statement.order_by(*(key.ordered() for key in order))
    if request.limit is not None:
        statement = statement.limit(min(request.limit, _MAX_SQL_LIMIT) + 1)
    rows = session.scalars(statement).all()
    return paging.cut(rows, request.limit, lambda row: str(row.id))
