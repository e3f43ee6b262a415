"""A volume copied to a new image (cinder's ``os-volume_upload_image``).

The volume must be available. The steps, each undone when a later one fails:

1. the volume goes ``available`` -> ``uploading`` (a conditional UPDATE, so two
   uploads or an upload and an attach cannot both win) (undo: back to available);
2. the image record is made in the image service with the caller's token
   (queued; undo: the image is deleted);
3. the backend writes the volume's bytes in the asked disk format to a
   temporary file beside the volumes (``qemu-img convert`` for the file
   backend), which is uploaded as the image's data and always removed;
4. the volume goes back to ``available``.

The image service is reached through an injected client, as for volumes made
from an image (:mod:`nova_lite.volume.from_image`).
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any, BinaryIO, Protocol

import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.volume import rows, snapshots
from nova_lite.volume.backends import base as backend_base

LOG = logging.getLogger(__name__)

DISK_FORMATS = ('raw', 'vmdk', 'vdi', 'qcow2', 'vhd', 'vhdx')
CONTAINER_FORMATS = ('bare',)
VISIBILITIES = ('public', 'private', 'shared', 'community')
# Image metadata keys that describe the source image, not the new one.
_NOT_COPIED = frozenset({'image_id', 'image_name', 'checksum', 'container_format',
                         'disk_format', 'size', 'min_disk', 'min_ram'})


class ImageTarget(Protocol):
    """The image service calls an upload needs (the caller's token)."""

    def create_image(self, ctx: nl_context.RequestContext, **fields: Any) -> Any:
        ...

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     data: BinaryIO) -> None:
        ...

    def delete_image(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        ...


class VolumeUploads:
    """Copies volumes of one database and backend to images of one image service."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database,
                 backend: backend_base.VolumeBackend, images: ImageTarget | None) -> None:
        self.conf = conf
        self.db = db
        self.backend = backend
        self.images = images

    def _set_status(self, volume_id: str, status: str) -> None:
        with self.db.session() as session:
            rows.write(session, sa.update(rows.Volume).where(
                rows.Volume.id == volume_id).values(status=status))

    def _start(self, ctx: nl_context.RequestContext, volume_id: str) -> dict[str, Any]:
        """Step 1: the volume's fields as they were, now ``uploading``."""
        with self.db.session() as session:
            row = rows.load_volume(session, ctx, volume_id)
            marked = rows.write(session, sa.update(rows.Volume).where(
                rows.Volume.id == row.id, rows.Volume.status == VolumeStatus.AVAILABLE).values(
                    status=VolumeStatus.UPLOADING))
            if not marked:
                raise snapshots.InvalidVolume(
                    reason=f'volume {row.id} is {row.status}; an upload to an image needs '
                           'it available')
            return {'id': row.id, 'size': row.size, 'description': row.description,
                    'volume_type': row.volume_type, 'location': row.provider_location,
                    'updated_at': row.updated_at,
                    'image_metadata': dict(row.image_metadata or {})}

    def upload(self, ctx: nl_context.RequestContext, volume_id: str, *, image_name: str,
               disk_format: str = 'raw', container_format: str = 'bare',
               visibility: str = 'private', protected: bool = False) -> dict[str, Any]:
        """Copy the volume to a new image; return the volume's fields (as they were
        when the upload began) and the image's id and fields."""
        if disk_format not in DISK_FORMATS:
            raise exception.InvalidInput(
                field='disk_format', reason=f'must be one of {", ".join(DISK_FORMATS)}')
        if container_format not in CONTAINER_FORMATS:
            raise exception.InvalidInput(
                field='container_format',
                reason=f'must be one of {", ".join(CONTAINER_FORMATS)}')
        if visibility not in VISIBILITIES:
            raise exception.InvalidInput(
                field='visibility', reason=f'must be one of {", ".join(VISIBILITIES)}')
        if self.images is None:
            raise exception.InvalidInput(field='os-volume_upload_image',
                                         reason='this block storage service writes no images')
        volume = self._start(ctx, volume_id)
        properties = {key: value for key, value in volume['image_metadata'].items()
                      if key not in _NOT_COPIED}
        image_id: str | None = None
        try:
            image = self.images.create_image(
                ctx, name=image_name, disk_format=disk_format,
                container_format=container_format, visibility=visibility,
                protected=protected, min_disk=volume['size'], **properties)
            image_id = str(image['id'])
            self._write(ctx, self.images, volume, image_id, disk_format)
        except Exception as exc:
            LOG.exception('Uploading volume %s to an image failed', volume['id'])
            self._undo(ctx, volume['id'], image_id)
            raise rows.backend_error('upload to image', exc) from exc
        self._set_status(volume['id'], VolumeStatus.AVAILABLE)
        return {**volume, 'status': VolumeStatus.UPLOADING, 'image_id': image_id,
                'image_name': image_name, 'disk_format': disk_format,
                'container_format': container_format, 'visibility': visibility,
                'protected': protected}

    def _write(self, ctx: nl_context.RequestContext, images: ImageTarget,
               volume: dict[str, Any], image_id: str, disk_format: str) -> None:
        """Step 3: the volume's bytes to a temporary file, uploaded, then removed."""
        if not volume['location']:
            raise backend_base.VolumeBackendError(reason=f'volume {volume["id"]} has no storage')
        work_dir = self.conf.volume.volumes_dir
        os.makedirs(work_dir, mode=0o750, exist_ok=True)
        fd, partial = tempfile.mkstemp(prefix='.upload-', dir=work_dir)
        os.close(fd)
        try:
            os.unlink(partial)  # the backend makes the file anew in its format
            self.backend.copy_volume_to_image(volume['location'], partial, disk_format)
            with open(partial, 'rb') as data:
                images.upload_image(ctx, image_id, data)
        finally:
            try:
                os.unlink(partial)
            except FileNotFoundError:
                pass

    def _undo(self, ctx: nl_context.RequestContext, volume_id: str,
              image_id: str | None) -> None:
        """Undo steps 1-2: the image deleted, the volume available again."""
        if image_id is not None and self.images is not None:
            try:
                self.images.delete_image(ctx, image_id)
            except Exception:
                LOG.exception('Could not delete image %s of a failed upload', image_id)
        try:
            self._set_status(volume_id, VolumeStatus.AVAILABLE)
        except Exception:
            LOG.exception('Could not make volume %s available after a failed upload',
                          volume_id)
