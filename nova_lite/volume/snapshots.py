"""Volume snapshots: point-in-time copies of a volume kept by the backend.

As in cinder, a snapshot is taken of an ``available`` volume (an ``in-use``
one only with ``force``), goes ``creating`` -> ``available``, and is deleted
through ``deleting``. The copy is made outside any transaction, by the
``volume-snapshot-create`` flow (:mod:`nova_lite.volume.flows.snapshot`);
when it fails the flow removes the row again (the backend leaves no file
behind), so a failed create leaves nothing. The snapshot row is written in
the same transaction as a conditional touch of its volume, so a volume
delete that counted no snapshots cannot race with a new one.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import SnapshotStatus, VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume_snapshot as models
from nova_lite.volume import quotas, rows
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import keys as flow_keys
from nova_lite.volume.flows import runner as flow_runner_module
from nova_lite.volume.flows import snapshot as snapshot_flows

LOG = logging.getLogger(__name__)

Snapshot = models.VolumeSnapshot
Volume = rows.Volume
DELETABLE = (SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR, SnapshotStatus.ERROR_DELETING)
UPDATABLE = ('name', 'description', 'metadata')


class InvalidVolume(exception.Invalid):
    """Cinder's InvalidVolume: the volume's state does not allow the request (400)."""

    msg_fmt = 'Invalid volume: %(reason)s'


class InvalidSnapshot(exception.Invalid):
    """Cinder's InvalidSnapshot: the snapshot's state does not allow the request (400)."""

    msg_fmt = 'Invalid snapshot: %(reason)s'


def format_snapshot(row: models.VolumeSnapshot) -> dict[str, Any]:
    """A snapshot shaped like cinder's v3 snapshot body."""
    return {
        'id': row.id, 'volume_id': row.volume_id, 'name': row.name,
        'description': row.description, 'status': row.status, 'size': row.size,
        'metadata': dict(row.snapshot_metadata or {}),
        'created_at': timeutils.isotime(row.created_at),
        'updated_at': timeutils.isotime(row.updated_at),
        'os-extended-snapshot-attributes:project_id': row.project_id,
        'os-extended-snapshot-attributes:progress': row.progress or (
            '100%' if row.status == SnapshotStatus.AVAILABLE else '0%'),
        'user_id': row.user_id,
    }


def scoped(ctx: nl_context.RequestContext, query: sa.Select[Any]) -> sa.Select[Any]:
    """``query`` limited to the caller's project's snapshots (all for an admin)."""
    if ctx.is_admin:
        return query
    return query.where(Snapshot.project_id == ctx.project_id)


def load_snapshot(session: orm.Session, ctx: nl_context.RequestContext,
                  snapshot_id: Any) -> models.VolumeSnapshot:
    """The snapshot if ``ctx`` may see it, else NotFound (also for malformed ids)."""
    canonical = rows.canonical_uuid(snapshot_id)
    row = None
    if canonical is not None:
        row = session.scalar(scoped(ctx, sa.select(Snapshot).where(Snapshot.id == canonical)))
    if row is None:
        raise exception.NotFound(resource='Snapshot', id=snapshot_id)
    return row


def count_of_volume(session: orm.Session, volume_id: str) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(Snapshot).where(
        Snapshot.volume_id == volume_id)) or 0)


