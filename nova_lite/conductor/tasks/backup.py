"""The task createBackup adds to the snapshot's: the rotation of the server's backups.

The backup flow is the snapshot flow (:mod:`nova_lite.conductor.tasks.snapshot`:
its image record has ``image_type`` 'backup' and a ``backup_type``) with
rotate-backups after snapshot-upload: as in Nova, the server's backups of
that type (image properties ``image_type``, ``backup_type`` and
``instance_uuid``), newest first, are kept up to ``rotation`` and the older
ones deleted with the user's token. The backup just made counts as the
newest, so rotation 0 deletes it too.
"""

from __future__ import annotations

import logging
from typing import Any

from taskflow.types import failure as tf_failure

from nova_lite.clients import protocols
from nova_lite.common import exception
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base
from nova_lite.conductor.tasks import snapshot as snapshot_tasks

LOG = logging.getLogger(__name__)


def backup_properties(instance_id: str, backup_type: str) -> dict[str, str]:
    """The image properties that make an image one of the server's backups of a type."""
    return {'image_type': 'backup', 'backup_type': backup_type, 'instance_uuid': instance_id}


def newest_first(images: list[dict[str, Any]], new_image_id: str) -> list[dict[str, Any]]:
    """The backups newest first: the one just made, then the others by creation time."""
    others = sorted((image for image in images if image['id'] != new_image_id),
                    key=lambda image: (str(image.get('created_at') or ''), str(image['id'])),
                    reverse=True)
    new = [image for image in images if image['id'] == new_image_id]
    return new + others


class RotateBackups(base.FlowTask):
    """Deletes the server's backups of this type beyond the newest ``rotation``.

    It lists them again each time it runs, so a run taken over by another
    conductor simply finishes the rotation; a backup already gone is fine.

    Reversion strategy: a deleted image cannot be brought back, so it has
    nothing to undo; it runs only after the upload succeeded (a failed
    backup deletes no old one), and the one task after it (record-state)
    only writes the instance record. When that fails, the first task's
    revert deletes the new backup too (already gone under rotation 0 is
    fine) and the instance goes back to its state.
    """

    def __init__(self, images: protocols.ImageWriter, sealer: token_seal.TokenSealer,
                 **kwargs: Any) -> None:
        super().__init__(keys.ROTATE_BACKUPS,
                         requires=[keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.SEALED_TOKEN],
                         **kwargs)
        self._images = images
        self._sealer = sealer

    def execute(self, instance_id: str, action_request: dict[str, Any],
                sealed_token: str) -> None:
        ctx = snapshot_tasks.user_context(action_request, sealed_token, self._sealer)
        args = action_request['args']
        rotation = int(args['rotation'])
        found = self._images.list_images(
            ctx, properties=backup_properties(instance_id, str(args['backup_type'])))
        ordered = newest_first([dict(image) for image in found], str(args['image_id']))
        for image in ordered[rotation:]:
            LOG.info('Rotating out backup %s of %s', image['id'], instance_id)
            try:
                self._images.delete_image(ctx, str(image['id']))
            except exception.NotFound:
                LOG.info('Backup %s of %s is already gone', image['id'], instance_id)

    def revert(self, instance_id: str, result: Any = None, **kwargs: Any) -> None:
        if isinstance(result, tf_failure.Failure):
            LOG.warning('Rotating the backups of %s failed: %s', instance_id,
                        result.exception_str)
