"""The migrations build exactly the schema the models describe."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from nova_lite.db import migration, models


def test_migrations_match_models(db):
    assert migration.current_revision(db) is not None
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql('PRAGMA journal_mode').scalar() == 'wal'


def test_migrations_on_postgresql(pg_db):
    with pg_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
    assert diff == []
    assert migration.current_revision(pg_db) == migration.head_revision() == '0006'


def test_atom_events_have_a_nullable_hops_column(db):
    columns = {c['name']: c for c in sa.inspect(db.engine).get_columns('flow_atom_events')}
    assert columns['hops']['nullable'] is True
    assert migration.current_revision(db) == migration.head_revision() == '0006'
