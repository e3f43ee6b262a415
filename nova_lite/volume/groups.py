"""Generic volume groups: sets of a project's volumes, as cinder's groups.

A group has a group type, the volume types its volumes may have, and a
status (``available`` once made; the file backend needs no group storage).
Volumes join a group when created into it (``group_id``) or by an update's
``add_volumes``, and leave by ``remove_volumes``. A group is deleted only
while it has no group snapshots; with ``delete-volumes`` its volumes are
deleted first (every one is checked deletable before any is touched, so a
delete leaves either everything or no orphan), without it the group must be
empty. ``create_from_source`` makes a group whose volumes are copies of a
group snapshot's snapshots or of a source group's volumes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import SnapshotStatus, VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume_groups as models
from nova_lite.db.models import volume_type as type_models
from nova_lite.volume import copies, group_types, rows, snapshots, types

LOG = logging.getLogger(__name__)

Group = models.VolumeGroup
GroupVolumeType = models.GroupVolumeType
GroupSnapshot = models.GroupSnapshot
Volume = rows.Volume
AVAILABLE, CREATING, DELETING, ERROR = 'available', 'creating', 'deleting', 'error'
STATUSES = (CREATING, AVAILABLE, 'updating', 'in-use', DELETING, ERROR, 'error_deleting')
DELETABLE = (AVAILABLE, ERROR)
MEMBER_STATUSES = (VolumeStatus.AVAILABLE, VolumeStatus.IN_USE)
VOLUME_DELETABLE = (VolumeStatus.AVAILABLE, VolumeStatus.ERROR, VolumeStatus.ERROR_DELETING)


class GroupNotFound(exception.NotFound):
    msg_fmt = 'Group %(id)s could not be found.'


class InvalidGroup(exception.Invalid):
    msg_fmt = 'Invalid group: %(reason)s'


def format_group(row: Group, volume_type_ids: list[str],
                 volume_ids: list[str]) -> dict[str, Any]:
    """A group shaped like cinder's group body (``volumes``: its member ids)."""
    return {'id': row.id, 'name': row.name, 'description': row.description,
            'status': row.status, 'availability_zone': row.availability_zone,
            'created_at': timeutils.isotime(row.created_at),
            'group_type': row.group_type_id, 'volume_types': list(volume_type_ids),
            'group_snapshot_id': row.group_snapshot_id,
            'source_group_id': row.source_group_id, 'project_id': row.project_id,
            'volumes': list(volume_ids)}


def scoped(ctx: nl_context.RequestContext, query: sa.Select[Any]) -> sa.Select[Any]:
    return query if ctx.is_admin else query.where(Group.project_id == ctx.project_id)


def load_group(session: orm.Session, ctx: nl_context.RequestContext,
               group_id: Any) -> Group:
    """The group if ``ctx`` may see it, else 404 (also for malformed ids)."""
    canonical = rows.canonical_uuid(group_id)
    row = None if canonical is None else session.scalar(
        scoped(ctx, sa.select(Group).where(Group.id == canonical)))
    if row is None:
        raise GroupNotFound(id=group_id)
    return row


