"""Volume attachments: reserve a volume for an instance, export it to a host,
withdraw the export, drop the reservation.

Each step that two callers could race on is a conditional UPDATE (``WHERE
status = ...``), so the database decides the winner; backend calls run
outside transactions, and a step whose row changed while the backend worked
undoes the backend's part.
"""

from __future__ import annotations

import functools
import logging
import uuid
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import AttachStatus, VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as models
from nova_lite.volume import rows, views
from nova_lite.volume.backends import base as backend_base

LOG = logging.getLogger(__name__)

ATTACHED_STATUSES = (VolumeStatus.RESERVED, VolumeStatus.ATTACHING, VolumeStatus.IN_USE,
                     VolumeStatus.DETACHING)

Volume = rows.Volume
Attachment = rows.Attachment
_ATTACHMENTS = Attachment.__table__
_VOLUMES = Volume.__table__


@functools.cache
def _listing(by_instance: bool, by_volume: bool, by_project: bool) -> sa.Select[Any]:
    """The Core statement of one kind of :meth:`VolumeAttachments.list`, built once.

    Built once, its compiled form stays in SQLAlchemy's cache; parameters are
    ``instance_id``, ``volume_id`` and ``project_id``. Every server GET lists
    the server's attachments, so this is a hot read (by the instance_id index).
    """
    query = sa.select(_ATTACHMENTS)
    if by_project:
        query = query.join(_VOLUMES, _VOLUMES.c.id == _ATTACHMENTS.c.volume_id).where(
            _VOLUMES.c.project_id == sa.bindparam('project_id'))
    if by_instance:
        query = query.where(_ATTACHMENTS.c.instance_id == sa.bindparam('instance_id'))
    if by_volume:
        query = query.where(_ATTACHMENTS.c.volume_id == sa.bindparam('volume_id'))
    return query.order_by(_ATTACHMENTS.c.created_at, _ATTACHMENTS.c.id)


