"""Schema migrations (alembic), as run by ``nova-lite-manage db sync``."""

from __future__ import annotations

import os

from alembic import command
from alembic.config import Config
from alembic.runtime import migration as alembic_migration

from nova_lite.db import api as db_api

_MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'migrations')


def _alembic_config(database: db_api.Database) -> Config:
    config = Config()
    config.set_main_option('script_location', _MIGRATIONS_DIR)
    config.attributes['engine'] = database.engine
    return config


def upgrade(database: db_api.Database, revision: str = 'head') -> None:
    command.upgrade(_alembic_config(database), revision)


def head_revision() -> str:
    """The newest migration's revision."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option('script_location', _MIGRATIONS_DIR)
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(database: db_api.Database) -> str | None:
    with database.engine.connect() as conn:
        return alembic_migration.MigrationContext.configure(conn).get_current_revision()
