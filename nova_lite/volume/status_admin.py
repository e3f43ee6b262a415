"""An admin's repairs of a volume: cinder's ``os-reset_status`` and ``os-force_delete``.

``reset_status`` writes what the admin says (status, attach status, migration
status) without touching the backend; ``attach_status='detached'`` also drops
the volume's attachment rows, as cinder clears its attachments then.
``force_delete`` deletes a volume whatever its status (creating, error,
attaching, maintenance...): its reservations and its backend storage go with
it. It still refuses a volume that is attached to a server or has snapshots.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import AttachStatus, VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.volume import rows, snapshots
from nova_lite.volume.backends import base as backend_base

LOG = logging.getLogger(__name__)

# What os-reset_status may set: cinder's volume statuses, attach and migration statuses.
STATUSES = (*VolumeStatus.ALL, VolumeStatus.UPLOADING, 'detaching', 'maintenance',
            'error_managing', 'managing', 'restoring-backup', 'error_restoring',
            'awaiting-transfer', 'backing-up', 'error_backing-up', 'error_extending',
            'downloading', 'retyping', 'extending')
ATTACH_STATUSES = ('attached', 'detached')
MIGRATION_STATUSES = ('migrating', 'error', 'success', 'completing', 'none', 'starting')


def _checked(field: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value.lower() not in allowed:
        raise exception.InvalidInput(field=field,
                                     reason=f'must be one of {", ".join(allowed)}')
    return value.lower()


class VolumeStatusAdmin:
    """Status resets and forced deletes for one database and one backend."""

    def __init__(self, db: db_api.Database, backend: backend_base.VolumeBackend) -> None:
        self.db = db
        self.backend = backend

    def reset_status(self, ctx: nl_context.RequestContext, volume_id: str, *,
                     status: str | None = None, attach_status: str | None = None,
                     migration_status: str | None = None) -> None:
        """Set any of the three statuses (at least one: else a 400 naming them)."""
        status = _checked('status', status, STATUSES)
        attach_status = _checked('attach_status', attach_status, ATTACH_STATUSES)
        migration_status = _checked('migration_status', migration_status,
                                    MIGRATION_STATUSES)
        if status is None and attach_status is None and migration_status is None:
            raise exception.InvalidInput(
                field='os-reset_status',
                reason="must name 'status', 'attach_status' or 'migration_status'")
        with self.db.session() as session:
            row = rows.load_volume(session, ctx, volume_id)
            if status is not None:
                row.status = status
            if migration_status is not None:
                row.migration_status = None if migration_status == 'none' else migration_status
            if attach_status == 'detached':
                rows.write(session, sa.delete(rows.Attachment).where(
                    rows.Attachment.volume_id == row.id))
        LOG.info('Volume %s reset: status=%s attach_status=%s migration_status=%s',
                 volume_id, status, attach_status, migration_status)

    def force_delete(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        """Delete the volume in any status; 400 (InvalidVolume) while it is attached
        to a server or has snapshots."""
        with self.db.session() as session:
            row = rows.load_volume(session, ctx, volume_id)
            attached = session.scalar(sa.select(sa.func.count()).select_from(
                rows.Attachment).where(rows.Attachment.volume_id == row.id,
                                       rows.Attachment.attach_status == AttachStatus.ATTACHED))
            has_snapshots = snapshots.count_of_volume(session, row.id)
            if attached or has_snapshots:
                state = 'is attached' if attached else f'has {has_snapshots} snapshot(s)'
                raise snapshots.InvalidVolume(
                    reason=f'volume {row.id} {state}; even a forced delete needs it '
                           'detached and without snapshots')
            row.status = VolumeStatus.DELETING
            location = row.provider_location
            found_id = row.id
        try:
            if location:
                self.backend.delete_volume(location)
        except Exception as exc:
            LOG.exception('Backend failed to force-delete volume %s', found_id)
            with self.db.session() as session:
                rows.write(session, sa.update(rows.Volume).where(
                    rows.Volume.id == found_id).values(status=VolumeStatus.ERROR_DELETING))
            raise rows.backend_error('force delete', exc) from exc
        with self.db.session() as session:
            rows.write(session, sa.delete(rows.Attachment).where(
                rows.Attachment.volume_id == found_id))
            rows.write(session, sa.delete(rows.Volume).where(rows.Volume.id == found_id))
