"""Group snapshots: one snapshot of every volume of a group, taken together.

Each member snapshot is an ordinary volume snapshot (made and deleted through
:class:`nova_lite.volume.snapshots.VolumeSnapshots`) that records its group
snapshot. A create that fails part way deletes the member snapshots it made
and the group snapshot, so nothing is left half made; a delete removes the
member snapshots first, then the group snapshot.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import SnapshotStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume_groups as models
from nova_lite.volume import groups, rows, snapshots

LOG = logging.getLogger(__name__)

GroupSnapshot = models.GroupSnapshot
Snapshot = snapshots.Snapshot
STATUSES = ('creating', 'available', 'deleting', 'error', 'error_deleting')
DELETABLE = (SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR)


class GroupSnapshotNotFound(exception.NotFound):
    msg_fmt = 'GroupSnapshot %(id)s could not be found.'


class InvalidGroupSnapshot(exception.Invalid):
    msg_fmt = 'Invalid group snapshot: %(reason)s'


def format_group_snapshot(row: GroupSnapshot) -> dict[str, Any]:
    """A group snapshot shaped like cinder's group_snapshot body."""
    return {'id': row.id, 'name': row.name, 'description': row.description,
            'status': row.status, 'group_id': row.group_id,
            'group_type_id': row.group_type_id,
            'created_at': timeutils.isotime(row.created_at), 'project_id': row.project_id}


def _scoped(ctx: nl_context.RequestContext, query: sa.Select[Any]) -> sa.Select[Any]:
    return query if ctx.is_admin else query.where(GroupSnapshot.project_id == ctx.project_id)


def load_group_snapshot(session: orm.Session, ctx: nl_context.RequestContext,
                        group_snapshot_id: Any) -> GroupSnapshot:
    canonical = rows.canonical_uuid(group_snapshot_id)
    row = None if canonical is None else session.scalar(
        _scoped(ctx, sa.select(GroupSnapshot).where(GroupSnapshot.id == canonical)))
    if row is None:
        raise GroupSnapshotNotFound(id=group_snapshot_id)
    return row


class GroupSnapshots:
    """The group snapshots of one database, their members made by ``volume_snapshots``."""

    def __init__(self, db: db_api.Database,
                 volume_snapshots: snapshots.VolumeSnapshots) -> None:
        self.db = db
        self.snapshots = volume_snapshots

    def get(self, ctx: nl_context.RequestContext, group_snapshot_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            return format_group_snapshot(load_group_snapshot(session, ctx, group_snapshot_id))

    def list_group_snapshots(self, ctx: nl_context.RequestContext, *,
             project_id: str | None = None) -> list[dict[str, Any]]:
        query = _scoped(ctx, sa.select(GroupSnapshot))
        if project_id is not None:
            query = query.where(GroupSnapshot.project_id == project_id)
        with self.db.reader() as session:
            found = session.scalars(query.order_by(GroupSnapshot.created_at,
                                                   GroupSnapshot.id))
            return [format_group_snapshot(row) for row in found]

    def create(self, ctx: nl_context.RequestContext, group_id: str, *,
               name: str | None = None, description: str | None = None) -> dict[str, Any]:
        """Snapshot every volume of an available group; 'available' when done."""
        with self.db.session() as session:
            group = groups.load_group(session, ctx, group_id)
            if group.status != groups.AVAILABLE:
                raise groups.InvalidGroup(reason=f'group {group.id} is {group.status}, '
                                                 'not available')
            volume_ids = [volume.id for volume in groups.members(session, group.id)]
            row = GroupSnapshot(id=str(uuid.uuid4()), group_id=group.id,
                                group_type_id=group.group_type_id, name=name,
                                description=description, project_id=ctx.project_id,
                                user_id=ctx.user_id, status=SnapshotStatus.CREATING)
            session.add(row)
        made: list[str] = []
        try:
            for volume_id in volume_ids:
                snap = self.snapshots.create(ctx, volume_id, name=f'group-snapshot-{row.id}',
                                             force=True)
                made.append(snap['id'])
                with self.db.session() as session:
                    rows.write(session, sa.update(Snapshot).where(Snapshot.id == snap['id'])
                               .values(group_snapshot_id=row.id))
        except Exception:
            LOG.exception('Group snapshot %s failed; removing its member snapshots', row.id)
            for snapshot_id in made:
                self.snapshots.delete(ctx, snapshot_id, force=True)
            with self.db.session() as session:
                rows.write(session, sa.delete(GroupSnapshot).where(GroupSnapshot.id == row.id))
            raise
        self._set_status(row.id, SnapshotStatus.AVAILABLE)
        return self.get(ctx, row.id)

    def _set_status(self, group_snapshot_id: str, status: str) -> None:
        with self.db.session() as session:
            rows.write(session, sa.update(GroupSnapshot).where(
                GroupSnapshot.id == group_snapshot_id).values(
                    status=status, updated_at=timeutils.utcnow()))

    def reset_status(self, ctx: nl_context.RequestContext, group_snapshot_id: str,
                     status: str) -> None:
        if status not in STATUSES:
            raise exception.InvalidInput(field='reset_status.status',
                                         reason=f'must be one of {", ".join(STATUSES)}')
        with self.db.session() as session:
            row = load_group_snapshot(session, ctx, group_snapshot_id)
            row.status, row.updated_at = status, timeutils.utcnow()

    def delete(self, ctx: nl_context.RequestContext, group_snapshot_id: str) -> None:
        """Delete an available (or failed) group snapshot and its member snapshots."""
        with self.db.session() as session:
            row = load_group_snapshot(session, ctx, group_snapshot_id)
            marked = rows.write(session, sa.update(GroupSnapshot).where(
                GroupSnapshot.id == row.id, GroupSnapshot.status.in_(DELETABLE)).values(
                    status=SnapshotStatus.DELETING))
            if not marked:
                raise InvalidGroupSnapshot(reason=f'group snapshot {row.id} is {row.status}; '
                                                  'a delete needs it available or error')
            member_ids = list(session.scalars(sa.select(Snapshot.id).where(
                Snapshot.group_snapshot_id == row.id)))
        try:
            for snapshot_id in member_ids:
                self.snapshots.delete(ctx, snapshot_id, force=True)
        except Exception:
            LOG.exception('Deleting the snapshots of group snapshot %s failed', row.id)
            self._set_status(row.id, SnapshotStatus.ERROR_DELETING)
            raise
        with self.db.session() as session:
            rows.write(session, sa.delete(GroupSnapshot).where(GroupSnapshot.id == row.id))
