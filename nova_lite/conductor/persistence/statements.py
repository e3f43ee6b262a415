"""The persistence tables and every statement on them, built once at import.

Module-level statements keep SQLAlchemy's compiled-statement cache warm: a
statement is compiled the first time per dialect and reused afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from nova_lite.db.models import flow as flow_models

BOOKS: sa.Table = flow_models.FlowLogBook.__table__  # type: ignore[assignment]
FLOWS: sa.Table = flow_models.FlowDetailRecord.__table__  # type: ignore[assignment]
ATOMS: sa.Table = flow_models.AtomDetailRecord.__table__  # type: ignore[assignment]

# The columns an update may change (a row's uuid, parent and type never change).
BOOK_FIELDS = ('meta', 'created_at', 'updated_at')
FLOW_FIELDS = ('name', 'state', 'meta')
ATOM_FIELDS = ('name', 'state', 'intention', 'results', 'failure', 'revert_results',
               'revert_failure', 'version', 'meta')
FIELDS = {BOOKS.name: BOOK_FIELDS, FLOWS.name: FLOW_FIELDS, ATOMS.name: ATOM_FIELDS}

# Every statement below takes the row's uuid as ``b_uuid``.
UUID: sa.BindParameter[str] = sa.bindparam('b_uuid')


def update_by_uuid(table: sa.Table) -> sa.Update:
    """UPDATE table SET <the parameters' columns> WHERE uuid = :b_uuid.

    The SET clause comes from the parameter keys, which are always the same
    set for a table, so the compiled form is cached once.
    """
    return table.update().where(table.c.uuid == UUID)


UPDATE_BOOK = update_by_uuid(BOOKS)
UPDATE_FLOW = update_by_uuid(FLOWS)
UPDATE_ATOM = update_by_uuid(ATOMS)

SELECT_BOOK = sa.select(BOOKS).where(BOOKS.c.uuid == UUID)
SELECT_FLOW = sa.select(FLOWS).where(FLOWS.c.uuid == UUID)
SELECT_ATOM = sa.select(ATOMS).where(ATOMS.c.uuid == UUID)
BOOK_EXISTS = sa.select(BOOKS.c.uuid).where(BOOKS.c.uuid == UUID)
FLOWS_OF_BOOK = sa.select(FLOWS).where(FLOWS.c.parent_uuid == UUID)
ATOMS_OF_FLOW = sa.select(ATOMS).where(ATOMS.c.parent_uuid == UUID)
ATOMS_OF_BOOK = (sa.select(ATOMS).join(FLOWS, ATOMS.c.parent_uuid == FLOWS.c.uuid)
                 .where(FLOWS.c.parent_uuid == UUID))
ALL_BOOKS = sa.select(BOOKS)
ALL_FLOWS = sa.select(FLOWS)
ALL_ATOMS = sa.select(ATOMS)
PROBE = sa.select(BOOKS.c.uuid).limit(1)

DELETE_ATOMS_OF_BOOK = ATOMS.delete().where(ATOMS.c.parent_uuid.in_(
    sa.select(FLOWS.c.uuid).where(FLOWS.c.parent_uuid == UUID)))
DELETE_FLOWS_OF_BOOK = FLOWS.delete().where(FLOWS.c.parent_uuid == UUID)
DELETE_BOOK = BOOKS.delete().where(BOOKS.c.uuid == UUID)


def _upserts(insert: Callable[[sa.Table], Any]) -> dict[str, Any]:
    statements = {}
    for table in (FLOWS, ATOMS):
        stmt = insert(table)
        statements[table.name] = stmt.on_conflict_do_update(
            index_elements=[table.c.uuid],
            set_={field: stmt.excluded[field] for field in FIELDS[table.name]})
    return statements


# INSERT ... ON CONFLICT (uuid) DO UPDATE, for the dialects that speak it.
_UPSERTS = {'sqlite': _upserts(sqlite.insert), 'postgresql': _upserts(postgresql.insert)}


def upsert(conn: sa.Connection, table: sa.Table, values: list[dict[str, Any]]) -> None:
    """Insert the rows that are new and overwrite the others, by uuid."""
    if not values:
        return
    statement = _UPSERTS.get(conn.dialect.name, {}).get(table.name)
    if statement is not None:
        conn.execute(statement, values)
        return
    # Any other dialect: find which rows exist, then update or insert.
    uuids = [value['uuid'] for value in values]
    existing = set(conn.scalars(sa.select(table.c.uuid).where(table.c.uuid.in_(uuids))))
    fields = FIELDS[table.name]
    updates = [{**{f: v[f] for f in fields}, 'b_uuid': v['uuid']}
               for v in values if v['uuid'] in existing]
    inserts = [v for v in values if v['uuid'] not in existing]
    if updates:
        conn.execute(update_by_uuid(table), updates)
    if inserts:
        conn.execute(table.insert(), inserts)
