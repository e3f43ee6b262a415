"""The volume create flows: a blank volume, and a volume made from an image.

Store: ``volume_id`` and ``size`` of the record the API wrote ``creating``
(inside its quota transaction), ``bootable``, and for an image its
``image_ref`` ({'id', 'disk_format'}).
"""

from __future__ import annotations

from taskflow.patterns import linear_flow

from nova_lite.common import context as nl_context
from nova_lite.db import api as db_api
from nova_lite.volume import from_image
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import storage, volume_records


def get_create_flow(db: db_api.Database,
                    backend: backend_base.VolumeBackend) -> linear_flow.Flow:
    """A blank volume: its storage, then ``available``."""
    return linear_flow.Flow(keys.CREATE_FLOW).add(
        volume_records.VolumeToErrorOnRevert(db),
        storage.AllocateStorage(backend),
        volume_records.MarkVolumeAvailable(db),
    )


def get_create_from_image_flow(db: db_api.Database, backend: backend_base.VolumeBackend,
                               images: from_image.ImageSource,
                               ctx: nl_context.RequestContext,
                               work_dir: str) -> linear_flow.Flow:
    """A volume holding an image: its storage, the image written in, ``available``."""
    return linear_flow.Flow(keys.CREATE_FROM_IMAGE_FLOW).add(
        volume_records.VolumeToErrorOnRevert(db),
        storage.AllocateStorage(backend),
        storage.WriteImage(images, backend, ctx, work_dir),
        volume_records.MarkVolumeAvailable(db),
    )