class VolumeAttachments:
    """The attachments of one database's volumes, exported by one storage backend."""

    def __init__(self, db: db_api.Database, backend: backend_base.VolumeBackend) -> None:
        self._db = db
        self._backend = backend

    @staticmethod
    def _attachment_for(session: orm.Session, volume_id: str,
                        instance_id: str) -> models.VolumeAttachment | None:
        return session.scalar(sa.select(Attachment).where(
            Attachment.volume_id == volume_id, Attachment.instance_id == instance_id))

    def reserve(self, ctx: nl_context.RequestContext, volume_id: str,
                instance_id: str) -> dict[str, Any]:
        """Reserve an available volume for an instance (idempotent per instance)."""
        instance_id = rows.uuid_field('instance_id', instance_id)
        with self._db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            existing = self._attachment_for(session, volume.id, instance_id)
            if existing is not None:
                return views.format_attachment(existing)
            available = VolumeStatus.AVAILABLE
            won = volume.status == available and rows.write(session, sa.update(Volume).where(
                Volume.id == volume.id, Volume.status == available).values(
                    status=VolumeStatus.RESERVED))
            if not won:
                # A concurrent call for this same instance may have won the race.
                existing = self._attachment_for(session, volume.id, instance_id)
                if existing is not None:
                    return views.format_attachment(existing)
                raise exception.InvalidState(
                    resource='Volume', id=volume.id, action='reserve', needed=available,
                    state=volume.status if volume.status != available else VolumeStatus.RESERVED)
            attachment = Attachment(id=str(uuid.uuid4()), volume_id=volume.id,
                                    instance_id=instance_id, attach_status=AttachStatus.RESERVED)
            session.add(attachment)
            try:
                session.flush()
            except sa.exc.IntegrityError as exc:
                raise exception.Conflict(
                    reason=f'volume {volume.id} is already attached to {instance_id}') from exc
            return views.format_attachment(attachment)

    def mark_attached(self, ctx: nl_context.RequestContext, attachment_id: str,
                      mountpoint: str) -> None:
        """Mark a reserved volume attached at ``mountpoint`` with no host connection
        (a shelved-offloaded server's volume); the volume becomes 'in-use'."""
        mountpoint = rows.required_str('mountpoint', mountpoint)
        if not mountpoint.startswith('/dev/'):
            raise exception.InvalidInput(field='mountpoint', reason='must start with /dev/')
        with self._db.session() as session:
            attachment, volume = rows.load_attachment(session, ctx, attachment_id)
            if (attachment.attach_status == AttachStatus.ATTACHED
                    and attachment.attached_host is None
                    and attachment.mountpoint == mountpoint):
                return
            if attachment.attach_status != AttachStatus.RESERVED:
                raise exception.InvalidState(
                    resource='Volume attachment', id=attachment.id, action='mark attached',
                    state=attachment.attach_status, needed=AttachStatus.RESERVED)
            rows.write(session, sa.update(Attachment).where(
                Attachment.id == attachment.id).values(attach_status=AttachStatus.ATTACHED,
                                                       attached_host=None,
                                                       mountpoint=mountpoint))
            rows.write(session, sa.update(Volume).where(Volume.id == volume.id).values(
                status=VolumeStatus.IN_USE))

    def attach(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
               mountpoint: str) -> dict[str, Any]:
        """Export a reserved volume (or one marked attached without a host) to
        ``host``; the volume becomes 'in-use'."""
        host = rows.required_str('host', host)
        mountpoint = rows.required_str('mountpoint', mountpoint)
        if not mountpoint.startswith('/dev/'):
            raise exception.InvalidInput(field='mountpoint', reason='must start with /dev/')
        with self._db.session() as session:
            attachment, volume = rows.load_attachment(session, ctx, attachment_id)
            if (attachment.attach_status == AttachStatus.ATTACHED and attachment.connection_info
                    and (attachment.attached_host, attachment.mountpoint) == (host, mountpoint)):
                return dict(attachment.connection_info)
            hostless = (attachment.attach_status == AttachStatus.ATTACHED
                        and attachment.attached_host is None)
            if (attachment.attach_status not in (AttachStatus.RESERVED, AttachStatus.ATTACHING)
                    and not hostless):
                raise exception.InvalidState(
                    resource='Volume attachment', id=attachment.id, action='attach',
                    state=f'{attachment.attach_status} on {attachment.attached_host}',
                    needed=AttachStatus.RESERVED)
            rows.write(session, sa.update(Attachment).where(
                Attachment.id == attachment.id).values(attach_status=AttachStatus.ATTACHING,
                                                       attached_host=host, mountpoint=mountpoint))
            rows.write(session, sa.update(Volume).where(Volume.id == volume.id).values(
                status=VolumeStatus.ATTACHING))
            location = volume.provider_location or ''
        try:
            connection_info = self._backend.initialize_connection(location, host)
        except Exception as exc:
            LOG.exception('Backend failed to export volume %s to %s', volume.id, host)
            self._back_to_reserved(attachment.id, volume.id)
            raise rows.backend_error('initialize_connection', exc) from exc
        if not self._finish_attach(attachment.id, volume.id, host, connection_info):
            # Detached or re-targeted while the backend worked.
            try:
                self._backend.terminate_connection(location, host)
            except Exception:
                LOG.exception('Could not withdraw export %s from %s', location, host)
            raise exception.Conflict(
                reason=f'attachment {attachment.id} changed while attaching')
        return connection_info

    def _back_to_reserved(self, attachment_id: str, volume_id: str) -> None:
        """After a failed export: the attachment and volume are reserved again."""
        with self._db.session() as session:
            rows.write(session, sa.update(Attachment).where(
                Attachment.id == attachment_id, Attachment.attach_status == AttachStatus.ATTACHING
            ).values(attach_status=AttachStatus.RESERVED, attached_host=None, mountpoint=None))
            rows.write(session, sa.update(Volume).where(
                Volume.id == volume_id, Volume.status == VolumeStatus.ATTACHING).values(
                    status=VolumeStatus.RESERVED))

    def _finish_attach(self, attachment_id: str, volume_id: str, host: str,
                       connection_info: dict[str, Any]) -> bool:
        """Attached and in-use, unless the attachment changed meanwhile (then False)."""
        with self._db.session() as session:
            done = rows.write(session, sa.update(Attachment).where(
                Attachment.id == attachment_id, Attachment.attach_status == AttachStatus.ATTACHING,
                Attachment.attached_host == host).values(
                    attach_status=AttachStatus.ATTACHED, connection_info=connection_info))
            if done:
                rows.write(session, sa.update(Volume).where(Volume.id == volume_id).values(
                    status=VolumeStatus.IN_USE))
        return bool(done)

    @staticmethod
    def _release(session: orm.Session, attachment_id: str, volume_id: str) -> bool:
        """Delete one attachment; free its volume once none is left."""
        gone = rows.write(session, sa.delete(Attachment).where(Attachment.id == attachment_id))
        left = session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(
            Attachment.volume_id == volume_id))
        if not left:
            rows.write(session, sa.update(Volume).where(
                Volume.id == volume_id, Volume.status.in_(ATTACHED_STATUSES)).values(
                    status=VolumeStatus.AVAILABLE))
        return bool(gone)

    def detach(self, ctx: nl_context.RequestContext, attachment_id: str,
               ignore_missing: bool = False) -> None:
        """Withdraw the export and delete the attachment; the volume becomes available."""
        try:
            with self._db.reader() as session:
                attachment, volume = rows.load_attachment(session, ctx, attachment_id)
        except exception.NotFound:
            if ignore_missing:
                return
            raise
        if attachment.attached_host and volume.provider_location:
            try:
                self._backend.terminate_connection(volume.provider_location,
                                                   attachment.attached_host)
            except Exception as exc:
                LOG.exception('Backend failed to detach volume %s', volume.id)
                raise rows.backend_error('terminate_connection', exc) from exc
        with self._db.session() as session:
            if not self._release(session, attachment.id, volume.id) and not ignore_missing:
                raise exception.NotFound(resource='Volume attachment', id=attachment_id)

    def unreserve(self, ctx: nl_context.RequestContext, attachment_id: str,
                  ignore_missing: bool = False) -> None:
        """Undo reserve: drop the reservation, the volume becomes available."""
        with self._db.session() as session:
            try:
                attachment, volume = rows.load_attachment(session, ctx, attachment_id)
            except exception.NotFound:
                if ignore_missing:
                    return
                raise
            if attachment.attach_status != AttachStatus.RESERVED:
                raise exception.InvalidState(
                    resource='Volume attachment', id=attachment.id, action='unreserve',
                    state=attachment.attach_status, needed='reserved (detach it instead)')
            self._release(session, attachment.id, volume.id)

    def list(self, ctx: nl_context.RequestContext, instance_id: str | None = None,
             volume_id: str | None = None) -> list[dict[str, Any]]:
        """The attachments the caller may see, oldest first; by instance and/or volume."""
        params: dict[str, str | None] = {}
        if instance_id is not None:
            params['instance_id'] = rows.uuid_field('instance_id', instance_id)
        if volume_id is not None:
            params['volume_id'] = rows.uuid_field('volume_id', volume_id)
        if not ctx.is_admin:  # as rows.scoped: the caller's project's volumes only
            params['project_id'] = ctx.project_id
        query = _listing('instance_id' in params, 'volume_id' in params,
                         'project_id' in params)
        with self._db.read_connection() as connection:
            found = connection.execute(query, params)
            # A row carries the VolumeAttachment attribute names format_attachment reads.
            return [views.format_attachment(cast(Any, row)) for row in found]
