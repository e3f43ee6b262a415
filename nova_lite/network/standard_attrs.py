"""The standard attributes networks, subnets and ports keep beside their rows:
their ``description`` and their ``tags``, read and forgotten together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.network import descriptions, tags


def fill(session: orm.Session, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` (resource dicts with an ``id``) with their description and tags."""
    return tags.fill(session, descriptions.fill(session, items))


def forget(session: orm.Session, resource_ids: Iterable[str] | sa.Select[Any]) -> None:
    """Drop the description and tags of deleted resources (ids or a select of ids)."""
    ids = resource_ids if isinstance(resource_ids, sa.Select) else list(resource_ids)
    descriptions.forget(session, ids)
    tags.forget(session, ids)
