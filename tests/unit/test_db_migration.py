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


def test_head_revision_is_the_scripts_head() -> None:
    assert migration.head_revision() == migration.scripts_head_revision()


def test_current_revision_of_an_empty_database_is_none(tmp_path) -> None:
    from nova_lite.db import api as db_api

    empty = db_api.Database(f'sqlite:///{tmp_path}/empty.sqlite')
    try:
        assert migration.current_revision(empty) is None
        migration.upgrade(empty)
        assert migration.current_revision(empty) == migration.head_revision()
        with empty.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == \
                migration.head_revision()
        migration.upgrade(empty)  # at the head already: nothing to do
        assert migration.current_revision(empty) == migration.head_revision()
    finally:
        empty.dispose()


def test_sqlite_runs_in_wal_mode(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql('PRAGMA journal_mode').scalar() == 'wal'


def test_migrations_on_postgresql(pg_db):
    with pg_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
    assert diff == []
    assert migration.current_revision(pg_db) == migration.head_revision() == '0013'


def test_atom_events_have_a_nullable_hops_column(db):
    columns = {c['name']: c for c in sa.inspect(db.engine).get_columns('flow_atom_events')}
    assert columns['hops']['nullable'] is True
    assert migration.current_revision(db) == migration.head_revision() == '0013'
