"""The volume delete flow.

Store: ``volume_id`` and its ``volume_location`` (None: no storage); the API
marked the volume ``deleting`` after checking it has no attachment nor snapshot.
"""

from __future__ import annotations

from taskflow.patterns import linear_flow

from nova_lite.db import api as db_api
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import storage, volume_records


def get_delete_flow(db: db_api.Database,
                    backend: backend_base.VolumeBackend) -> linear_flow.Flow:
    """Free the storage, then remove the record (``error_deleting`` on failure)."""
    return linear_flow.Flow(keys.DELETE_FLOW).add(
        volume_records.VolumeToErrorDeletingOnRevert(db),
        storage.FreeStorage(backend),
        volume_records.RemoveVolume(db),
    )
