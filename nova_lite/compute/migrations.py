"""Migration records (``os-migrations``): the only code that reads and writes them.

A resize makes one (status ``pre-migrating``) when the API accepts it; the
resize flow marks it ``finished`` when the server waits in VERIFY_RESIZE,
the confirm flow ``confirmed`` and the revert flow ``reverted``; a resize
that fails marks it ``error``. Plain dicts out, never ORM objects.
"""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import compute_migrations as models

PRE_MIGRATING = 'pre-migrating'
MIGRATING = 'migrating'
FINISHED = 'finished'
CONFIRMING = 'confirming'
CONFIRMED = 'confirmed'
REVERTING = 'reverting'
REVERTED = 'reverted'
ERROR = 'error'
RESIZE = 'resize'
# A resize in these statuses still holds the old flavor's claim.
IN_PROGRESS = (PRE_MIGRATING, MIGRATING, FINISHED, CONFIRMING, REVERTING)


def _migration_dict(row: models.Migration) -> dict[str, Any]:
    return {'id': row.id, 'uuid': row.uuid, 'instance_uuid': row.instance_uuid,
            'project_id': row.project_id, 'user_id': row.user_id,
            'migration_type': row.migration_type, 'status': row.status,
            'source_compute': row.source_compute, 'dest_compute': row.dest_compute,
            'old_flavor_id': row.old_flavor_id, 'new_flavor_id': row.new_flavor_id,
            'created_at': timeutils.isotime(row.created_at),
            'updated_at': timeutils.isotime(row.updated_at)}


def confirm_on_delete(session: orm.Session, instance_id: str) -> None:
    """A server deleted while its resize waits confirms it, as Nova's delete does
    (called in the transaction that marks the instance deleted)."""
    session.execute(sa.update(models.Migration)
                    .where(models.Migration.instance_uuid == instance_id,
                           models.Migration.status == FINISHED)
                    .values(status=CONFIRMED, updated_at=timeutils.utcnow())
                    .execution_options(synchronize_session=False))


class MigrationStore:
    """Reads and writes migration records."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create(self, *, instance_id: str, project_id: str | None, user_id: str | None,
               host: str, old_flavor_id: str, new_flavor_id: str) -> dict[str, Any]:
        """A resize on ``host`` (source and destination), pre-migrating."""
        with self._db.session() as session:
            row = models.Migration(
                uuid=str(uuid_lib.uuid4()), instance_uuid=instance_id, project_id=project_id,
                user_id=user_id, migration_type=RESIZE, status=PRE_MIGRATING,
                source_compute=host, dest_compute=host, old_flavor_id=old_flavor_id,
                new_flavor_id=new_flavor_id, created_at=timeutils.utcnow())
            session.add(row)
            session.flush()
            return _migration_dict(row)

    def get(self, migration_id: int) -> dict[str, Any]:
        with self._db.reader() as session:
            row = session.get(models.Migration, migration_id)
            if row is None:
                raise exception.NotFound(resource='Migration', id=str(migration_id))
            return _migration_dict(row)

    def set_status(self, migration_id: int, status: str) -> dict[str, Any]:
        with self._db.session() as session:
            row = session.get(models.Migration, migration_id, with_for_update=True)
            if row is None:
                raise exception.NotFound(resource='Migration', id=str(migration_id))
            row.status = status
            row.updated_at = timeutils.utcnow()
            session.flush()
            return _migration_dict(row)

    def delete(self, migration_id: int) -> None:
        """Forget a migration the API made but could not start."""
        with self._db.session() as session:
            session.execute(sa.delete(models.Migration)
                            .where(models.Migration.id == migration_id))

    def waiting(self, instance_id: str) -> dict[str, Any] | None:
        """The instance's resize waiting for a confirm or revert (``finished``)."""
        with self._db.reader() as session:
            row = session.scalars(
                sa.select(models.Migration)
                .where(models.Migration.instance_uuid == instance_id,
                       models.Migration.status == FINISHED)
                .order_by(models.Migration.id.desc()).limit(1)).first()
            return _migration_dict(row) if row is not None else None

    def list(self, *, instance_id: str | None = None, project_id: str | None = None,
             status: str | None = None, host: str | None = None,
             migration_type: str | None = None) -> list[dict[str, Any]]:
        """Migrations, newest first, filtered as ``GET /os-migrations`` filters."""
        query = sa.select(models.Migration)
        table = models.Migration
        if instance_id is not None:
            query = query.where(table.instance_uuid == instance_id)
        if project_id is not None:
            query = query.where(table.project_id == project_id)
        if status is not None:
            query = query.where(table.status == status)
        if host is not None:
            query = query.where(sa.or_(table.source_compute == host,
                                       table.dest_compute == host))
        if migration_type is not None:
            query = query.where(table.migration_type == migration_type)
        with self._db.reader() as session:
            return [_migration_dict(row) for row in
                    session.scalars(query.order_by(table.created_at.desc(), table.id.desc()))]
