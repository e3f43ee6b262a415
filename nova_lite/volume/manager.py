"""The block storage manager: volumes, their backend files and attachments.

State changes that two callers could race on (reserving, attaching, deleting)
are conditional UPDATEs (``WHERE status = ...``), so the database decides the
winner on SQLite and PostgreSQL alike. Backend calls run outside transactions.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, cast

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import AttachStatus, VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as models
from nova_lite.volume import views
from nova_lite.volume.backends import base as backend_base

LOG = logging.getLogger(__name__)

STATUSES = VolumeStatus.ALL
DELETABLE = (VolumeStatus.AVAILABLE, VolumeStatus.ERROR, VolumeStatus.ERROR_DELETING)
ATTACHED_STATUSES = (VolumeStatus.RESERVED, VolumeStatus.ATTACHING, VolumeStatus.IN_USE)
UPDATABLE = ('name', 'description', 'metadata')
_MAX_STR = 255

Volume = models.Volume
Attachment = models.VolumeAttachment


def _canonical_uuid(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _uuid_field(field: str, value: Any) -> str:
    canonical = _canonical_uuid(value)
    if canonical is None:
        raise exception.InvalidInput(field=field, reason=f'{value!r} is not a UUID')
    return canonical


def _optional_str(field: str, value: Any, max_len: int = _MAX_STR) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise exception.InvalidInput(field=field, reason='must be a string')
    if len(value) > max_len:
        raise exception.InvalidInput(field=field, reason=f'longer than {max_len} characters')
    return value


def _required_str(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise exception.InvalidInput(field=field, reason='must be a non-empty string')
    return cast(str, _optional_str(field, value))


def _checked_metadata(metadata: Any) -> dict[str, str]:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise exception.InvalidInput(field='metadata', reason='must be an object')
    for key, value in metadata.items():
        if not isinstance(key, str) or not 0 < len(key) <= _MAX_STR:
            raise exception.InvalidInput(field='metadata',
                                         reason=f'key {key!r} must be 1-255 characters')
        if not isinstance(value, str) or len(value) > _MAX_STR:
            raise exception.InvalidInput(
                field='metadata', reason=f'value of {key!r} must be a string of <= 255')
    return dict(metadata)


def _write(session: orm.Session, statement: sa.Executable) -> int:
    """Run an UPDATE/DELETE as plain SQL (no ORM sync); return the rows it matched."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(sa.CursorResult[Any], result).rowcount


