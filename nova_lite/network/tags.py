"""Tags of networking resources (neutron's standard-attr-tag): checks, storage,
the ``tags`` of resource bodies and the four tag list filters.

Tags live in ``resource_tags``, one row per (resource id, tag). Every delete of
a tagged resource calls :func:`forget` in its own transaction, so no tag
outlives its resource.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db.models import network_tags as models

MAX_TAG_LENGTH = 255
TAG = 'tag'
FILTER_NAMES = ('tags', 'tags-any', 'not-tags', 'not-tags-any')

_Row = models.ResourceTag


def check_tag(tag: Any, field: str = TAG) -> str:
    """``tag`` if it is a tag: a string of at most 255 characters without a comma
    (lists of tags are comma-separated in the filters), else 400."""
    if not isinstance(tag, str):
        raise exception.InvalidInput(field=field,
                                     reason=f'must be a string, not {type(tag).__name__}')
    if len(tag) > MAX_TAG_LENGTH:
        raise exception.InvalidInput(field=field, reason=f"'{tag[:40]}...' is longer than "
                                                         f'{MAX_TAG_LENGTH} characters')
    if ',' in tag:
        raise exception.InvalidInput(field=field, reason=f"'{tag}' contains a comma")
    return tag


def check_tags(body: Any) -> list[str]:
    """The tags of a ``{"tags": [...]}`` body: a list of distinct tags, else 400."""
    if not isinstance(body, dict) or 'tags' not in body:
        raise exception.InvalidInput(field='tags', reason='the body must be {"tags": [...]}')
    wanted = body['tags']
    if not isinstance(wanted, list):
        raise exception.InvalidInput(field='tags', reason='must be a list of strings')
    checked = [check_tag(tag, 'tags') for tag in wanted]
    duplicates = sorted({tag for tag in checked if checked.count(tag) > 1})
    if duplicates:
        raise exception.InvalidInput(field='tags',
                                     reason=f'duplicate items in the list: {duplicates}')
    return checked


def of(session: orm.Session, resource_ids: Iterable[str]) -> dict[str, list[str]]:
    """The tags of ``resource_ids`` (sorted), by id; an untagged id is absent."""
    ids = list(resource_ids)
    result: dict[str, list[str]] = defaultdict(list)
    if ids:
        for resource_id, tag in session.execute(
                sa.select(_Row.resource_id, _Row.tag).where(_Row.resource_id.in_(ids))
                .order_by(_Row.resource_id, _Row.tag)):
            result[resource_id].append(tag)
    return result


def fill(session: orm.Session, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` (resource dicts with an ``id``) with their ``tags``."""
    stored = of(session, [item['id'] for item in items])
    for item in items:
        item['tags'] = list(stored.get(item['id'], []))
    return items


def has(session: orm.Session, resource_id: str, tag: str) -> bool:
    return session.get(_Row, (resource_id, tag)) is not None


def add(session: orm.Session, resource_id: str, tag: str) -> None:
    """Tag ``resource_id`` with ``tag`` (nothing if it already has it)."""
    if not has(session, resource_id, tag):
        session.add(_Row(resource_id=resource_id, tag=tag))
        session.flush()


def remove(session: orm.Session, resource_id: str, tag: str) -> bool:
    """Untag ``resource_id``; whether it had the tag."""
    result = session.execute(sa.delete(_Row).where(_Row.resource_id == resource_id,
                                                   _Row.tag == tag))
    return bool(getattr(result, 'rowcount', 0))


def replace(session: orm.Session, resource_id: str, tags: list[str]) -> None:
    """Make ``tags`` the tags of ``resource_id``."""
    session.execute(sa.delete(_Row).where(_Row.resource_id == resource_id,
                                          _Row.tag.not_in(tags)))
    kept = set(of(session, [resource_id]).get(resource_id, []))
    session.add_all(_Row(resource_id=resource_id, tag=tag) for tag in tags if tag not in kept)
    session.flush()


def forget(session: orm.Session, resource_ids: Iterable[str] | sa.Select[Any]) -> None:
    """Drop the tags of deleted resources (ids or a select of ids)."""
    ids = resource_ids if isinstance(resource_ids, sa.Select) else list(resource_ids)
    session.execute(sa.delete(_Row).where(_Row.resource_id.in_(ids)))


# -- list filters ---------------------------------------------------------------------

def _flat(values: list[Any]) -> list[str]:
    """The tags of a filter's values: each value is a tuple of comma-separated tags."""
    return sorted({tag for value in values
                   for tag in (value if isinstance(value, (tuple, list)) else (value,))})


def _with_all(id_column: Any, tags: list[str]) -> sa.ColumnElement[bool]:
    return id_column.in_(sa.select(_Row.resource_id).where(_Row.tag.in_(tags))
                         .group_by(_Row.resource_id)
                         .having(sa.func.count(_Row.tag) == len(tags)))


def _with_any(id_column: Any, tags: list[str]) -> sa.ColumnElement[bool]:
    return id_column.in_(sa.select(_Row.resource_id).where(_Row.tag.in_(tags)))


def filter_conditions(id_column: Any,
                      ) -> dict[str, Callable[[list[Any]], sa.ColumnElement[bool]]]:
    """neutron's tag filters on the resource whose id is ``id_column``: ``tags`` (has
    all of them), ``tags-any`` (has one of them), ``not-tags`` (lacks at least one of
    them), ``not-tags-any`` (has none of them)."""
    return {
        'tags': lambda values: _with_all(id_column, _flat(values)),
        'tags-any': lambda values: _with_any(id_column, _flat(values)),
        'not-tags': lambda values: sa.not_(_with_all(id_column, _flat(values))),
        'not-tags-any': lambda values: sa.not_(_with_any(id_column, _flat(values))),
    }
