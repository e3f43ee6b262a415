"""The ``description`` of networks, subnets and ports (standard-attr-description).

Routers, floating IPs and security groups keep theirs in their own rows; the
core resources keep theirs in ``resource_descriptions``, one row per described
resource.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models import network_extras as models
from nova_lite.network import validators


def check(value: str | None) -> str | None:
    """``value`` if it is a description (a string of at most 255 characters), else 400."""
    if value is None:
        return None
    return validators.string('description', value)


def of(session: orm.Session, resource_ids: Iterable[str]) -> dict[str, str]:
    """The non-empty descriptions of ``resource_ids``, by id."""
    ids = list(resource_ids)
    if not ids:
        return {}
    rows = session.execute(sa.select(models.ResourceDescription.resource_id,
                                     models.ResourceDescription.description)
                           .where(models.ResourceDescription.resource_id.in_(ids)))
    return {resource_id: text for resource_id, text in rows}


def fill(session: orm.Session, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` (resource dicts with an ``id``) with their stored descriptions."""
    stored = of(session, [item['id'] for item in items])
    for item in items:
        item['description'] = stored.get(item['id'], '')
    return items


def put(session: orm.Session, resource_id: str, description: str | None) -> None:
    """Set (None: keep) the description of ``resource_id``; ``''`` forgets it."""
    if description is None:
        return
    row = session.get(models.ResourceDescription, resource_id)
    if not description:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(models.ResourceDescription(resource_id=resource_id,
                                               description=description))
    else:
        row.description = description


def forget(session: orm.Session, resource_ids: Iterable[str] | sa.Select) -> None:
    """Drop the descriptions of deleted resources (ids or a select of ids)."""
    ids = resource_ids if isinstance(resource_ids, sa.Select) else list(resource_ids)
    session.execute(sa.delete(models.ResourceDescription)
                    .where(models.ResourceDescription.resource_id.in_(ids)))
