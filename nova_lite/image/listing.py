"""``GET /v2/images`` in the database: who sees what, the filters, the order, the page.

Without a ``visibility`` filter a project lists its own images, the public
ones and the shared ones it accepted (``member_status`` picks another answer,
or ``all``); community images of other projects appear only when asked for
with ``visibility=community`` (or ``all``). An admin lists every image.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import sqlalchemy as sa

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import records

Image = models.Image
MEMBER_STATUSES = ('pending', 'accepted', 'rejected', 'all')
VISIBILITY_FILTERS = ('public', 'private', 'shared', 'community', 'all')
COMPARISONS = {'gt': '__gt__', 'gte': '__ge__', 'lt': '__lt__', 'lte': '__le__',
               'eq': '__eq__', 'neq': '__ne__'}
# Sort keys and the column (nulls folded to a value, so keyset paging works) they order by.
SORT_COLUMNS: dict[str, Any] = {
    'name': sa.func.coalesce(Image.name, ''),
    'status': Image.status,
    'container_format': sa.func.coalesce(Image.container_format, ''),
    'disk_format': sa.func.coalesce(Image.disk_format, ''),
    'size': sa.func.coalesce(Image.size, -1),
    'virtual_size': sa.func.coalesce(Image.virtual_size, -1),
    'id': Image.id,
    'created_at': Image.created_at,
    'updated_at': sa.func.coalesce(Image.updated_at, Image.created_at),
    'visibility': Image.visibility,
    'owner': sa.func.coalesce(Image.owner, ''),
    'min_disk': Image.min_disk,
    'min_ram': Image.min_ram,
}
DEFAULT_SORT = (('created_at', True),)


@dataclasses.dataclass(frozen=True)
class TimeBound:
    """``created_at`` or ``updated_at`` compared (``gte``, ``lt``...) with a moment."""

    field: str
    operator: str
    moment: datetime.datetime


@dataclasses.dataclass(frozen=True)
class ImageQuery:
    """What a caller asked the image list for (already validated)."""

    one_of: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    """Core text fields (name, status, owner, formats, id) and the values allowed."""
    numbers: dict[str, int] = dataclasses.field(default_factory=dict)
    """Integer fields (size, min_disk, min_ram) that must equal a value."""
    flags: dict[str, bool] = dataclasses.field(default_factory=dict)
    """Boolean fields (protected, os_hidden)."""
    visibility: str | None = None
    member_status: str = 'accepted'
    tags: tuple[str, ...] = ()
    size_min: int | None = None
    size_max: int | None = None
    times: tuple[TimeBound, ...] = ()
    sort: tuple[tuple[str, bool], ...] = DEFAULT_SORT
    """(sort key, descending) pairs."""
    properties: dict[str, str] = dataclasses.field(default_factory=dict)
    """Extra properties that must have exactly these values (glance's other parameters)."""


def _visible(ctx: nl_context.RequestContext, query: ImageQuery) -> sa.ColumnElement[bool]:
    """The rows the caller may list under the query's visibility and member status."""
    wanted = query.visibility
    chosen = (sa.true() if wanted in (None, 'all')
              else Image.visibility == wanted)
    if ctx.is_admin:
        return chosen
    statuses = None if query.member_status == 'all' else (query.member_status,)
    public = Image.visibility == 'public'
    if ctx.project_id is None:
        community = Image.visibility == 'community'
        return sa.and_(chosen, sa.or_(public, community) if wanted else public)
    own = Image.owner == ctx.project_id
    accepted = records.shared_with(ctx.project_id, statuses)
    seen = [own, public, accepted]
    if wanted in ('community', 'all'):
        seen.append(Image.visibility == 'community')
    return sa.and_(chosen, sa.or_(*seen))


def _has_tag(db: db_api.Database, tag: str) -> sa.ColumnElement[bool]:
    """Images whose tag list holds ``tag`` (the JSON list read by the database)."""
    if db.is_sqlite:
        elements = sa.func.json_each(Image.tags).table_valued('value')
    else:
        elements = sa.func.json_array_elements_text(Image.tags).table_valued('value')
    return sa.select(elements.c.value).where(elements.c.value == tag).exists()


def conditions(db: db_api.Database, ctx: nl_context.RequestContext,
               query: ImageQuery) -> list[sa.ColumnElement[bool]]:
    """Every WHERE condition of the query."""
    where = [_visible(ctx, query)]
    where += [getattr(Image, field).in_(values) for field, values in query.one_of.items()]
    where += [getattr(Image, field) == value for field, value in query.numbers.items()]
    where += [getattr(Image, field) == value for field, value in query.flags.items()]
    where += [_has_tag(db, tag) for tag in query.tags]
    where += [Image.properties[key].as_string() == value
              for key, value in query.properties.items()]
    if query.size_min is not None:
        where.append(Image.size >= query.size_min)
    if query.size_max is not None:
        where.append(Image.size <= query.size_max)
    for bound in query.times:
        column = SORT_COLUMNS[bound.field]
        where.append(getattr(column, COMPARISONS[bound.operator])(bound.moment))
    return where


def order(query: ImageQuery) -> list[sql_paging.SortKey]:
    """The sort keys, then the id (in the last key's direction) to make rows unique."""
    keys = [sql_paging.SortKey(SORT_COLUMNS[name], descending=desc)
            for name, desc in query.sort if name != 'id']
    last_desc = query.sort[-1][1] if query.sort else True
    id_desc = dict(query.sort).get('id', last_desc)
    return [*keys, sql_paging.SortKey(Image.id, descending=id_desc)]


def page_images(db: db_api.Database, ctx: nl_context.RequestContext, query: ImageQuery,
                request: paging.PageRequest) -> paging.Page[dict[str, Any]]:
    """One page of the images the query selects, as glance v2 dicts."""
    statement = sa.select(Image).where(*conditions(db, ctx, query))
    with db.reader() as session:
        page = sql_paging.page_rows(session, statement, order(query), request, Image.id)
        return paging.Page([records.image_dict(row) for row in page.items], page.next_marker)
