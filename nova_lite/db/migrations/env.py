"""Alembic environment: runs against the engine nova_lite hands it."""

from alembic import context

from nova_lite.db import models

target_metadata = models.Base.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes['engine']
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == 'sqlite')
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
