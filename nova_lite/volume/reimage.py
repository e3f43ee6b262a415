"""Re-image a volume (cinder's ``os-reimage``, microversion 3.68).

The volume must be ``available`` or ``error``, or also ``reserved`` when
the caller says ``reimage_reserved`` (else 400, cinder's InvalidVolume); a
volume attached to more than one server is a 409. The image must exist, be
active and fit the volume (its size and ``min_disk`` at most the volume's
size), else a 400 naming ``os-reimage.image_id``; a volume without storage
(one whose create failed) is a 400 too. The volume is then
``downloading`` while the ``volume-reimage`` flow
(:mod:`nova_lite.volume.flows.reimage`) writes the image over the volume's
storage; its image metadata becomes the new image's and it goes back to the
status it had. If the write fails the volume is ``error`` (as cinder leaves
it) and the temporary download is removed. The flow runs in the request, as
nova_lite's other volume flows do, so a failure is answered at once (500,
the volume ``error``) where cinder, re-imaging after its 202, shows only the
``error`` status.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.volume import from_image, image_metadata, rows
from nova_lite.volume import snapshots as snapshot_store
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import keys as flow_keys
from nova_lite.volume.flows import reimage as reimage_flow
from nova_lite.volume.flows import runner as flow_runner
from nova_lite.volume.flows.tasks import reimage_records

LOG = logging.getLogger(__name__)
Volume = rows.Volume
IMAGE_FIELD = 'os-reimage.image_id'
DOWNLOADING = reimage_records.DOWNLOADING


def allowed_statuses(reimage_reserved: bool) -> tuple[str, ...]:
    """The statuses a volume may be re-imaged from."""
    if reimage_reserved:
        return (VolumeStatus.AVAILABLE, VolumeStatus.ERROR, VolumeStatus.RESERVED)
    return (VolumeStatus.AVAILABLE, VolumeStatus.ERROR)


class VolumeReimages:
    """Re-images volumes of one database and backend from the image service."""

    def __init__(self, db: db_api.Database, backend: backend_base.VolumeBackend,
                 images: from_image.ImageSource | None,
                 flows: flow_runner.VolumeFlowRunner, work_dir: str) -> None:
        """``work_dir``: where the image is downloaded before it is written."""
        self.db = db
        self.backend = backend
        self.images = images
        self.flows = flows
        self.work_dir = work_dir

    def _invalid_status(self, volume_id: str, status: str,
                        reimage_reserved: bool) -> exception.NovaLiteError:
        wanted = ', '.join(allowed_statuses(reimage_reserved))
        return snapshot_store.InvalidVolume(
            reason=f'volume {volume_id} status must be {wanted} to re-image, but it is '
                   f'{status}')

    def reimage(self, ctx: nl_context.RequestContext, volume_id: str, image_id: str,
                reimage_reserved: bool) -> None:
        """Write image ``image_id`` over the volume (see the module doc)."""
        with self.db.reader() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            attached = rows.attachments_of(session, [volume.id]).get(volume.id, [])
            status, size = volume.status, volume.size
            location = volume.provider_location
        if len(attached) > 1:
            raise exception.Conflict(reason='Cannot re-image a volume which is attached to '
                                            'more than one server.')
        if status not in allowed_statuses(reimage_reserved):
            raise self._invalid_status(volume.id, status, reimage_reserved)
        if not location:
            raise snapshot_store.InvalidVolume(
                reason=f'volume {volume.id} has no storage to write an image into')
        image = from_image.checked_image(self.images, ctx, image_id, size,
                                         field=IMAGE_FIELD, size_field=IMAGE_FIELD)
        with self.db.session() as session:
            marked = rows.write(session, sa.update(Volume).where(
                Volume.id == volume.id,
                Volume.status.in_(allowed_statuses(reimage_reserved))).values(
                    status=DOWNLOADING, updated_at=timeutils.utcnow()))
        if not marked:
            raise self._invalid_status(volume.id, 'changing', reimage_reserved)
        store: dict[str, Any] = {
            flow_keys.VOLUME_ID: volume.id, flow_keys.VOLUME_LOCATION: location,
            flow_keys.IMAGE_REF: {'id': image['id'], 'disk_format': image.get('disk_format')},
            flow_keys.IMAGE_METADATA: image_metadata.from_image(image),
            flow_keys.PREVIOUS_STATUS: status}
        assert self.images is not None  # checked_image refused a service without images
        flow = reimage_flow.get_reimage_flow(self.db, self.backend, self.images, ctx,
                                             self.work_dir)
        try:
            self.flows.run(flow, store, volume.id)
        except Exception as exc:
            LOG.warning('Volume %s: re-image with image %s failed: %s', volume.id, image_id,
                        exc)
            raise rows.backend_error('reimage', exc) from exc
