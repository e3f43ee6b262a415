"""Keystone's ``OS-EP-FILTER`` endpoint groups: a name and the ``filters``
(``service_id``, ``interface``, ``region_id``) that choose catalog endpoints.

Only the groups themselves are kept; their project associations (which
narrow a project's catalog) are not served.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity_extensions as models
from nova_lite.identity import resources

FILTER_KEYS = ('service_id', 'interface', 'region_id')
INTERFACES = ('public', 'internal', 'admin')


def check_filters(filters: Any) -> dict[str, str]:
    """``filters`` if every key is a known filter and the interface a known one."""
    if not isinstance(filters, dict) or not filters:
        raise exception.InvalidInput(field='endpoint_group.filters',
                                     reason='must be a non-empty object')
    for key, value in filters.items():
        if key not in FILTER_KEYS:
            raise exception.InvalidInput(
                field=f'endpoint_group.filters.{key}',
                reason=f"unknown filter (known: {', '.join(FILTER_KEYS)})")
        if not isinstance(value, str) or not 0 < len(value) <= 255:
            raise exception.InvalidInput(field=f'endpoint_group.filters.{key}',
                                         reason='must be a string of 1-255 characters')
        if key == 'interface' and value not in INTERFACES:
            raise exception.InvalidInput(field='endpoint_group.filters.interface',
                                         reason=f"must be one of {', '.join(INTERFACES)}")
    return dict(filters)


def _group_dict(row: models.EndpointGroup) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'description': row.description,
            'filters': dict(row.filters)}


def _load(session: Any, group_id: str) -> models.EndpointGroup:
    return resources.load_row(session, models.EndpointGroup, 'EndpointGroup',
                              'endpoint_group_id', group_id)


class EndpointGroupStore:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create(self, name: str, filters: dict[str, str],
               description: str | None = None) -> dict[str, Any]:
        filters = check_filters(filters)
        with self._db.session() as session:
            row = models.EndpointGroup(id=uuid.uuid4().hex, name=name, filters=filters,
                                       description=description)
            session.add(row)
            session.flush()
            return _group_dict(row)

    def get(self, group_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return _group_dict(_load(session, group_id))

    def list(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.EndpointGroup).order_by(
                models.EndpointGroup.created_at, models.EndpointGroup.id))
            return [_group_dict(row) for row in rows]

    def update(self, group_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Sets the ``name``, ``description`` and/or ``filters`` given in ``changes``."""
        if 'filters' in changes:
            changes = {**changes, 'filters': check_filters(changes['filters'])}
        with self._db.session() as session:
            row = _load(session, group_id)
            for key in ('name', 'description', 'filters'):
                if key in changes:
                    setattr(row, key, changes[key])
            session.flush()
            return _group_dict(row)

    def delete(self, group_id: str) -> None:
        with self._db.session() as session:
            session.delete(_load(session, group_id))
