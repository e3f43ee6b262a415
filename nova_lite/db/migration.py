"""Schema migrations (alembic), as run by ``nova-lite-manage db sync``.

Every daemon checks the schema when it starts (and the embedded default
brings it up to date). That check reads the ``alembic_version`` table with
plain SQL and compares it with :data:`HEAD_REVISION`; alembic itself (with
mako and pygments, about 11 MB in each process) is imported only when a
migration actually has to run.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import sqlalchemy as sa

from nova_lite.db import api as db_api

if TYPE_CHECKING:
    from alembic.config import Config

_MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'migrations')
_VERSION_TABLE = 'alembic_version'

# The newest migration's revision; a unit test holds it to the migration scripts'
# head, so a new migration cannot forget to move it.
HEAD_REVISION = '0034'


def _alembic_config(database: db_api.Database | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option('script_location', _MIGRATIONS_DIR)
    if database is not None:
        config.attributes['engine'] = database.engine
    return config


def upgrade(database: db_api.Database, revision: str = 'head') -> None:
    """Migrate to ``revision``; nothing to import or run when already at the head."""
    if revision in ('head', HEAD_REVISION) and current_revision(database) == HEAD_REVISION:
        return
    from alembic import command

    command.upgrade(_alembic_config(database), revision)


def head_revision() -> str:
    """The newest migration's revision."""
    return HEAD_REVISION


def scripts_head_revision() -> str:
    """The head revision as alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(database: db_api.Database) -> str | None:
    """The database's revision; None when no migration has run on it."""
    with database.engine.connect() as conn:
        if not sa.inspect(conn).has_table(_VERSION_TABLE):
            return None
        versions = conn.execute(sa.text(f'SELECT version_num FROM {_VERSION_TABLE}')
                                ).scalars().all()
    if len(versions) > 1:
        raise RuntimeError(f'{_VERSION_TABLE} holds several heads: {", ".join(versions)}')
    return versions[0] if versions else None
