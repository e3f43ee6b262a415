"""Tasks that make, fill, grow and free the backend's storage."""

from __future__ import annotations

import logging
from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.volume import from_image
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import base

LOG = logging.getLogger(__name__)


def _made(result: Any) -> str | None:
    """The location a storage task returned, None when it failed (a Failure)."""
    return result if isinstance(result, str) and result else None


class StorageTask(base.VolumeTask):
    """A task that calls the volume backend."""

    def __init__(self, name: str, backend: backend_base.VolumeBackend, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._backend = backend


class AllocateStorage(StorageTask):
    """Has the backend make the volume's storage, of its size; provides its location.
    It first frees what an interrupted earlier run of it left (a resumed run).

    Reversion strategy: the storage it made is freed (``delete_volume``); when
    it failed, the backend left nothing, so there is nothing to free.
    """

    def __init__(self, backend: backend_base.VolumeBackend) -> None:
        super().__init__(keys.ALLOCATE_STORAGE, backend, requires=[keys.VOLUME_ID, keys.SIZE],
                         provides=keys.VOLUME_LOCATION)

    def execute(self, volume_id: str, size: int) -> str:
        # A run resumed after a crash re-runs this task: it starts clean.
        self._backend.discard_leftovers(volume_id)
        return self._backend.create_volume(volume_id, size)

    def revert(self, volume_id: str, result: Any = None, **kwargs: Any) -> None:
        location = _made(result)
        if location is not None:
            self.best_effort_revert(volume_id, lambda: self._backend.delete_volume(location))


class WriteImage(StorageTask):
    """Downloads the image (with the caller's token) and writes it into the volume.

    The caller's context is given to the constructor, not kept in the store,
    so its token is never saved with the run.

    Reversion strategy: nothing of its own to undo: its temporary download is
    always removed; the volume's storage is freed by ``allocate-storage``.
    """

    def __init__(self, images: from_image.ImageSource, backend: backend_base.VolumeBackend,
                 ctx: nl_context.RequestContext, work_dir: str) -> None:
        super().__init__(keys.WRITE_IMAGE, backend,
                         requires=[keys.IMAGE_REF, keys.VOLUME_LOCATION])
        self._images = images
        self._ctx = ctx
        self._work_dir = work_dir

    def execute(self, image_ref: dict[str, Any], volume_location: str) -> None:
        from_image.write_image(self._images, self._backend, self._ctx, image_ref,
                               volume_location, self._work_dir)


class CopySource(StorageTask):
    """Has the backend make the volume's storage holding a snapshot's (or another
    volume's) bytes; provides its location. It first frees what an interrupted
    earlier run of it left (a resumed run).

    Reversion strategy: the copy it made is freed (``delete_volume``); a copy
    that failed left nothing (the backend removes a partial file).
    """

    def __init__(self, backend: backend_base.VolumeBackend) -> None:
        super().__init__(keys.COPY_SOURCE, backend,
                         requires=[keys.VOLUME_ID, keys.SIZE, keys.SOURCE_LOCATION,
                                   keys.SOURCE_KIND],
                         provides=keys.VOLUME_LOCATION)

    def execute(self, volume_id: str, size: int, source_location: str | None,
                source_kind: str) -> str:
        if not source_location:
            raise backend_base.VolumeBackendError(reason=f'the {source_kind} has no storage')
        self._backend.discard_leftovers(volume_id)
        return self._backend.create_volume_from_source(volume_id, size, source_location)

    def revert(self, volume_id: str, result: Any = None, **kwargs: Any) -> None:
        location = _made(result)
        if location is not None:
            self.best_effort_revert(volume_id, lambda: self._backend.delete_volume(location))


class CopyToSnapshot(StorageTask):
    """Has the backend copy the volume's bytes into the snapshot's storage;
    provides its location. It first frees what an interrupted earlier run of
    it left (a resumed run).

    Reversion strategy: the snapshot's storage it made is freed
    (``delete_snapshot``); a copy that failed left nothing.
    """

    def __init__(self, backend: backend_base.VolumeBackend) -> None:
        super().__init__(keys.COPY_TO_SNAPSHOT, backend,
                         requires=[keys.SNAPSHOT_ID, keys.VOLUME_ID, keys.VOLUME_LOCATION],
                         provides=keys.SNAPSHOT_LOCATION)

    def execute(self, snapshot_id: str, volume_id: str, volume_location: str | None) -> str:
        if not volume_location:
            raise backend_base.VolumeBackendError(reason=f'volume {volume_id} has no storage')
        self._backend.discard_leftovers(snapshot_id, snapshot=True)
        return self._backend.create_snapshot(snapshot_id, volume_location)

    def revert(self, snapshot_id: str, result: Any = None, **kwargs: Any) -> None:
        location = _made(result)
        if location is not None:
            self.best_effort_revert(snapshot_id,
                                    lambda: self._backend.delete_snapshot(location))


class GrowStorage(StorageTask):
    """Has the backend grow the volume's storage to its new size.

    Reversion strategy: none: storage once grown is not shrunk (shrinking could
    cut data). The first task puts the old size back in the record, and the
    next extend grows the storage past it; the guest sees only recorded sizes.
    """

    def __init__(self, backend: backend_base.VolumeBackend) -> None:
        super().__init__(keys.GROW_STORAGE, backend,
                         requires=[keys.VOLUME_ID, keys.VOLUME_LOCATION, keys.NEW_SIZE])

    def execute(self, volume_id: str, volume_location: str | None, new_size: int) -> None:
        if not volume_location:
            raise backend_base.VolumeBackendError(reason=f'volume {volume_id} has no storage')
        self._backend.extend_volume(volume_location, new_size)


class FreeStorage(StorageTask):
    """Has the backend delete the volume's storage (a volume without any skips it).

    Reversion strategy: none: deleted storage cannot be brought back; the first
    task marks the volume ``error_deleting`` so that the delete can be retried.
    """

    def __init__(self, backend: backend_base.VolumeBackend) -> None:
        super().__init__(keys.FREE_STORAGE, backend,
                         requires=[keys.VOLUME_ID, keys.VOLUME_LOCATION])

    def execute(self, volume_id: str, volume_location: str | None) -> None:
        if volume_location:
            self._backend.delete_volume(volume_location)


class FreeSnapshotStorage(StorageTask):
    """Has the backend delete the snapshot's storage (none: nothing to do).

    Reversion strategy: none: deleted storage cannot be brought back; the first
    task marks the snapshot ``error_deleting`` so that the delete can be retried.
    """

    def __init__(self, backend: backend_base.VolumeBackend) -> None:
        super().__init__(keys.FREE_SNAPSHOT_STORAGE, backend,
                         requires=[keys.SNAPSHOT_ID, keys.SNAPSHOT_LOCATION])

    def execute(self, snapshot_id: str, snapshot_location: str | None) -> None:
        if snapshot_location:
            self._backend.delete_snapshot(snapshot_location)