def volume_type_ids(session: orm.Session, group_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {group_id: [] for group_id in group_ids}
    if group_ids:
        for link in session.scalars(sa.select(GroupVolumeType).where(
                GroupVolumeType.group_id.in_(group_ids)).order_by(GroupVolumeType.position)):
            found[link.group_id].append(link.volume_type_id)
    return found


def member_ids(session: orm.Session, group_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {group_id: [] for group_id in group_ids}
    if group_ids:
        for volume_id, group_id in session.execute(sa.select(Volume.id, Volume.group_id).where(
                Volume.group_id.in_(group_ids)).order_by(Volume.created_at, Volume.id)):
            found[str(group_id)].append(volume_id)
    return found


def members(session: orm.Session, group_id: str) -> list[Any]:
    """The volumes of a group, oldest first."""
    return list(session.scalars(sa.select(Volume).where(Volume.group_id == group_id)
                                .order_by(Volume.created_at, Volume.id)))


def type_id_of_volume(session: orm.Session, type_name: str | None) -> str:
    """The id of the volume type a volume names (the default type for none)."""
    if type_name is None or types.is_default(type_name):
        return types.DEFAULT_TYPE_ID
    found = session.scalar(sa.select(type_models.VolumeType.id).where(
        type_models.VolumeType.name == type_name))
    return found or type_name


def check_member(session: orm.Session, ctx: nl_context.RequestContext, group_id: Any,
                 volume_type: str | None) -> str:
    """The id of the group a new volume of ``volume_type`` may join (404 unseen
    group, 400 when the group is not available or lacks the type)."""
    group = load_group(session, ctx, group_id)
    if group.status != AVAILABLE:
        raise InvalidGroup(reason=f'group {group.id} is {group.status}, not available')
    allowed = volume_type_ids(session, [group.id])[group.id]
    type_id = type_id_of_volume(session, volume_type)
    if type_id not in allowed:
        raise exception.InvalidInput(
            field='volume.volume_type',
            reason=f'volume type {volume_type or types.DEFAULT_TYPE_NAME} is not one of '
                   f'group {group.id}\'s volume types')
    return group.id


def _type_of(session: orm.Session, volume_id: str) -> str | None:
    volume = session.get(Volume, volume_id)
    return volume.volume_type if volume is not None else None


class VolumeGroups:
    """The volume groups of one database."""

    def __init__(self, db: db_api.Database, kinds: group_types.GroupTypes,
                 volume_types: types.VolumeTypes, volume_copies: copies.VolumeCopies,
                 delete_volume: Callable[[nl_context.RequestContext, str], None],
                 default_zone: Callable[[], str]) -> None:
        """``delete_volume``: the manager's volume delete (used by delete-volumes);
        ``default_zone``: the availability zone of a group that names none."""
        self.db = db
        self.kinds = kinds
        self.types = volume_types
        self.copies = volume_copies
        self._delete_volume = delete_volume
        self._default_zone = default_zone

    def _type_id(self, ctx: nl_context.RequestContext, value: str) -> str:
        name = self.types.resolve_name(ctx, value)  # 404 for a type ctx cannot see
        with self.db.reader() as session:
            return type_id_of_volume(session, name)

    def get(self, ctx: nl_context.RequestContext, group_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            row = load_group(session, ctx, group_id)
            return format_group(row, volume_type_ids(session, [row.id])[row.id],
                                member_ids(session, [row.id])[row.id])

    def list_groups(self, ctx: nl_context.RequestContext, *,
             project_id: str | None = None) -> list[dict[str, Any]]:
        """The caller's groups (every project's for an admin without ``project_id``)."""
        query = scoped(ctx, sa.select(Group))
        if project_id is not None:
            query = query.where(Group.project_id == project_id)
        with self.db.reader() as session:
            found = list(session.scalars(query.order_by(Group.created_at, Group.id)))
            ids = [row.id for row in found]
            links, volumes = volume_type_ids(session, ids), member_ids(session, ids)
            return [format_group(row, links[row.id], volumes[row.id]) for row in found]

    def create(self, ctx: nl_context.RequestContext, group_type: str,
               volume_types: list[str], *, name: str | None = None,
               description: str | None = None, availability_zone: str | None = None,
               group_snapshot_id: str | None = None,
               source_group_id: str | None = None, status: str = AVAILABLE) -> dict[str, Any]:
        """A group of ``group_type`` whose volumes may have ``volume_types``."""
        if not volume_types:
            raise exception.InvalidInput(field='group.volume_types',
                                         reason='at least one volume type is required')
        type_ids = list(dict.fromkeys(self._type_id(ctx, value) for value in volume_types))
        row = Group(id=str(uuid.uuid4()), name=name, description=description,
                    project_id=ctx.project_id, user_id=ctx.user_id, status=status,
                    availability_zone=availability_zone or self._default_zone(),
                    group_snapshot_id=group_snapshot_id, source_group_id=source_group_id)
        with self.db.session() as session:
            row.group_type_id = self.kinds.load(session, ctx, group_type).id
            session.add(row)
            session.flush()
            for position, type_id in enumerate(type_ids):
                session.add(GroupVolumeType(group_id=row.id, volume_type_id=type_id,
                                            position=position))
        return self.get(ctx, row.id)

    def update(self, ctx: nl_context.RequestContext, group_id: str, *,
               changes: dict[str, Any], add_volumes: list[str],
               remove_volumes: list[str]) -> None:
        """Rename or describe the group, and add or remove member volumes."""
        with self.db.session() as session:
            group = load_group(session, ctx, group_id)
            if (add_volumes or remove_volumes) and group.status != AVAILABLE:
                raise InvalidGroup(reason=f'group {group.id} is {group.status}; adding or '
                                          'removing volumes needs it available')
            allowed = volume_type_ids(session, [group.id])[group.id]
            for volume_id in remove_volumes:
                volume = rows.load_volume(session, ctx, volume_id)
                if volume.group_id != group.id:
                    raise InvalidGroup(reason=f'volume {volume.id} is not in group {group.id}')
                volume.group_id = None
            for volume_id in add_volumes:
                self._add(session, ctx, group, allowed, volume_id)
            for key in ('name', 'description'):
                if key in changes:
                    setattr(group, key, changes[key])
            group.updated_at = timeutils.utcnow()

    @staticmethod
    def _add(session: orm.Session, ctx: nl_context.RequestContext, group: Group,
             allowed: list[str], volume_id: str) -> None:
        volume = rows.load_volume(session, ctx, volume_id)
        if volume.group_id == group.id:
            return
        if volume.group_id is not None:
            raise InvalidGroup(reason=f'volume {volume.id} is already in group '
                                      f'{volume.group_id}')
        if volume.status not in MEMBER_STATUSES:
            raise InvalidGroup(reason=f'volume {volume.id} is {volume.status}; it must be '
                                      'available or in-use to join a group')
        if type_id_of_volume(session, volume.volume_type) not in allowed:
            raise InvalidGroup(reason=f'volume {volume.id}\'s type is not one of group '
                                      f'{group.id}\'s volume types')
        volume.group_id = group.id

    def reset_status(self, ctx: nl_context.RequestContext, group_id: str,
                     status: str) -> None:
        if status not in STATUSES:
            raise exception.InvalidInput(field='reset_status.status',
                                         reason=f'must be one of {", ".join(STATUSES)}')
        with self.db.session() as session:
            row = load_group(session, ctx, group_id)
            row.status, row.updated_at = status, timeutils.utcnow()

    def delete(self, ctx: nl_context.RequestContext, group_id: str, *,
               delete_volumes: bool) -> None:
        """Delete the group (and, with ``delete_volumes``, its volumes)."""
        with self.db.session() as session:
            group = load_group(session, ctx, group_id)
            if group.status not in DELETABLE:
                raise InvalidGroup(reason=f'group {group.id} is {group.status}; a delete '
                                          'needs it available or error')
            if session.scalar(sa.select(sa.func.count()).select_from(GroupSnapshot).where(
                    GroupSnapshot.group_id == group.id)):
                raise InvalidGroup(reason=f'group {group.id} has group snapshots')
            volumes = members(session, group.id)
            if volumes and not delete_volumes:
                raise InvalidGroup(reason=f'group {group.id} still has volumes; delete them '
                                          'with delete-volumes')
            attached = rows.attachments_of(session, [volume.id for volume in volumes])
            for volume in volumes:
                if (volume.status not in VOLUME_DELETABLE or attached[volume.id]
                        or snapshots.count_of_volume(session, volume.id)):
                    raise InvalidGroup(reason=f'volume {volume.id} of group {group.id} is '
                                              f'{volume.status}, attached or has snapshots')
            group.status = DELETING
            volume_ids = [volume.id for volume in volumes]
        try:
            for volume_id in volume_ids:
                self._delete_volume(ctx, volume_id)
        except Exception:
            LOG.exception('Deleting the volumes of group %s failed', group_id)
            self._set_status(group.id, 'error_deleting')
            raise
        with self.db.session() as session:
            rows.write(session, sa.delete(GroupVolumeType).where(
                GroupVolumeType.group_id == group.id))
            rows.write(session, sa.delete(Group).where(Group.id == group.id))

    def _set_status(self, group_id: str, status: str) -> None:
        with self.db.session() as session:
            rows.write(session, sa.update(Group).where(Group.id == group_id).values(
                status=status, updated_at=timeutils.utcnow()))

    # -- create-from-src ----------------------------------------------------

    def create_from_source(self, ctx: nl_context.RequestContext, *,
                           group_snapshot_id: str | None = None,
                           source_group_id: str | None = None, name: str | None = None,
                           description: str | None = None) -> dict[str, Any]:
        """A group of copies of a group snapshot's snapshots or a group's volumes."""
        if (group_snapshot_id is None) == (source_group_id is None):
            raise exception.InvalidInput(
                field='create-from-src',
                reason='give exactly one of group_snapshot_id, source_group_id')
        sources: list[tuple[str, str | None]]  # (snapshot or volume id, volume type)
        with self.db.reader() as session:
            if group_snapshot_id is not None:
                origin = self._available_group_snapshot(session, ctx, group_snapshot_id)
                source = session.get(Group, origin.group_id)
                member_snaps = session.scalars(sa.select(snapshots.Snapshot).where(
                    snapshots.Snapshot.group_snapshot_id == origin.id).order_by(
                        snapshots.Snapshot.created_at))
                sources = [(snap.id, _type_of(session, snap.volume_id))
                           for snap in member_snaps]
            else:
                source = load_group(session, ctx, source_group_id)
                if source.status != AVAILABLE:
                    raise InvalidGroup(reason=f'source group {source.id} is {source.status}')
                sources = [(volume.id, volume.volume_type)
                           for volume in members(session, source.id)]
            if source is None:
                raise GroupNotFound(id=group_snapshot_id)
            type_ids = volume_type_ids(session, [source.id])[source.id]
            kind, zone = source.group_type_id, source.availability_zone
        created = self.create(ctx, kind, type_ids, name=name, description=description,
                              availability_zone=zone, group_snapshot_id=group_snapshot_id,
                              source_group_id=source_group_id, status=CREATING)
        try:
            for source_id, volume_type in sources:
                from_snapshot = group_snapshot_id is not None
                copy = self.copies.create_from(
                    ctx, snapshot_id=source_id if from_snapshot else None,
                    source_volid=None if from_snapshot else source_id,
                    volume_type=volume_type, availability_zone=zone)
                with self.db.session() as session:
                    rows.write(session, sa.update(Volume).where(Volume.id == copy['id'])
                               .values(group_id=created['id']))
        except Exception:
            LOG.exception('Creating group %s from its source failed', created['id'])
            self._set_status(created['id'], ERROR)
            raise
        self._set_status(created['id'], AVAILABLE)
        return self.get(ctx, created['id'])

    @staticmethod
    def _available_group_snapshot(session: orm.Session, ctx: nl_context.RequestContext,
                                  group_snapshot_id: str) -> GroupSnapshot:
        canonical = rows.canonical_uuid(group_snapshot_id)
        row = None if canonical is None else session.get(GroupSnapshot, canonical)
        if row is None or not (ctx.is_admin or row.project_id == ctx.project_id):
            raise exception.NotFound(resource='Group snapshot', id=group_snapshot_id)
        if row.status != SnapshotStatus.AVAILABLE:
            raise InvalidGroup(reason=f'group snapshot {row.id} is {row.status}, '
                                      'not available')
        return row
