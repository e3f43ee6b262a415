"""The volume copy flows: a volume from a snapshot, and a clone of a volume.

Store: ``volume_id`` and ``size`` of the new record (written ``creating``
with its quota checked), ``bootable``, the source's ``source_location`` and
``source_kind`` ('snapshot' or 'source volume'). A failed copy removes the
new record, so nothing is left.
"""

from __future__ import annotations

from taskflow.patterns import linear_flow

from nova_lite.db import api as db_api
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import storage, volume_records


def get_copy_flow(db: db_api.Database, backend: backend_base.VolumeBackend, *,
                  from_snapshot: bool) -> linear_flow.Flow:
    """A volume from a snapshot (``from_snapshot``) or a clone of another volume."""
    name = keys.CREATE_FROM_SNAPSHOT_FLOW if from_snapshot else keys.CLONE_FLOW
    return linear_flow.Flow(name).add(
        volume_records.VolumeRemovedOnRevert(db),
        storage.CopySource(backend),
        volume_records.MarkVolumeAvailable(db),
    )
