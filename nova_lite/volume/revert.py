"""Revert a volume to its latest snapshot (microversion 3.40), as cinder does.

The volume must be available, the snapshot available, the volume's newest
snapshot, and of the volume's current size (a volume extended since is not
reverted). While the backend copies the snapshot's bytes back the volume is
'reverting' and the snapshot 'restoring'; both are 'available' after it, and
the volume is 'error' if the backend fails.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import SnapshotStatus, VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume_snapshot as snapshot_models
from nova_lite.volume import rows
from nova_lite.volume import snapshots as snapshot_store
from nova_lite.volume.backends import base as backend_base

LOG = logging.getLogger(__name__)
Snapshot = snapshot_models.VolumeSnapshot
Volume = rows.Volume
REVERTING = 'reverting'
RESTORING = 'restoring'


class VolumeReverts:
    """Reverts volumes of one database and backend to their snapshots."""

    def __init__(self, db: db_api.Database, backend: backend_base.VolumeBackend) -> None:
        self.db = db
        self.backend = backend

    def _set(self, volume_id: str, volume_status: str, snapshot_id: str,
             snapshot_status: str) -> None:
        with self.db.session() as session:
            rows.write(session, sa.update(Volume).where(Volume.id == volume_id).values(
                status=volume_status, updated_at=timeutils.utcnow()))
            rows.write(session, sa.update(Snapshot).where(Snapshot.id == snapshot_id).values(
                status=snapshot_status))

    def revert(self, ctx: nl_context.RequestContext, volume_id: str,
               snapshot_id: str) -> None:
        with self.db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            snapshot = snapshot_store.load_snapshot(session, ctx, snapshot_id)
            if snapshot.volume_id != volume.id:
                raise exception.InvalidInput(
                    field='revert.snapshot_id',
                    reason=f'snapshot {snapshot.id} is not of volume {volume.id}')
            latest = session.scalar(sa.select(Snapshot.id).where(
                Snapshot.volume_id == volume.id).order_by(
                    Snapshot.created_at.desc(), Snapshot.id.desc()).limit(1))
            if latest != snapshot.id:
                raise exception.InvalidInput(
                    field='revert.snapshot_id',
                    reason=f'snapshot {snapshot.id} is not the latest of volume {volume.id}')
            if snapshot.size != volume.size:
                raise exception.InvalidInput(
                    field='revert.snapshot_id',
                    reason=f'volume {volume.id} is {volume.size} GiB, its snapshot '
                           f'{snapshot.size} GiB')
            if snapshot.status != SnapshotStatus.AVAILABLE:
                raise exception.Invalid(
                    reason=f'snapshot {snapshot.id} is {snapshot.status}; a revert needs it '
                           'available')
            marked = rows.write(session, sa.update(Volume).where(
                Volume.id == volume.id, Volume.status == VolumeStatus.AVAILABLE).values(
                    status=REVERTING, updated_at=timeutils.utcnow()))
            if not marked:
                raise exception.Invalid(
                    reason=f'volume {volume.id} is {volume.status}; a revert needs it '
                           'available')
            rows.write(session, sa.update(Snapshot).where(Snapshot.id == snapshot.id).values(
                status=RESTORING))
            locations = (volume.provider_location, snapshot.provider_location)
        try:
            if locations[0] is None or locations[1] is None:
                raise backend_base.VolumeBackendError(reason='no backend location')
            self.backend.revert_to_snapshot(locations[0], locations[1])
        except backend_base.VolumeBackendError as exc:
            LOG.exception('Reverting volume %s to snapshot %s failed', volume_id, snapshot_id)
            self._set(volume.id, VolumeStatus.ERROR, snapshot.id, SnapshotStatus.AVAILABLE)
            raise rows.backend_error('revert', exc) from exc
        self._set(volume.id, VolumeStatus.AVAILABLE, snapshot.id, SnapshotStatus.AVAILABLE)
