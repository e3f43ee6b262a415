"""Imports into several stores: glance-direct to the chosen stores, and copy-image.

With several stores an import names where the data goes (``stores``, or
``all_stores``) and whether every store must take it
(``all_stores_must_succeed``, default true). The data is written store by
store, heaviest first: each copy is recorded as it lands, the store leaves
``os_glance_importing_to_stores`` and, if it failed, joins
``os_glance_failed_import``. A glance-direct import makes the image active
once every store was tried and at least one holds the data; copy-image leaves
the (active) image active throughout. When a store fails and all must
succeed, every copy this import made is removed again, so nothing is orphaned.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import image_data, import_flow, store_copies
from nova_lite.image.backends import base as store_base
from nova_lite.image.backends import multi

LOG = logging.getLogger(__name__)

COPY_IMAGE = 'copy-image'


@dataclasses.dataclass(frozen=True)
class Plan:
    """Where one import writes, and whether all of it must succeed."""

    targets: tuple[str, ...]
    must_succeed: bool
    copy: bool


def plan_import(stores: multi.StoreSet, method: str, import_req: dict[str, Any],
                have: Iterable[str] = ()) -> Plan:
    """The stores an import request writes to (those in ``have`` skipped); 400 if none."""
    requested = import_req.get('stores')
    all_stores = bool(import_req.get('all_stores'))
    copy = method == COPY_IMAGE
    if requested and not stores.multi and set(requested) != set(stores.ids):
        raise exception.InvalidInput(
            field='stores', reason='this deployment has a single image store '
                                   f'({stores.default_id}); multiple stores are not enabled')
    if requested and all_stores:
        raise exception.InvalidInput(field='stores',
                                     reason='cannot be given together with all_stores')
    unknown = [s for s in requested or () if s not in stores.ids]
    if unknown:
        raise exception.InvalidInput(field='stores',
                                     reason=f'unknown stores: {", ".join(unknown)}')
    if all_stores:
        wanted = stores.ids
    elif requested:
        wanted = [s for s in stores.ids if s in requested]
    elif copy:
        raise exception.InvalidInput(field='stores',
                                     reason='copy-image needs stores or all_stores')
    else:
        wanted = [stores.default_id]
    present = set(have)
    targets = tuple(s for s in wanted if s not in present)
    if not targets:
        reason = ('the image is already in every store asked for' if stores.multi else
                  'the image is already in the only image store; copy-image needs '
                  'multiple stores')
        raise exception.InvalidInput(field='stores' if stores.multi else 'method',
                                     reason=reason)
    return Plan(targets, bool(import_req.get('all_stores_must_succeed', True)), copy)


class StoreImport:
    """Runs one planned import into its stores and records the outcome on the image."""

    def __init__(self, db: db_api.Database, stores: multi.StoreSet, size_cap: int) -> None:
        self._db = db
        self._stores = stores
        self._size_cap = size_cap

    def run(self, task_id: str, image_id: str, disk_format: str | None, plan: Plan,
            open_source: Callable[[], Iterator[bytes]]) -> None:
        """Write to every target; raises (after undoing this import's copies) on failure."""
        kept: dict[str, store_base.StoredImage] = {}
        virtual_size: int | None = None
        failed: list[str] = []
        for store_id in plan.targets:
            try:
                stored, head = self._copy_one(task_id, image_id, store_id, open_source)
            except _Superseded:
                self._remove(kept)
                raise exception.NotFound(resource='Import of image', id=image_id) from None
            except Exception as exc:
                LOG.warning('Import task %s could not write image %s to store %s: %s',
                            task_id, image_id, store_id, exc)
                failed.append(store_id)
                self._progress(task_id, image_id, store_id, failed=True)
                if plan.must_succeed:
                    self._undo(task_id, image_id, kept, plan.copy)
                    raise
                continue
            kept[store_id] = stored
            if virtual_size is None:
                virtual_size = image_data._virtual_size(disk_format, stored.size, head)
            self._progress(task_id, image_id, store_id, failed=False)
        if not kept and not plan.copy:
            self._undo(task_id, image_id, kept, plan.copy)
            raise exception.NovaLiteError(
                f'Image {image_id} could not be imported to any of the stores '
                f'{", ".join(failed)}')
        self._finish(task_id, image_id, next(iter(kept.values()), None), virtual_size,
                     plan.copy)

    def _copy_one(self, task_id: str, image_id: str, store_id: str,
                  open_source: Callable[[], Iterator[bytes]]
                  ) -> tuple[store_base.StoredImage, bytes]:
        source = open_source()
        try:
            recorder = import_flow._HeadRecorder(source)
            stored = self._stores.add_to(store_id, image_id, recorder, self._size_cap)
        finally:
            close = getattr(source, 'close', None)
            if close is not None:
                close()
        if not store_copies.add_location(self._db, self._stores, image_id, store_id,
                                         stored.location, task_id, import_flow.IMPORT_TASK):
            self._remove({store_id: stored})
            raise _Superseded()
        return stored, recorder.head

    def _remove(self, kept: dict[str, store_base.StoredImage]) -> None:
        for store_id, stored in kept.items():
            try:
                self._stores.delete_from(store_id, stored.location)
            except Exception:
                LOG.exception('Could not remove %s after a failed import; it is orphaned',
                              stored.location)

    def _locked(self, task_id: str, image_id: str,
                change: Callable[[models.Image, dict[str, Any]], None]) -> None:
        """Apply ``change`` to the image and its properties if it still awaits the task."""
        with self._db.session() as session:
            row = session.get(models.Image, image_id, with_for_update=True)
            if row is None:
                return
            properties = dict(row.properties or {})
            if properties.get(import_flow.IMPORT_TASK) != task_id:
                return
            change(row, properties)
            row.properties = properties

    def _progress(self, task_id: str, image_id: str, store_id: str, *, failed: bool) -> None:
        def change(row: models.Image, props: dict[str, Any]) -> None:
            props[import_flow.IMPORTING_TO] = _without(props.get(import_flow.IMPORTING_TO),
                                                       store_id)
            if failed:
                props[import_flow.FAILED_IMPORT] = _with(props.get(import_flow.FAILED_IMPORT),
                                                         store_id)
        self._locked(task_id, image_id, change)

    def _undo(self, task_id: str, image_id: str, kept: dict[str, store_base.StoredImage],
              copy: bool) -> None:
        """Forget and remove this import's copies; a glance-direct image is queued again."""
        def change(row: models.Image, props: dict[str, Any]) -> None:
            locations = self._stores.decode(row.location)
            for store_id in kept:
                locations.pop(store_id, None)
            row.location = self._stores.encode(locations)
            props.pop(import_flow.IMPORT_TASK, None)
            props[import_flow.IMPORTING_TO] = ''
            if not copy:
                props.pop('os_glance_stage_host', None)
                row.status = ImageStatus.QUEUED  # the staged data is gone
        self._locked(task_id, image_id, change)
        self._remove(kept)

    def _finish(self, task_id: str, image_id: str, stored: store_base.StoredImage | None,
                virtual_size: int | None, copy: bool) -> None:
        def change(row: models.Image, props: dict[str, Any]) -> None:
            props.pop(import_flow.IMPORT_TASK, None)
            props.pop('os_glance_stage_host', None)
            props[import_flow.IMPORTING_TO] = ''
            if not copy and stored is not None:
                fields = import_flow.activation_fields(stored, virtual_size)
                fields.pop('location')
                for field, value in fields.items():
                    setattr(row, field, value)
        self._locked(task_id, image_id, change)


class _Superseded(Exception):
    """The image was deleted, or its import replaced, while its data was written."""


def _without(listing: Any, store_id: str) -> str:
    return ','.join(s for s in str(listing or '').split(',') if s and s != store_id)


def _with(listing: Any, store_id: str) -> str:
    items = [s for s in str(listing or '').split(',') if s]
    return ','.join([*items, store_id] if store_id not in items else items)
