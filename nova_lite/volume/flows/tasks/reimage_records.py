"""Tasks that move a volume's record through a re-image (``downloading``)."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from nova_lite.common import timeutils
from nova_lite.common.states import VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.volume import rows
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import base

LOG = logging.getLogger(__name__)

Volume = rows.Volume
DOWNLOADING = 'downloading'


class ReimageToErrorOnRevert(base.RecordTask):
    """Marks the start of a re-image (the API set the volume ``downloading``); on
    revert, puts the volume in ``error``.

    Reversion strategy: it reverts last, after the image was (perhaps partly)
    written; the volume's status becomes ``error``, as cinder leaves a volume
    whose re-image failed (its bytes are no longer the old image's). Only a
    volume still ``downloading`` is changed; its image metadata is kept.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.REIMAGE_TO_ERROR_ON_REVERT, db, requires=[keys.VOLUME_ID])

    def execute(self, volume_id: str) -> None:
        LOG.debug('Volume %s: re-imaging', volume_id)

    def revert(self, volume_id: str, *args: Any, **kwargs: Any) -> None:
        self.best_effort_revert(volume_id, lambda: self.write(sa.update(Volume).where(
            Volume.id == volume_id, Volume.status == DOWNLOADING).values(
                status=VolumeStatus.ERROR, updated_at=timeutils.utcnow())))


class MarkReimaged(base.RecordTask):
    """Records the new image's metadata and puts the volume back to the status
    it had before the re-image (``available``, ``error`` or ``reserved``).

    Reversion strategy: nothing to undo; it is the last task, and the first
    task puts the volume in ``error`` when the flow reverts.
    """

    def __init__(self, db: db_api.Database) -> None:
        super().__init__(keys.MARK_REIMAGED, db,
                         requires=[keys.VOLUME_ID, keys.PREVIOUS_STATUS, keys.IMAGE_METADATA])

    def execute(self, volume_id: str, previous_status: str,
                image_metadata: dict[str, str]) -> None:
        self.write(sa.update(Volume).where(
            Volume.id == volume_id, Volume.status == DOWNLOADING).values(
                status=previous_status, image_metadata=dict(image_metadata),
                updated_at=timeutils.utcnow()))
