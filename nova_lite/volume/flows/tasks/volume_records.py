"""Tasks that move a volume's record through its states (or remove it)."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from nova_lite.common.states import VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.volume import rows
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import base

LOG = logging.getLogger(__name__)

Volume = rows.Volume
EXTENDING = 'extending'


class VolumeToErrorOnRevert(base.RecordTask):
    """Marks the start of a volume's creation; on revert, puts the volume in error.

    Reversion strategy: it reverts last, after the storage tasks freed what
    they made; the volume's status becomes ``error`` (the record stays for its
    owner to see and delete, as cinder leaves a failed volume; it still counts
    against the quota until deleted).
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.VOLUME_TO_ERROR_ON_REVERT, db, requires=[keys.VOLUME_ID])

    def execute(self, volume_id: str) -> None:
        LOG.debug('Volume %s: creating', volume_id)

    def revert(self, volume_id: str, *args: Any, **kwargs: Any) -> None:
        self.best_effort_revert(volume_id, lambda: self.write(
            sa.update(Volume).where(Volume.id == volume_id).values(status=VolumeStatus.ERROR)))


class VolumeRemovedOnRevert(base.RecordTask):
    """Marks the start of a copy (from a snapshot or a clone); on revert, removes
    the new volume's record.

    Reversion strategy: it reverts last, once the copy task freed its storage;
    the record is deleted, so a failed copy leaves nothing (and frees its quota).
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.VOLUME_REMOVED_ON_REVERT, db, requires=[keys.VOLUME_ID])

    def execute(self, volume_id: str) -> None:
        LOG.debug('Volume %s: copying', volume_id)

    def revert(self, volume_id: str, *args: Any, **kwargs: Any) -> None:
        self.best_effort_revert(volume_id, lambda: self.write(
            sa.delete(Volume).where(Volume.id == volume_id)))


class MarkVolumeAvailable(base.RecordTask):
    """Records the volume ``available`` with its storage's location.

    Reversion strategy: nothing to undo; it is the last task, and the first
    task marks the volume (error or removed) when the flow reverts.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.MARK_VOLUME_AVAILABLE, db,
                         requires=[keys.VOLUME_ID, keys.VOLUME_LOCATION, keys.BOOTABLE])

    def execute(self, volume_id: str, volume_location: str, bootable: bool) -> None:
        self.write(sa.update(Volume).where(Volume.id == volume_id).values(
            status=VolumeStatus.AVAILABLE, provider_location=volume_location,
            bootable=bootable))


class ExtendToAvailableOnRevert(base.RecordTask):
    """Marks the start of an extend (the volume is ``extending``); on revert,
    puts it back ``available`` with its old size.

    Reversion strategy: it reverts last; the volume goes back to ``available``
    with ``old_size`` (only while it is still ``extending``), as a failed
    extend leaves the volume usable as it was.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.EXTEND_TO_AVAILABLE_ON_REVERT, db,
                         requires=[keys.VOLUME_ID, keys.OLD_SIZE])

    def execute(self, volume_id: str, old_size: int) -> None:
        LOG.debug('Volume %s: extending from %s GiB', volume_id, old_size)

    def revert(self, volume_id: str, old_size: int, *args: Any, **kwargs: Any) -> None:
        self.best_effort_revert(volume_id, lambda: self.write(sa.update(Volume).where(
            Volume.id == volume_id, Volume.status == EXTENDING).values(
                status=VolumeStatus.AVAILABLE, size=old_size)))


class MarkExtended(base.RecordTask):
    """Records the volume ``available`` with its new size.

    Reversion strategy: nothing to undo; it is the last task, and the first
    task puts the old size back when the flow reverts.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.MARK_EXTENDED, db, requires=[keys.VOLUME_ID, keys.NEW_SIZE])

    def execute(self, volume_id: str, new_size: int) -> None:
        self.write(sa.update(Volume).where(
            Volume.id == volume_id, Volume.status == EXTENDING).values(
                status=VolumeStatus.AVAILABLE, size=new_size))


class VolumeToErrorDeletingOnRevert(base.RecordTask):
    """Marks the start of a delete (the volume is ``deleting``); on revert, puts
    the volume in ``error_deleting``.

    Reversion strategy: it reverts last; the status becomes ``error_deleting``
    so that the owner (or an admin) can retry the delete.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.VOLUME_TO_ERROR_DELETING_ON_REVERT, db,
                         requires=[keys.VOLUME_ID])

    def execute(self, volume_id: str) -> None:
        LOG.debug('Volume %s: deleting', volume_id)

    def revert(self, volume_id: str, *args: Any, **kwargs: Any) -> None:
        self.best_effort_revert(volume_id, lambda: self.write(
            sa.update(Volume).where(Volume.id == volume_id).values(
                status=VolumeStatus.ERROR_DELETING)))


class RemoveVolume(base.RecordTask):
    """Deletes the volume's record once its storage is gone.

    Reversion strategy: nothing to undo; it is the last task (a record once
    deleted is not brought back).
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.REMOVE_VOLUME, db, requires=[keys.VOLUME_ID])

    def execute(self, volume_id: str) -> None:
        self.write(sa.delete(Volume).where(Volume.id == volume_id))
