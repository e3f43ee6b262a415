"""Rebuilding a saved volume flow from its name, to carry on a run after a crash.

A saved run holds its flow's name and its store (ids, sizes, locations: plain
JSON, never a database object nor a token), so the flow is rebuilt here by
name and resumed from the saved flow detail. Every flow is resumed: its
tasks are safe to run again (a storage task first frees what an interrupted
earlier run of it left). The one exception is ``write-image``, which needs
the caller's token that is never saved: in a resumed
``volume-create-from-image`` it is replaced by :class:`CannotResume`, which
fails, so the run reverts (the volume's storage freed, the volume ``error``)
unless the image was written already; a resumed ``volume-reimage`` likewise
leaves the volume ``error`` unless the image was written already.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from taskflow.patterns import linear_flow

from nova_lite.db import api as db_api
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import copy, create, delete, extend, keys, snapshot
from nova_lite.volume.flows.tasks import base, reimage_records, storage, volume_records


class CannotResume(base.VolumeTask):
    """Stands in, in a resumed run, for a task that cannot run again; it fails,
    so the run reverts.

    Reversion strategy: nothing of its own to undo (it did nothing); the tasks
    before it undo theirs.
    """

    def __init__(self, name: str, requires: list[str], why: str) -> None:
        super().__init__(name, requires=requires)
        self._why = why

    def execute(self, *args: Any, **kwargs: Any) -> None:
        raise backend_base.VolumeBackendError(reason=f'{self.name} cannot resume: {self._why}')


def _create_from_image_for_resume(db: db_api.Database,
                                  backend: backend_base.VolumeBackend) -> linear_flow.Flow:
    return linear_flow.Flow(keys.CREATE_FROM_IMAGE_FLOW).add(
        volume_records.VolumeToErrorOnRevert(db),
        storage.AllocateStorage(backend),
        CannotResume(keys.WRITE_IMAGE, [keys.IMAGE_REF, keys.VOLUME_LOCATION],
                     "the caller's token is not saved with the run"),
        volume_records.MarkVolumeAvailable(db),
    )


def _reimage_for_resume(db: db_api.Database,
                        backend: backend_base.VolumeBackend) -> linear_flow.Flow:
    return linear_flow.Flow(keys.REIMAGE_FLOW).add(
        reimage_records.ReimageToErrorOnRevert(db),
        CannotResume(keys.WRITE_IMAGE, [keys.IMAGE_REF, keys.VOLUME_LOCATION],
                     "the caller's token is not saved with the run"),
        reimage_records.MarkReimaged(db),
    )


_FACTORIES: dict[str, Callable[[db_api.Database, backend_base.VolumeBackend],
                               linear_flow.Flow]] = {
    keys.CREATE_FLOW: create.get_create_flow,
    keys.CREATE_FROM_IMAGE_FLOW: _create_from_image_for_resume,
    keys.CREATE_FROM_SNAPSHOT_FLOW: lambda db, backend: copy.get_copy_flow(
        db, backend, from_snapshot=True),
    keys.CLONE_FLOW: lambda db, backend: copy.get_copy_flow(db, backend, from_snapshot=False),
    keys.SNAPSHOT_CREATE_FLOW: snapshot.get_snapshot_create_flow,
    keys.EXTEND_FLOW: extend.get_extend_flow,
    keys.DELETE_FLOW: delete.get_delete_flow,
    keys.SNAPSHOT_DELETE_FLOW: snapshot.get_snapshot_delete_flow,
    keys.REIMAGE_FLOW: _reimage_for_resume,
}


class UnknownFlow(LookupError):
    """A saved run names a flow this service does not know."""


def flow_for_resume(flow_name: str, db: db_api.Database,
                    backend: backend_base.VolumeBackend) -> linear_flow.Flow:
    """The flow named ``flow_name``, as a resumed run of it runs; UnknownFlow if none."""
    factory = _FACTORIES.get(flow_name)
    if factory is None:
        raise UnknownFlow(flow_name)
    return factory(db, backend)