class VolumeManager:
    """Volumes and attachments for one database and one storage backend."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database,
                 backend: backend_base.VolumeBackend) -> None:
        self.conf = conf
        self.db = db
        self.backend = backend

    # -- lookups ---------------------------------------------------------

    @staticmethod
    def _scoped(ctx: nl_context.RequestContext, query: sa.Select[Any]) -> sa.Select[Any]:
        if ctx.is_admin:
            return query
        return query.where(Volume.project_id == ctx.project_id)

    def _load_volume(self, session: orm.Session, ctx: nl_context.RequestContext,
                     volume_id: Any) -> models.Volume:
        canonical = _canonical_uuid(volume_id)
        row = None
        if canonical is not None:
            row = session.scalar(self._scoped(ctx, sa.select(Volume).where(
                Volume.id == canonical)))
        if row is None:
            raise exception.NotFound(resource='Volume', id=volume_id)
        return row

    def _load_attachment(self, session: orm.Session, ctx: nl_context.RequestContext,
                         attachment_id: Any) -> tuple[models.VolumeAttachment, models.Volume]:
        canonical = _canonical_uuid(attachment_id)
        found = None
        if canonical is not None:
            query = sa.select(Attachment, Volume).join(
                Volume, Volume.id == Attachment.volume_id).where(Attachment.id == canonical)
            found = session.execute(self._scoped(ctx, query)).first()
        if found is None:
            raise exception.NotFound(resource='Volume attachment', id=attachment_id)
        return found[0], found[1]

    @staticmethod
    def _attachments_of(session: orm.Session,
                        volume_ids: list[str]) -> dict[str, list[models.VolumeAttachment]]:
        by_volume: dict[str, list[models.VolumeAttachment]] = {vid: [] for vid in volume_ids}
        if volume_ids:
            rows = session.scalars(sa.select(Attachment).where(
                Attachment.volume_id.in_(volume_ids)).order_by(Attachment.created_at))
            for row in rows:
                by_volume[row.volume_id].append(row)
        return by_volume

    def _set_status(self, volume_id: str, status: str, **values: Any) -> None:
        with self.db.session() as session:
            _write(session, sa.update(Volume).where(Volume.id == volume_id).values(
                status=status, **values))

    @staticmethod
    def _backend_error(action: str, exc: Exception) -> exception.NovaLiteError:
        if isinstance(exc, exception.NovaLiteError):
            return exc
        return backend_base.VolumeBackendError(reason=f'{action} failed: {exc}')

    # -- volumes ---------------------------------------------------------

    def _checked_size(self, size: Any) -> int:
        if isinstance(size, bool) or not isinstance(size, int):
            raise exception.InvalidInput(field='size', reason='must be an integer (GiB)')
        limit = self.conf.volume.max_volume_size_gb
        if not 1 <= size <= limit:
            raise exception.InvalidInput(field='size',
                                         reason=f'must be between 1 and {limit} GiB')
        return size

    def create_volume(self, ctx: nl_context.RequestContext, size: Any,
                      name: str | None = None, description: str | None = None,
                      metadata: dict[str, str] | None = None,
                      availability_zone: str | None = None,
                      volume_type: str | None = None) -> dict[str, Any]:
        """Create a volume: 'creating' while the backend allocates, then 'available'."""
        row = Volume(
            id=str(uuid.uuid4()), size=self._checked_size(size),
            name=_optional_str('name', name), description=_optional_str(
                'description', description),
            volume_metadata=_checked_metadata(metadata),
            availability_zone=(_optional_str('availability_zone', availability_zone)
                               or self.conf.default_availability_zone),
            volume_type=_optional_str('volume_type', volume_type),
            project_id=ctx.project_id, user_id=ctx.user_id, status=VolumeStatus.CREATING,
            bootable=False)
        with self.db.session() as session:
            session.add(row)
        try:
            location = self.backend.create_volume(row.id, row.size)
        except Exception as exc:
            LOG.exception('Backend failed to create volume %s', row.id)
            self._set_status(row.id, VolumeStatus.ERROR)
            raise self._backend_error('create', exc) from exc
        self._set_status(row.id, VolumeStatus.AVAILABLE, provider_location=location)
        return self.get_volume(ctx, row.id)

    def get_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            row = self._load_volume(session, ctx, volume_id)
            return views.format_volume(row, self._attachments_of(session, [row.id])[row.id])

    def list_volumes(self, ctx: nl_context.RequestContext, name: str | None = None,
                     status: str | None = None) -> list[dict[str, Any]]:
        query = self._scoped(ctx, sa.select(Volume))
        if _optional_str('name', name) is not None:
            query = query.where(Volume.name == name)
        if status is not None:
            if status not in STATUSES:
                raise exception.InvalidInput(field='status',
                                             reason=f'must be one of {", ".join(STATUSES)}')
            query = query.where(Volume.status == status)
        with self.db.reader() as session:
            rows = list(session.scalars(query.order_by(Volume.created_at, Volume.id)))
            attachments = self._attachments_of(session, [row.id for row in rows])
            return [views.format_volume(row, attachments[row.id]) for row in rows]

    def update_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                      changes: dict[str, Any], *, merge_metadata: bool = False,
                      delete_metadata_key: str | None = None) -> dict[str, Any]:
        """Set a volume's name, description and/or metadata (replaced, or merged into
        the current keys); or remove one metadata key (NotFound if it is absent)."""
        if not isinstance(changes, dict):
            raise exception.InvalidInput(field='volume', reason='must be an object')
        unknown = sorted(set(changes) - set(UPDATABLE))
        if unknown:
            raise exception.InvalidInput(field=str(unknown[0]), reason='cannot be changed')
        values = {field: _optional_str(field, changes[field])
                  for field in ('name', 'description') if field in changes}
        metadata = _checked_metadata(changes['metadata']) if 'metadata' in changes else None
        with self.db.session() as session:
            row = self._load_volume(session, ctx, volume_id)
            current = dict(row.volume_metadata or {})
            if delete_metadata_key is not None:
                if current.pop(delete_metadata_key, None) is None:
                    raise exception.NotFound(resource='Metadata key', id=delete_metadata_key)
                metadata = current
            elif metadata is not None and merge_metadata:
                metadata = {**current, **metadata}
            if metadata is not None:
                values['volume_metadata'] = metadata
            for key, value in values.items():
                setattr(row, key, value)
        return self.get_volume(ctx, row.id)

    def delete_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        """Delete an available (or failed) volume and its backend storage."""
        with self.db.session() as session:
            row = self._load_volume(session, ctx, volume_id)
            busy = session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(
                Attachment.volume_id == row.id))
            marked = 0
            if row.status in DELETABLE and not busy:
                marked = _write(session, sa.update(Volume).where(
                    Volume.id == row.id, Volume.status.in_(DELETABLE)).values(
                        status=VolumeStatus.DELETING))
            if not marked:
                raise exception.InvalidState(
                    resource='Volume', id=row.id, action='delete',
                    state=row.status if not busy else AttachStatus.ATTACHED,
                    needed='available or error with no attachments')
            location = row.provider_location
        try:
            if location:
                self.backend.delete_volume(location)
        except Exception as exc:
            LOG.exception('Backend failed to delete volume %s', row.id)
            self._set_status(row.id, VolumeStatus.ERROR_DELETING)
            raise self._backend_error('delete', exc) from exc
        with self.db.session() as session:
            _write(session, sa.delete(Volume).where(Volume.id == row.id))

    # -- attachments -----------------------------------------------------

    @staticmethod
    def _attachment_for(session: orm.Session, volume_id: str,
                        instance_id: str) -> models.VolumeAttachment | None:
        return session.scalar(sa.select(Attachment).where(
            Attachment.volume_id == volume_id, Attachment.instance_id == instance_id))

    def reserve_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                       instance_id: str) -> dict[str, Any]:
        """Reserve an available volume for an instance (idempotent per instance)."""
        instance_id = _uuid_field('instance_id', instance_id)
        with self.db.session() as session:
            volume = self._load_volume(session, ctx, volume_id)
            existing = self._attachment_for(session, volume.id, instance_id)
            if existing is not None:
                return views.format_attachment(existing)
            won = volume.status == VolumeStatus.AVAILABLE and _write(
                session, sa.update(Volume).where(
                    Volume.id == volume.id, Volume.status == VolumeStatus.AVAILABLE).values(
                        status=VolumeStatus.RESERVED))
            if not won:
                # A concurrent call for this same instance may have won the race.
                existing = self._attachment_for(session, volume.id, instance_id)
                if existing is not None:
                    return views.format_attachment(existing)
                raise exception.InvalidState(
                    resource='Volume', id=volume.id, action='reserve',
                    needed=VolumeStatus.AVAILABLE,
                    state=(volume.status if volume.status != VolumeStatus.AVAILABLE
                           else VolumeStatus.RESERVED))
            attachment = Attachment(id=str(uuid.uuid4()), volume_id=volume.id,
                                    instance_id=instance_id, attach_status=AttachStatus.RESERVED)
            session.add(attachment)
            try:
                session.flush()
            except sa.exc.IntegrityError as exc:
                raise exception.Conflict(
                    reason=f'volume {volume.id} is already attached to {instance_id}') from exc
            return views.format_attachment(attachment)

    def attach_volume(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
                      mountpoint: str) -> dict[str, Any]:
        """Export a reserved volume to ``host``; the volume becomes 'in-use'."""
        host = _required_str('host', host)
        mountpoint = _required_str('mountpoint', mountpoint)
        if not mountpoint.startswith('/dev/'):
            raise exception.InvalidInput(field='mountpoint', reason='must start with /dev/')
        with self.db.session() as session:
            attachment, volume = self._load_attachment(session, ctx, attachment_id)
            if (attachment.attach_status == AttachStatus.ATTACHED and attachment.connection_info
                    and (attachment.attached_host, attachment.mountpoint) == (host, mountpoint)):
                return dict(attachment.connection_info)
            if attachment.attach_status not in (AttachStatus.RESERVED, AttachStatus.ATTACHING):
                raise exception.InvalidState(
                    resource='Volume attachment', id=attachment.id, action='attach',
                    state=f'{attachment.attach_status} on {attachment.attached_host}',
                    needed=AttachStatus.RESERVED)
            _write(session, sa.update(Attachment).where(Attachment.id == attachment.id).values(
                attach_status=AttachStatus.ATTACHING, attached_host=host, mountpoint=mountpoint))
            _write(session, sa.update(Volume).where(Volume.id == volume.id).values(
                status=VolumeStatus.ATTACHING))
            location = volume.provider_location or ''
        try:
            connection_info = self.backend.initialize_connection(location, host)
        except Exception as exc:
            LOG.exception('Backend failed to export volume %s to %s', volume.id, host)
            with self.db.session() as session:
                _write(session, sa.update(Attachment).where(
                    Attachment.id == attachment.id,
                    Attachment.attach_status == AttachStatus.ATTACHING
                ).values(attach_status=AttachStatus.RESERVED, attached_host=None, mountpoint=None))
                _write(session, sa.update(Volume).where(
                    Volume.id == volume.id, Volume.status == VolumeStatus.ATTACHING).values(
                        status=VolumeStatus.RESERVED))
            raise self._backend_error('initialize_connection', exc) from exc
        with self.db.session() as session:
            done = _write(session, sa.update(Attachment).where(
                Attachment.id == attachment.id, Attachment.attach_status == AttachStatus.ATTACHING,
                Attachment.attached_host == host).values(
                    attach_status=AttachStatus.ATTACHED, connection_info=connection_info))
            if done:
                _write(session, sa.update(Volume).where(Volume.id == volume.id).values(
                    status=VolumeStatus.IN_USE))
        if not done:  # detached or re-targeted while the backend worked
            try:
                self.backend.terminate_connection(location, host)
            except Exception:
                LOG.exception('Could not withdraw export %s from %s', location, host)
            raise exception.Conflict(
                reason=f'attachment {attachment.id} changed while attaching')
        return connection_info

    def _release(self, session: orm.Session, attachment_id: str, volume_id: str) -> bool:
        """Delete one attachment; free its volume once none is left."""
        gone = _write(session, sa.delete(Attachment).where(Attachment.id == attachment_id))
        left = session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(
            Attachment.volume_id == volume_id))
        if not left:
            _write(session, sa.update(Volume).where(
                Volume.id == volume_id, Volume.status.in_(ATTACHED_STATUSES)).values(
                    status=VolumeStatus.AVAILABLE))
        return bool(gone)

    def detach_volume(self, ctx: nl_context.RequestContext, attachment_id: str,
                      ignore_missing: bool = False) -> None:
        """Withdraw the export and delete the attachment; the volume becomes available."""
        try:
            with self.db.reader() as session:
                attachment, volume = self._load_attachment(session, ctx, attachment_id)
        except exception.NotFound:
            if ignore_missing:
                return
            raise
        if attachment.attached_host and volume.provider_location:
            try:
                self.backend.terminate_connection(volume.provider_location,
                                                  attachment.attached_host)
            except Exception as exc:
                LOG.exception('Backend failed to detach volume %s', volume.id)
                raise self._backend_error('terminate_connection', exc) from exc
        with self.db.session() as session:
            if not self._release(session, attachment.id, volume.id) and not ignore_missing:
                raise exception.NotFound(resource='Volume attachment', id=attachment_id)

    def unreserve_volume(self, ctx: nl_context.RequestContext, attachment_id: str,
                         ignore_missing: bool = False) -> None:
        """Undo reserve_volume: drop the reservation, the volume becomes available."""
        with self.db.session() as session:
            try:
                attachment, volume = self._load_attachment(session, ctx, attachment_id)
            except exception.NotFound:
                if ignore_missing:
                    return
                raise
            if attachment.attach_status != AttachStatus.RESERVED:
                raise exception.InvalidState(
                    resource='Volume attachment', id=attachment.id, action='unreserve',
                    state=attachment.attach_status, needed='reserved (detach it instead)')
            self._release(session, attachment.id, volume.id)

    def list_attachments(self, ctx: nl_context.RequestContext, instance_id: str | None = None,
                         volume_id: str | None = None) -> list[dict[str, Any]]:
        query = self._scoped(ctx, sa.select(Attachment).join(
            Volume, Volume.id == Attachment.volume_id))
        if instance_id is not None:
            query = query.where(Attachment.instance_id == _uuid_field('instance_id',
                                                                      instance_id))
        if volume_id is not None:
            query = query.where(Attachment.volume_id == _uuid_field('volume_id', volume_id))
        with self.db.reader() as session:
            rows = session.scalars(query.order_by(Attachment.created_at, Attachment.id))
            return [views.format_attachment(row) for row in rows]
