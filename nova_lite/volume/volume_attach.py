"""Cinder's volume-level attach actions: reserve, attach, detach and the
connection calls a caller makes on the volume itself (not on an attachment).

These are the steps of the older attach flow (``os-reserve``, ``os-attach``,
``os-begin_detaching``, ``os-detach`` ...): the volume's status moves
available -> attaching -> in-use -> detaching -> available. Each move that two
callers could race on is a conditional UPDATE, as in
:mod:`nova_lite.volume.attachments`, whose detach is reused so the backend's
export is withdrawn the one way. The ``readonly`` flag and the mode of the
current attachment are the volume's admin metadata, as in cinder.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import AttachStatus, VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as models
from nova_lite.volume import attachments, rows, views
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.snapshots import InvalidVolume

Volume = rows.Volume
Attachment = rows.Attachment

READONLY = views.READONLY
ATTACHED_MODE = views.ATTACHED_MODE
MODES = ('rw', 'ro')
# An attachment made for a host alone (os-attach with host_name only) has no instance.
NO_INSTANCE = ''


class InvalidVolumeAttachMode(exception.Invalid):
    """Cinder's InvalidVolumeAttachMode: a read-only volume attached read-write (400)."""

    msg_fmt = ("Invalid attaching mode '%(mode)s' for volume %(volume_id)s: it is read-only, "
               "attach it with mode 'ro'.")


