"""Tasks that move a snapshot's record through its states (or remove it)."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from nova_lite.common.states import SnapshotStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume_snapshot as models
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import base

LOG = logging.getLogger(__name__)

Snapshot = models.VolumeSnapshot


class SnapshotRemovedOnRevert(base.RecordTask):
    """Marks the start of a snapshot's creation; on revert, removes its record.

    Reversion strategy: it reverts last, once the copy task freed the
    snapshot's storage; the record is deleted, so a failed snapshot leaves
    nothing (and frees its quota), as before the flows.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.SNAPSHOT_REMOVED_ON_REVERT, db, requires=[keys.SNAPSHOT_ID])

    def execute(self, snapshot_id: str) -> None:
        LOG.debug('Snapshot %s: creating', snapshot_id)

    def revert(self, snapshot_id: str, *args: Any, **kwargs: Any) -> None:
        self.best_effort_revert(snapshot_id, lambda: self.write(
            sa.delete(Snapshot).where(Snapshot.id == snapshot_id)))


class MarkSnapshotAvailable(base.RecordTask):
    """Records the snapshot ``available`` with its storage's location.

    Reversion strategy: nothing to undo; it is the last task, and the first
    task removes the record when the flow reverts.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.MARK_SNAPSHOT_AVAILABLE, db,
                         requires=[keys.SNAPSHOT_ID, keys.SNAPSHOT_LOCATION])

    def execute(self, snapshot_id: str, snapshot_location: str) -> None:
        self.write(sa.update(Snapshot).where(Snapshot.id == snapshot_id).values(
            status=SnapshotStatus.AVAILABLE, provider_location=snapshot_location))


class SnapshotToErrorDeletingOnRevert(base.RecordTask):
    """Marks the start of a snapshot delete; on revert, puts the snapshot in
    ``error_deleting``.

    Reversion strategy: it reverts last; the status becomes ``error_deleting``
    so that the delete can be retried.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.SNAPSHOT_TO_ERROR_DELETING_ON_REVERT, db,
                         requires=[keys.SNAPSHOT_ID])

    def execute(self, snapshot_id: str) -> None:
        LOG.debug('Snapshot %s: deleting', snapshot_id)

    def revert(self, snapshot_id: str, *args: Any, **kwargs: Any) -> None:
        self.best_effort_revert(snapshot_id, lambda: self.write(
            sa.update(Snapshot).where(Snapshot.id == snapshot_id).values(
                status=SnapshotStatus.ERROR_DELETING)))


class RemoveSnapshot(base.RecordTask):
    """Deletes the snapshot's record once its storage is gone.

    Reversion strategy: nothing to undo; it is the last task.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.REMOVE_SNAPSHOT, db, requires=[keys.SNAPSHOT_ID])

    def execute(self, snapshot_id: str) -> None:
        self.write(sa.delete(Snapshot).where(Snapshot.id == snapshot_id))