class VolumeSnapshots:
    """Snapshots of one database's volumes on one backend."""

    def __init__(self, db: db_api.Database, backend: backend_base.VolumeBackend,
                 volume_quotas: quotas.VolumeQuotas | None = None,
                 flow_runner: flow_runner_module.VolumeFlowRunner | None = None) -> None:
        """``volume_quotas``: checked in each create's transaction (None: no quotas);
        ``flow_runner``: runs (and saves) the create and delete flows."""
        self.db = db
        self.backend = backend
        self.quotas = volume_quotas
        self.flows = flow_runner or flow_runner_module.VolumeFlowRunner()

    def _set_status(self, snapshot_id: str, status: str, **values: Any) -> None:
        with self.db.session() as session:
            rows.write(session, sa.update(Snapshot).where(Snapshot.id == snapshot_id).values(
                status=status, **values))

    def create(self, ctx: nl_context.RequestContext, volume_id: str, *,
               name: str | None = None, description: str | None = None,
               metadata: dict[str, str] | None = None,
               force: bool = False) -> dict[str, Any]:
        """Copy the volume's bytes into a new snapshot; 'available' when done."""
        allowed = [VolumeStatus.AVAILABLE] + ([VolumeStatus.IN_USE] if force else [])
        row = Snapshot(id=str(uuid.uuid4()), name=rows.optional_str('name', name),
                       description=rows.optional_str('description', description),
                       snapshot_metadata=rows.checked_metadata(metadata),
                       project_id=ctx.project_id, user_id=ctx.user_id,
                       status=SnapshotStatus.CREATING)
        with self.db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            if self.quotas is not None:  # the project lock first, then the volume row
                self.quotas.check(session, ctx.project_id or '',
                                  volume_type=volume.volume_type, snapshots=1,
                                  gigabytes=volume.size)
            touched = rows.write(session, sa.update(Volume).where(
                Volume.id == volume.id, Volume.status.in_(allowed)).values(
                    updated_at=timeutils.utcnow()))
            if not touched:
                needed = ' or '.join(allowed)
                raise InvalidVolume(reason=f'volume {volume.id} is {volume.status}; a '
                                           f'snapshot needs it {needed}'
                                           + ('' if force else ' (or force for in-use)'))
            row.volume_id, row.size = volume.id, volume.size
            location = volume.provider_location
            session.add(row)
        store = {flow_keys.SNAPSHOT_ID: row.id, flow_keys.VOLUME_ID: row.volume_id,
                 flow_keys.VOLUME_LOCATION: location}
        try:
            self.flows.run(snapshot_flows.get_snapshot_create_flow(self.db, self.backend),
                           store, row.id)
        except Exception as exc:
            LOG.warning('Snapshot of volume %s failed: %s', row.volume_id, exc)
            raise rows.backend_error('snapshot', exc) from exc
        return self.get(ctx, row.id)

    def get(self, ctx: nl_context.RequestContext, snapshot_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            return format_snapshot(load_snapshot(session, ctx, snapshot_id))

    def list(self, ctx: nl_context.RequestContext, *, name: str | None = None,
             status: str | None = None, volume_id: str | None = None,
             project_id: str | None = None) -> list[dict[str, Any]]:
        """The caller's snapshots (every project's for an admin unless
        ``project_id``), oldest first, filtered by the given fields."""
        query = scoped(ctx, sa.select(Snapshot))
        for column, value in ((Snapshot.name, name), (Snapshot.status, status),
                              (Snapshot.volume_id, volume_id),
                              (Snapshot.project_id, project_id)):
            if value is not None:
                query = query.where(column == value)
        with self.db.reader() as session:
            found = session.scalars(query.order_by(Snapshot.created_at, Snapshot.id))
            return [format_snapshot(row) for row in found]

    def update(self, ctx: nl_context.RequestContext, snapshot_id: str,
               changes: dict[str, Any], *, merge_metadata: bool = False,
               delete_metadata_key: str | None = None) -> dict[str, Any]:
        """Set name, description and/or metadata (replaced or merged), or drop one
        metadata key (NotFound when absent)."""
        unknown = sorted(set(changes) - set(UPDATABLE))
        if unknown:
            raise exception.InvalidInput(field=str(unknown[0]), reason='cannot be changed')
        values: dict[str, Any] = {field: rows.optional_str(field, changes[field])
                                  for field in ('name', 'description') if field in changes}
        metadata = (rows.checked_metadata(changes['metadata'])
                    if 'metadata' in changes else None)
        with self.db.session() as session:
            row = load_snapshot(session, ctx, snapshot_id)
            metadata = rows.changed_metadata(row.snapshot_metadata, metadata,
                                             merge=merge_metadata,
                                             delete_key=delete_metadata_key)
            if metadata is not None:
                values['snapshot_metadata'] = metadata
            for key, value in values.items():
                setattr(row, key, value)
        return self.get(ctx, row.id)

    def reset_status(self, ctx: nl_context.RequestContext, snapshot_id: str,
                     status: str) -> None:
        """Set any status (an admin's os-reset_status); the progress is derived again."""
        if status not in SnapshotStatus.ALL:
            raise exception.InvalidInput(field='status',
                                         reason=f'must be one of {", ".join(SnapshotStatus.ALL)}')
        with self.db.session() as session:
            row = load_snapshot(session, ctx, snapshot_id)
            row.status, row.progress = status, None

    def update_status(self, ctx: nl_context.RequestContext, snapshot_id: str, status: str,
                      progress: str | None = None) -> None:
        """os-update_snapshot_status: a creating snapshot may become available or error,
        a deleting one error_deleting (each may also stay); other moves are a 400."""
        allowed = {SnapshotStatus.CREATING: (SnapshotStatus.CREATING,
                                             SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR),
                   SnapshotStatus.DELETING: (SnapshotStatus.DELETING,
                                             SnapshotStatus.ERROR_DELETING)}
        with self.db.session() as session:
            row = load_snapshot(session, ctx, snapshot_id)
            if status not in allowed.get(row.status, ()):
                raise InvalidSnapshot(reason=f'snapshot {row.id} cannot go from {row.status} '
                                             f'to {status}')
            row.status = status
            if progress is not None:
                row.progress = rows.optional_str('progress', progress)

    def delete(self, ctx: nl_context.RequestContext, snapshot_id: str, *,
               force: bool = False) -> None:
        """Delete an available (or failed) snapshot and its backend copy; ``force``
        (an admin's os-force_delete) deletes it whatever its status, and also a
        member of a group snapshot (which otherwise goes only with its group snapshot)."""
        deletable = SnapshotStatus.ALL if force else DELETABLE
        with self.db.session() as session:
            row = load_snapshot(session, ctx, snapshot_id)
            if row.group_snapshot_id is not None and not force:
                raise InvalidSnapshot(reason=f'snapshot {row.id} is part of group snapshot '
                                             f'{row.group_snapshot_id}; delete that instead')
            marked = rows.write(session, sa.update(Snapshot).where(
                Snapshot.id == row.id, Snapshot.status.in_(deletable)).values(
                    status=SnapshotStatus.DELETING))
            if not marked:
                raise InvalidSnapshot(reason=f'snapshot {row.id} is {row.status}; a delete '
                                             'needs it available or error')
            location = row.provider_location
        store = {flow_keys.SNAPSHOT_ID: row.id, flow_keys.SNAPSHOT_LOCATION: location}
        try:
            self.flows.run(snapshot_flows.get_snapshot_delete_flow(self.db, self.backend),
                           store, row.id)
        except Exception as exc:
            LOG.warning('Delete of snapshot %s failed: %s', row.id, exc)
            raise rows.backend_error('delete snapshot', exc) from exc

    def delete_all_of(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        """Delete every snapshot of the volume (a cascading volume delete); 400 and
        nothing deleted when one of them is busy."""
        with self.db.reader() as session:
            found = list(session.scalars(sa.select(Snapshot).where(
                Snapshot.volume_id == volume_id)))
        busy = [row.id for row in found if row.status not in DELETABLE]
        if busy:
            raise InvalidVolume(reason=f'snapshot {busy[0]} of volume {volume_id} is busy')
        for row in found:
            self.delete(ctx, row.id)