class VolumeAttachActions:
    """The volume-level attach steps of one database and one storage backend."""

    def __init__(self, db: db_api.Database, backend: backend_base.VolumeBackend,
                 volume_attachments: attachments.VolumeAttachments) -> None:
        self._db = db
        self._backend = backend
        self._attachments = volume_attachments

    def _move(self, ctx: nl_context.RequestContext, volume_id: str, needed: str,
              new: str, action: str | None) -> bool:
        """``needed`` -> ``new``; when it is not ``needed``: InvalidVolume naming
        ``action``, or False when ``action`` is None (a quiet no-op, as cinder)."""
        with self._db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            moved = volume.status == needed and rows.write(session, sa.update(Volume).where(
                Volume.id == volume.id, Volume.status == needed).values(status=new))
            if not moved and action is not None:
                raise InvalidVolume(reason=f'volume {volume.id} is {volume.status}; '
                                           f'{action} needs it {needed}')
            return bool(moved)

    def reserve(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        """available -> attaching (os-reserve); 400 in any other status."""
        self._move(ctx, volume_id, VolumeStatus.AVAILABLE, VolumeStatus.ATTACHING, 'reserve')

    def unreserve(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        """attaching -> available (os-unreserve), when no attachment is under way;
        nothing to do otherwise."""
        with self._db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            no_attachment = ~sa.exists().where(Attachment.volume_id == volume.id)
            rows.write(session, sa.update(Volume).where(
                Volume.id == volume.id, Volume.status == VolumeStatus.ATTACHING,
                no_attachment).values(status=VolumeStatus.AVAILABLE))

    def begin_detaching(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        """in-use -> detaching (os-begin_detaching); 400 in any other status."""
        self._move(ctx, volume_id, VolumeStatus.IN_USE, VolumeStatus.DETACHING,
                   'begin detaching')

    def roll_detaching(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        """detaching -> in-use (os-roll_detaching); nothing to do otherwise."""
        self._move(ctx, volume_id, VolumeStatus.DETACHING, VolumeStatus.IN_USE, None)

    def attach(self, ctx: nl_context.RequestContext, volume_id: str, *,
               instance_uuid: str | None, host_name: str | None, mountpoint: str,
               mode: str = 'rw') -> None:
        """Record the volume attached to an instance and/or a host at ``mountpoint``
        (os-attach): an attached attachment, the volume in-use. The volume must be
        available or reserved (attaching) and not attached elsewhere; a read-only
        volume only in mode 'ro'. Attaching again to the same instance is a no-op."""
        if mode not in MODES:
            raise exception.InvalidInput(field='mode', reason="must be 'rw' or 'ro'")
        if instance_uuid is None and not host_name:
            raise exception.InvalidInput(field='instance_uuid',
                                         reason='an instance_uuid or a host_name is needed')
        instance_id = (rows.uuid_field('instance_uuid', instance_uuid)
                       if instance_uuid is not None else NO_INSTANCE)
        mountpoint = rows.required_str('mountpoint', mountpoint)
        with self._db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            admin = dict(volume.admin_metadata or {})
            if admin.get(READONLY) == 'True' and mode != 'ro':
                raise InvalidVolumeAttachMode(mode=mode, volume_id=volume.id)
            found = list(session.scalars(sa.select(Attachment).where(
                Attachment.volume_id == volume.id)))
            mine = [a for a in found if a.instance_id == instance_id]
            if mine and mine[0].attach_status == AttachStatus.ATTACHED:
                return
            if mine and mine[0].attach_status != AttachStatus.RESERVED:
                raise InvalidVolume(reason=f'volume {volume.id} is being attached to '
                                           f'{instance_id} already')
            self._take(session, volume, admin, mode, others=len(found) - len(mine))
            if mine:  # reserved through the attachments API: now attached
                rows.write(session, sa.update(Attachment).where(
                    Attachment.id == mine[0].id).values(
                        attach_status=AttachStatus.ATTACHED, attached_host=host_name,
                        mountpoint=mountpoint))
            else:
                session.add(Attachment(
                    id=str(uuid.uuid4()), volume_id=volume.id, instance_id=instance_id,
                    attach_status=AttachStatus.ATTACHED, attached_host=host_name,
                    mountpoint=mountpoint))
            try:
                session.flush()
            except sa.exc.IntegrityError as exc:
                raise InvalidVolume(reason=f'volume {volume.id} is already attached') from exc

    @staticmethod
    def _take(session: orm.Session, volume: models.Volume, admin: dict[str, Any],
              mode: str, others: int) -> None:
        """The volume becomes in-use with ``mode``, if no one else holds it."""
        ready = (VolumeStatus.AVAILABLE, VolumeStatus.ATTACHING, VolumeStatus.RESERVED)
        won = (not others and volume.status in ready and rows.write(
            session, sa.update(Volume).where(
                Volume.id == volume.id, Volume.status.in_(ready)).values(
                    status=VolumeStatus.IN_USE, admin_metadata={**admin, ATTACHED_MODE: mode})))
        if not won:
            state = 'attached' if others or volume.status == VolumeStatus.IN_USE else (
                volume.status)
            raise InvalidVolume(reason=f'volume {volume.id} is {state}; attach needs it '
                                       'available or reserved (multiattach is not supported)')

    def _attachment_of(self, ctx: nl_context.RequestContext, volume_id: str,
                       attachment_id: str | None) -> str | None:
        """The attachment to detach: the named one (400 unless it is the volume's), or
        the volume's only one; None when the volume has none."""
        with self._db.reader() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            ids = [a.id for a in rows.attachments_of(session, [volume.id])[volume.id]]
        if attachment_id is not None:
            if rows.canonical_uuid(attachment_id) not in ids:
                raise InvalidVolume(reason=f'volume {volume.id} has no attachment '
                                           f'{str(attachment_id)[:64]}')
            return rows.canonical_uuid(attachment_id)
        if len(ids) > 1:
            raise InvalidVolume(reason=f'volume {volume.id} has {len(ids)} attachments; '
                                       'name the one to detach (attachment_id)')
        return ids[0] if ids else None

    def detach(self, ctx: nl_context.RequestContext, volume_id: str,
               attachment_id: str | None = None) -> None:
        """Withdraw the attachment's export and delete it (os-detach); the volume is
        available once it has no attachment left (also when it had none)."""
        chosen = self._attachment_of(ctx, volume_id, attachment_id)
        if chosen is not None:
            self._attachments.detach(ctx, chosen)
        self._release(ctx, volume_id, attached_statuses=attachments.ATTACHED_STATUSES)

    def force_detach(self, ctx: nl_context.RequestContext, volume_id: str,
                     attachment_id: str | None = None,
                     connector: dict[str, Any] | None = None) -> None:
        """os-force_detach (an admin's): withdraw the export for ``connector``'s host,
        then detach as :meth:`detach`; the volume is available afterwards whatever
        its status was (an error status included)."""
        if connector and connector.get('host'):
            self.terminate_connection(ctx, volume_id, connector)
        chosen = self._attachment_of(ctx, volume_id, attachment_id)
        if chosen is not None:
            self._attachments.detach(ctx, chosen)
        self._release(ctx, volume_id, attached_statuses=None)

    def _release(self, ctx: nl_context.RequestContext, volume_id: str,
                 attached_statuses: tuple[str, ...] | None) -> None:
        """With no attachment left: available (from ``attached_statuses``, or from
        any status when None), and no attached mode."""
        with self._db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            if rows.attachments_of(session, [volume.id])[volume.id]:
                return
            admin = {k: v for k, v in (volume.admin_metadata or {}).items()
                     if k != ATTACHED_MODE}
            update = sa.update(Volume).where(Volume.id == volume.id)
            if attached_statuses is not None:
                update = update.where(Volume.status.in_(attached_statuses))
            rows.write(session, update.values(status=VolumeStatus.AVAILABLE,
                                              admin_metadata=admin))

    def _location(self, ctx: nl_context.RequestContext, volume_id: str) -> str:
        with self._db.reader() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            if not volume.provider_location:
                raise InvalidVolume(reason=f'volume {volume.id} is {volume.status} and has '
                                           'no storage to connect to')
            return volume.provider_location

    def initialize_connection(self, ctx: nl_context.RequestContext, volume_id: str,
                              connector: dict[str, Any]) -> dict[str, Any]:
        """Export the volume to the connector's host; its connection info
        (os-initialize_connection)."""
        location = self._location(ctx, volume_id)
        host = rows.optional_str('connector.host', connector.get('host')) or ''
        try:
            return self._backend.initialize_connection(location, host)
        except Exception as exc:
            raise rows.backend_error('initialize_connection', exc) from exc

    def terminate_connection(self, ctx: nl_context.RequestContext, volume_id: str,
                             connector: dict[str, Any]) -> None:
        """Withdraw the export made for the connector's host (os-terminate_connection)."""
        location = self._location(ctx, volume_id)
        host = rows.optional_str('connector.host', connector.get('host')) or ''
        try:
            self._backend.terminate_connection(location, host)
        except Exception as exc:
            raise rows.backend_error('terminate_connection', exc) from exc

    def update_readonly_flag(self, ctx: nl_context.RequestContext, volume_id: str,
                             readonly: bool) -> None:
        """Set the ``readonly`` admin metadata of an available volume
        (os-update_readonly_flag); 400 in any other status."""
        with self._db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            admin = {**(volume.admin_metadata or {}), READONLY: str(bool(readonly))}
            done = volume.status == VolumeStatus.AVAILABLE and rows.write(
                session, sa.update(Volume).where(
                    Volume.id == volume.id, Volume.status == VolumeStatus.AVAILABLE).values(
                        admin_metadata=admin))
            if not done:
                raise InvalidVolume(reason=f'volume {volume.id} is {volume.status}; updating '
                                           'its readonly flag needs it available')
