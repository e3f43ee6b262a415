"""The snapshot flows: create and delete.

Create's store: ``snapshot_id`` of the record written ``creating`` (its quota
checked, its volume touched in the same transaction), ``volume_id`` and the
volume's ``volume_location``. Delete's store: ``snapshot_id`` and its
``snapshot_location`` (None: no storage), the record already ``deleting``.
"""

from __future__ import annotations

from taskflow.patterns import linear_flow

from nova_lite.db import api as db_api
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import snapshot_records, storage


def get_snapshot_create_flow(db: db_api.Database,
                             backend: backend_base.VolumeBackend) -> linear_flow.Flow:
    """Copy the volume into the snapshot's storage, then ``available``."""
    return linear_flow.Flow(keys.SNAPSHOT_CREATE_FLOW).add(
        snapshot_records.SnapshotRemovedOnRevert(db),
        storage.CopyToSnapshot(backend),
        snapshot_records.MarkSnapshotAvailable(db),
    )


def get_snapshot_delete_flow(db: db_api.Database,
                             backend: backend_base.VolumeBackend) -> linear_flow.Flow:
    """Free the snapshot's storage, then remove its record."""
    return linear_flow.Flow(keys.SNAPSHOT_DELETE_FLOW).add(
        snapshot_records.SnapshotToErrorDeletingOnRevert(db),
        storage.FreeSnapshotStorage(backend),
        snapshot_records.RemoveSnapshot(db),
    )
