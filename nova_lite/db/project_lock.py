"""The per-project lock row that quota checks take before they count usage.

Each quota engine (compute, block storage, network) keeps a table with one row
per project. :func:`lock_project` makes the row if it is missing and locks it
(SELECT ... FOR UPDATE on PostgreSQL; SQLite's writers are serialized by
``BEGIN IMMEDIATE`` anyway) until the transaction ends, so two creates of one
project count and insert one after the other.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from nova_lite.common import timeutils


def lock_project(session: orm.Session, model: Any, project_id: str) -> None:
    """Hold ``project_id``'s row of ``model`` (columns project_id, created_at)."""
    dialect = session.get_bind().dialect.name
    insert: Any = (postgresql.insert(model) if dialect == 'postgresql'
                   else sqlite.insert(model))
    session.execute(insert.values(project_id=project_id, created_at=timeutils.utcnow())
                    .on_conflict_do_nothing(index_elements=['project_id']))
    session.execute(sa.select(model.project_id)
                    .where(model.project_id == project_id).with_for_update())
