"""The volume re-image flow (cinder's ``os-reimage``, microversion 3.68).

Store: ``volume_id``, its ``volume_location``, the ``image_ref`` to write
({'id', 'disk_format'}), the new ``image_metadata`` and the
``previous_status`` to go back to; the API marked the volume ``downloading``.
The volume's storage is written over in place: nothing is allocated, so a
failure frees nothing and the volume is left ``error`` (as cinder leaves it).
"""

from __future__ import annotations

from taskflow.patterns import linear_flow

from nova_lite.common import context as nl_context
from nova_lite.db import api as db_api
from nova_lite.volume import from_image
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import reimage_records, storage


def get_reimage_flow(db: db_api.Database, backend: backend_base.VolumeBackend,
                     images: from_image.ImageSource, ctx: nl_context.RequestContext,
                     work_dir: str) -> linear_flow.Flow:
    """Write the image into the volume, then its new image metadata and old status."""
    return linear_flow.Flow(keys.REIMAGE_FLOW).add(
        reimage_records.ReimageToErrorOnRevert(db),
        storage.WriteImage(images, backend, ctx, work_dir),
        reimage_records.MarkReimaged(db),
    )
