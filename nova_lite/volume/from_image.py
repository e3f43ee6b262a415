"""A volume made from an image (cinder's ``imageRef`` on volume create).

The image is checked before any record is made (a 400 naming ``volume.imageRef``
when it is missing, not active, or larger than the volume), then the volume is
made by the ``volume-create-from-image`` flow
(:mod:`nova_lite.volume.flows.create`), each step undone when a later one fails:

1. the record, ``creating`` (undo: the record goes to ``error``, as cinder
   leaves a failed volume for its owner to see and delete);
2. the backend's storage of the volume's size (undo: the storage is freed);
3. the image's bytes, downloaded with the caller's token to a temporary file
   beside the volumes and written into the volume by the backend (``qemu-img
   convert`` for the file backend) (:func:`write_image`; the temporary file is
   always removed);
4. ``available`` and ``bootable``.

The image service is reached through an injected client (no import of its
manager): the same :class:`ImageSource` the compute hosts' image cache uses.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from collections.abc import Iterator
from typing import Any, Protocol

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.volume.backends import base as backend_base

LOG = logging.getLogger(__name__)

GIB = 1024 ** 3
FIELD = 'volume.imageRef'


class ImageSource(Protocol):
    """The image service calls a volume from an image needs (the caller's token)."""

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> Any:
        ...

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        ...


def size_gb(image: dict[str, Any]) -> int:
    """The GiB the image needs: its virtual size (else its size), rounded up."""
    for key in ('virtual_size', 'size'):
        value = image.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return math.ceil(value / GIB)
    return 0


def checked_image(images: ImageSource | None, ctx: nl_context.RequestContext,
                  image_id: str, volume_size: int, *, field: str = FIELD,
                  size_field: str = 'volume.size') -> dict[str, Any]:
    """The image a volume of ``volume_size`` GiB is made from; InvalidInput (400) naming
    ``field`` (``volume.imageRef``), or ``size_field`` when the image does not fit,
    when it cannot be (cinder answers 400 for each of these)."""
    if images is None:
        raise exception.InvalidInput(field=field,
                                     reason='this block storage service reads no images')
    try:
        image = dict(images.get_image(ctx, image_id))
    except (exception.NotFound, exception.Forbidden):
        raise exception.InvalidInput(
            field=field, reason=f'Invalid image identifier or unable to access requested '
                                f'image {image_id}.') from None
    if image.get('status') != 'active':
        raise exception.InvalidInput(field=field,
                                     reason=f'Image {image_id} is not active.')
    needed = size_gb(image)
    if needed > volume_size:
        raise exception.InvalidInput(
            field=size_field, reason=f'Size of specified image {needed} GB is larger '
                                     f'than volume size {volume_size} GB.')
    min_disk = image.get('min_disk') or 0
    if isinstance(min_disk, int) and min_disk > volume_size:
        raise exception.InvalidInput(
            field=size_field, reason=f'Volume size {volume_size}GB cannot be smaller '
                                     f'than the image minDisk size {min_disk}GB.')
    return image


def write_image(images: ImageSource, backend: backend_base.VolumeBackend,
                ctx: nl_context.RequestContext, image: dict[str, Any], location: str,
                work_dir: str) -> None:
    """Steps 3: download ``image`` to a temporary file in ``work_dir`` and have the
    backend write it into the volume at ``location``; the file is always removed."""
    os.makedirs(work_dir, mode=0o750, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix='.image-', dir=work_dir)
    try:
        with os.fdopen(fd, 'wb') as out:
            for chunk in images.download_image(ctx, image['id']):
                out.write(chunk)
        backend.copy_image_to_volume(location, partial, image.get('disk_format'))
    finally:
        try:
            os.unlink(partial)
        except FileNotFoundError:
            pass
