"""The block storage manager: volumes, their backend files and attachments.

State changes that two callers could race on (reserving, attaching, deleting)
are conditional UPDATEs (``WHERE status = ...``), so the database decides the
winner on SQLite and PostgreSQL alike. Backend calls run outside transactions.
The attachment steps live in :mod:`nova_lite.volume.attachments`, the row
lookups and field checks both share in :mod:`nova_lite.volume.rows`.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Protocol

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm
from taskflow.persistence import base as persistence_base

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import AttachStatus, VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as models
from nova_lite.volume import (
    attachments,
    copies,
    from_image,
    group_snapshots,
    group_types,
    groups,
    image_metadata,
    messages,
    qos_specs,
    quotas,
    reimage,
    revert,
    rows,
    services,
    snapshots,
    status_admin,
    to_image,
    transfers,
    type_encryption,
    types,
    views,
    volume_attach,
)
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import create as create_flows
from nova_lite.volume.flows import delete as delete_flow
from nova_lite.volume.flows import keys as flow_keys
from nova_lite.volume.flows import runner as flow_runner

LOG = logging.getLogger(__name__)

STATUSES = VolumeStatus.ALL
DELETABLE = (VolumeStatus.AVAILABLE, VolumeStatus.ERROR, VolumeStatus.ERROR_DELETING)
ATTACHED_STATUSES = attachments.ATTACHED_STATUSES
UPDATABLE = ('name', 'description', 'metadata')

Volume = rows.Volume
Attachment = rows.Attachment
_optional_str = rows.optional_str
_checked_metadata = rows.checked_metadata
_write = rows.write


class ImageService(from_image.ImageSource, to_image.ImageTarget, Protocol):
    """The image service: read for volumes from images, written for uploads."""


class VolumeManager:
    """Volumes and attachments for one database and one storage backend."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database,
                 backend: backend_base.VolumeBackend,
                 images: ImageService | None = None,
                 flow_persistence: persistence_base.Backend | None = None,
                 held_runs: flow_runner.HeldRuns | None = None) -> None:
        """``images``: the image service, for volumes made from an image and volumes
        uploaded to one (None: neither); ``flow_persistence``: where the runs of the
        volume flows are saved (the conductor's backend; None: not saved);
        ``held_runs``: the runs also posted and claimed on the jobboard, so that a
        run whose process died is carried on (None: not)."""
        self.conf = conf
        self.db = db
        self.backend = backend
        self.images = images
        self.flows = flow_runner.VolumeFlowRunner(flow_persistence, held_runs)
        self._attachments = attachments.VolumeAttachments(db, backend)
        self.quotas = quotas.VolumeQuotas(db, conf)
        self.snapshots = snapshots.VolumeSnapshots(db, backend, self.quotas,
                                                   flow_runner=self.flows)
        self.types = types.VolumeTypes(db)
        self.qos_specs = qos_specs.QosSpecsStore(db, self.types)
        self.type_encryption = type_encryption.TypeEncryptions(db, self.types)
        self.admin = status_admin.VolumeStatusAdmin(db, backend)
        self.image_metadata = image_metadata.VolumeImageMetadata(db)
        self.uploads = to_image.VolumeUploads(conf, db, backend, images)
        self.service_states = services.VolumeServiceStates(conf, db)
        self.copies = copies.VolumeCopies(conf, db, backend,
                                          accepts_volumes=self.service_states.accepts_volumes,
                                          volume_quotas=self.quotas, flow_runner=self.flows)
        self.transfers = transfers.VolumeTransfers(db, self.quotas)
        self.messages = messages.UserMessages(db)
        self.reverts = revert.VolumeReverts(db, backend)
        self.reimages = reimage.VolumeReimages(db, backend, images, self.flows,
                                               conf.volume.volumes_dir)
        self.attach_actions = volume_attach.VolumeAttachActions(db, backend, self._attachments)
        self.group_types = group_types.GroupTypes(db)
        self.groups = groups.VolumeGroups(
            db, self.group_types, self.types, self.copies,
            delete_volume=lambda ctx, volume_id: self.delete_volume(ctx, volume_id),
            default_zone=lambda: self.conf.default_availability_zone)
        self.group_snapshots = group_snapshots.GroupSnapshots(db, self.snapshots)

    # -- lookups ---------------------------------------------------------

    @staticmethod
    def _scoped(ctx: nl_context.RequestContext, query: sa.Select[Any]) -> sa.Select[Any]:
        return rows.scoped(ctx, query)

    @staticmethod
    def _load_volume(session: orm.Session, ctx: nl_context.RequestContext,
                     volume_id: Any) -> models.Volume:
        return rows.load_volume(session, ctx, volume_id)

    @staticmethod
    def _attachments_of(session: orm.Session,
                        volume_ids: list[str]) -> dict[str, list[models.VolumeAttachment]]:
        return rows.attachments_of(session, volume_ids)

    def _set_status(self, volume_id: str, status: str, **values: Any) -> None:
        with self.db.session() as session:
            _write(session, sa.update(Volume).where(Volume.id == volume_id).values(
                status=status, **values))

    @staticmethod
    def _backend_error(action: str, exc: Exception) -> exception.NovaLiteError:
        return rows.backend_error(action, exc)

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
                      volume_type: str | None = None,
                      image_id: str | None = None,
                      group_id: str | None = None) -> dict[str, Any]:
        """Create a volume: 'creating' while the backend allocates (and, with
        ``image_id``, while the image is written into it), then 'available'; with
        ``group_id`` the volume joins that generic volume group."""
        size = self._checked_size(size)
        image = (from_image.checked_image(self.images, ctx, image_id, size)
                 if image_id is not None else None)
        row = Volume(
            id=str(uuid.uuid4()), size=size,
            name=_optional_str('name', name), description=_optional_str(
                'description', description),
            volume_metadata=_checked_metadata(metadata),
            availability_zone=(_optional_str('availability_zone', availability_zone)
                               or self.conf.default_availability_zone),
            volume_type=_optional_str('volume_type', volume_type),
            image_metadata=image_metadata.from_image(image) if image is not None else None,
            project_id=ctx.project_id, user_id=ctx.user_id, status=VolumeStatus.CREATING,
            bootable=False)
        with self.db.session() as session:
            if group_id is not None:
                row.group_id = groups.check_member(session, ctx, group_id, row.volume_type)
            self.quotas.check(session, row.project_id or '', volume_type=row.volume_type,
                              volumes=1, gigabytes=size, volume_size=size)
            session.add(row)
        if not self._backend_takes(ctx, row):
            self._set_status(row.id, VolumeStatus.ERROR)
            return self.get_volume(ctx, row.id)
        store: dict[str, Any] = {flow_keys.VOLUME_ID: row.id, flow_keys.SIZE: row.size,
                                 flow_keys.BOOTABLE: image is not None}
        if image is not None and self.images is not None:
            flow = create_flows.get_create_from_image_flow(
                self.db, self.backend, self.images, ctx, self.conf.volume.volumes_dir)
            store[flow_keys.IMAGE_REF] = {'id': image['id'],
                                          'disk_format': image.get('disk_format')}
            action = 'create from image'
        else:
            flow, action = create_flows.get_create_flow(self.db, self.backend), 'create'
        try:
            self.flows.run(flow, store, row.id, self._faults_asked(row.volume_metadata))
        except Exception as exc:
            LOG.warning('Volume %s: %s failed: %s', row.id, action, exc)
            raise self._backend_error(action, exc) from exc
        return self.get_volume(ctx, row.id)

    def _faults_asked(self, metadata: dict[str, str] | None) -> dict[str, str] | None:
        """The ``nova_lite:`` fault injection keys of a volume's metadata, when
        ``[fault_injection] enabled`` (for tests of crash safety); else None."""
        if not self.conf.fault_injection.enabled or not metadata:
            return None
        return {key: value for key, value in metadata.items()
                if key.startswith('nova_lite:')} or None

    def _backend_takes(self, ctx: nl_context.RequestContext, row: Volume) -> bool:
        """Whether the backend may take ``row`` (its service enabled, its type's
        extra specs met); if not, the project gets a user message saying so."""
        if not self.service_states.accepts_volumes():
            LOG.warning('Volume %s: cinder-volume is disabled, no backend takes it', row.id)
        elif not self.service_states.matches(self.types.specs_of(row.volume_type)):
            LOG.warning('Volume %s: the backend does not meet type %s', row.id,
                        row.volume_type)
        else:
            return True
        self.messages.record(ctx, row.id, action=messages.ACTION_SCHEDULE_ALLOCATE,
                             detail=messages.DETAIL_NO_BACKEND)
        return False

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
        values: dict[str, Any] = {field: _optional_str(field, changes[field])
                  for field in ('name', 'description') if field in changes}
        metadata = _checked_metadata(changes['metadata']) if 'metadata' in changes else None
        with self.db.session() as session:
            row = self._load_volume(session, ctx, volume_id)
            metadata = rows.changed_metadata(row.volume_metadata, metadata,
                                             merge=merge_metadata,
                                             delete_key=delete_metadata_key)
            if metadata is not None:
                values['volume_metadata'] = metadata
            for key, value in values.items():
                setattr(row, key, value)
        return self.get_volume(ctx, row.id)

    def set_bootable(self, ctx: nl_context.RequestContext, volume_id: str,
                     bootable: bool) -> None:
        """Mark a volume bootable or not (cinder's os-set_bootable action)."""
        with self.db.session() as session:
            row = self._load_volume(session, ctx, volume_id)
            row.bootable = bool(bootable)

    def delete_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                      cascade: bool = False) -> None:
        """Delete an available (or failed) volume and its backend storage; a volume
        with snapshots only with ``cascade`` (its snapshots go first). 400 as cinder's
        InvalidVolume when it is attached, busy or has snapshots."""
        if cascade:
            with self.db.reader() as session:
                self._load_volume(session, ctx, volume_id)
            self.snapshots.delete_all_of(ctx, str(rows.canonical_uuid(volume_id)))
        with self.db.session() as session:
            row = self._load_volume(session, ctx, volume_id)
            busy = session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(
                Attachment.volume_id == row.id))
            has_snapshots = snapshots.count_of_volume(session, row.id)
            marked = 0
            if row.status in DELETABLE and not busy and not has_snapshots:
                marked = _write(session, sa.update(Volume).where(
                    Volume.id == row.id, Volume.status.in_(DELETABLE)).values(
                        status=VolumeStatus.DELETING))
                # A snapshot committed while this UPDATE waited for its row is seen
                # now (the snapshot create touches the volume row in its transaction).
                has_snapshots = snapshots.count_of_volume(session, row.id) if marked else 0
                marked = 0 if has_snapshots else marked
            if not marked:
                state = (f'is {AttachStatus.ATTACHED}' if busy else
                         f'has {has_snapshots} snapshot(s)' if has_snapshots
                         else f'is {row.status}')
                raise snapshots.InvalidVolume(
                    reason=f'volume {row.id} {state}; a delete needs it available or error, '
                           'not attached, and without snapshots (or cascade=true)')
            location = row.provider_location
        try:
            self.flows.run(delete_flow.get_delete_flow(self.db, self.backend),
                           {flow_keys.VOLUME_ID: row.id, flow_keys.VOLUME_LOCATION: location},
                           row.id)
        except Exception as exc:
            LOG.warning('Volume %s: delete failed: %s', row.id, exc)
            raise self._backend_error('delete', exc) from exc

    # -- attachments -----------------------------------------------------

    def reserve_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                       instance_id: str) -> dict[str, Any]:
        """Reserve an available volume for an instance (idempotent per instance)."""
        return self._attachments.reserve(ctx, volume_id, instance_id)

    def attach_volume(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
                      mountpoint: str) -> dict[str, Any]:
        """Export a reserved volume to ``host``; the volume becomes 'in-use'."""
        return self._attachments.attach(ctx, attachment_id, host, mountpoint)

    def mark_attached(self, ctx: nl_context.RequestContext, attachment_id: str,
                      mountpoint: str) -> None:
        """Mark a reserved volume attached without a host connection; 'in-use'."""
        self._attachments.mark_attached(ctx, attachment_id, mountpoint)

    def detach_volume(self, ctx: nl_context.RequestContext, attachment_id: str,
                      ignore_missing: bool = False) -> None:
        """Withdraw the export and delete the attachment; the volume becomes available."""
        self._attachments.detach(ctx, attachment_id, ignore_missing)

    def unreserve_volume(self, ctx: nl_context.RequestContext, attachment_id: str,
                         ignore_missing: bool = False) -> None:
        """Undo reserve_volume: drop the reservation, the volume becomes available."""
        self._attachments.unreserve(ctx, attachment_id, ignore_missing)

    def list_attachments(self, ctx: nl_context.RequestContext, instance_id: str | None = None,
                         volume_id: str | None = None) -> list[dict[str, Any]]:
        return self._attachments.list(ctx, instance_id, volume_id)
