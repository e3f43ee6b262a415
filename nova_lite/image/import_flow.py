"""The flow of one image import: staged data into the store, then the image active.

::

    image-import (linear)
      copy-to-store   staged bytes -> the image store (size, md5, sha512 computed
                      on the way); revert: delete what was stored
      activate        image importing -> active with size, hashes, location;
                      fails if the image was deleted or its import replaced

A ``web-download`` import runs ``download-to-staging`` first
(:mod:`nova_lite.image.web_download`): the data at the URI into the staging
area; revert: remove what it staged.

A failure anywhere reverts the copy, so no half-written or orphaned store
object is left; the caller then clears the staged data and records the
failure (:mod:`nova_lite.image.importer`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from taskflow import task
from taskflow.patterns import linear_flow
from taskflow.types import failure as tf_failure

from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import image_data
from nova_lite.image.backends import base as store_base

LOG = logging.getLogger(__name__)

_HEAD_BYTES = 512
IMPORT_TASK = 'os_glance_import_task'
IMPORTING_TO = 'os_glance_importing_to_stores'
FAILED_IMPORT = 'os_glance_failed_import'


@dataclasses.dataclass(frozen=True)
class ImportDependencies:
    """What the import tasks act on."""

    db: db_api.Database
    store: store_base.ImageStore
    size_cap: int


@dataclasses.dataclass(frozen=True)
class Copied:
    """What ``copy-to-store`` kept: the stored bytes and the disk's virtual size."""

    stored: store_base.StoredImage
    virtual_size: int | None


class _HeadRecorder:
    """Passes chunks through, keeping the first bytes (to read a disk header from)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.head = b''

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            if len(self.head) < _HEAD_BYTES:
                self.head += bytes(chunk[:_HEAD_BYTES - len(self.head)])
            yield chunk


def activation_fields(stored: store_base.StoredImage,
                      virtual_size: int | None) -> dict[str, Any]:
    """The image columns a finished upload or import sets from what the store kept.

    One place for the hashes (checksum, os_hash_algo, os_hash_value), shared in
    spirit with :mod:`nova_lite.image.image_data`'s upload.
    """
    return {'status': ImageStatus.ACTIVE, 'size': stored.size, 'virtual_size': virtual_size,
            'checksum': stored.checksum, 'os_hash_algo': store_base.HASH_ALGO,
            'os_hash_value': stored.os_hash_value, 'location': stored.location}


class CopyToStore(task.Task):
    """Stream the staged bytes into the image store."""

    def __init__(self, deps: ImportDependencies) -> None:
        super().__init__(name='copy-to-store', provides='copied')
        self._deps = deps

    def execute(self, image_id: str, disk_format: str | None,
                source: Iterable[bytes]) -> Copied:
        recorder = _HeadRecorder(source)
        stored = self._deps.store.add(image_id, recorder, self._deps.size_cap)
        return Copied(stored, image_data._virtual_size(disk_format, stored.size,
                                                       recorder.head))

    def revert(self, result: Any, **kwargs: Any) -> None:
        if isinstance(result, tf_failure.Failure) or result is None:
            return  # the store's add leaves nothing behind when it fails
        try:
            self._deps.store.delete(result.stored.location)
        except Exception:
            LOG.exception('Could not remove %s after a failed import; it is orphaned',
                          result.stored.location)


class Activate(task.Task):
    """Make the image active with what was stored, if it still awaits this import."""

    def __init__(self, deps: ImportDependencies) -> None:
        super().__init__(name='activate')
        self._deps = deps

    def execute(self, image_id: str, task_id: str, copied: Copied) -> None:
        with self._deps.db.session() as session:
            row = session.get(models.Image, image_id, with_for_update=True)
            if row is None:
                raise exception.NotFound(resource='Image', id=image_id)
            properties = dict(row.properties or {})
            if row.status != ImageStatus.IMPORTING or properties.get(IMPORT_TASK) != task_id:
                raise exception.InvalidState(resource='Image', id=image_id, state=row.status,
                                             action=f'finishing import task {task_id}',
                                             needed=ImageStatus.IMPORTING)
            for field, value in activation_fields(copied.stored, copied.virtual_size).items():
                setattr(row, field, value)
            properties.pop(IMPORT_TASK, None)
            properties[IMPORTING_TO] = ''
            properties[FAILED_IMPORT] = ''
            row.properties = properties


def get_import_flow(deps: ImportDependencies,
                    before: Sequence[task.Task] = ()) -> linear_flow.Flow:
    """The import flow; run it with ``image_id``, ``task_id``, ``disk_format`` and
    ``source`` (the staged chunks) in its store. ``before`` are tasks that run
    first (a web-download's ``download-to-staging``) and are reverted last."""
    return linear_flow.Flow('image-import').add(*before, CopyToStore(deps), Activate(deps))
