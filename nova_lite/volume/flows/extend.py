"""The volume extend flow.

Store: ``volume_id``, its ``volume_location``, ``old_size`` and ``new_size``;
the API marked the volume ``extending`` in its quota transaction.
"""

from __future__ import annotations

from taskflow.patterns import linear_flow

from nova_lite.db import api as db_api
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import storage, volume_records


def get_extend_flow(db: db_api.Database,
                    backend: backend_base.VolumeBackend) -> linear_flow.Flow:
    """Grow the storage, then record the new size (the old one back on failure)."""
    return linear_flow.Flow(keys.EXTEND_FLOW).add(
        volume_records.ExtendToAvailableOnRevert(db),
        storage.GrowStorage(backend),
        volume_records.MarkExtended(db),
    )
