"""copy-image and the stores of an import: what to write where, and the copy's source.

:func:`plan` turns an import request into a :class:`store_import.Plan`
(copy-image: an active image, to the asked-for stores lacking it);
:func:`record_copy` records the copy-image task on the image, which stays
``active``; :func:`source` reads the image's verified bytes from its heaviest
store for each copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import import_flow, records, store_import, tasks
from nova_lite.image.backends import base as store_base
from nova_lite.image.backends import multi


def plan(db: db_api.Database, stores: multi.StoreSet, ctx: nl_context.RequestContext,
         image_id: str, method: str, import_req: dict[str, Any]) -> store_import.Plan:
    """Where the import writes; copy-image copies an active image to stores lacking it."""
    have: list[str] = []
    if method == store_import.COPY_IMAGE:
        with db.reader() as session:
            row = records.get_row(session, ctx, image_id)
            if row.status != ImageStatus.ACTIVE:
                raise exception.InvalidState(resource='Image', id=row.id, state=row.status,
                                             action='copy-image', needed=ImageStatus.ACTIVE)
            have = list(stores.decode(row.location))
    return store_import.plan_import(stores, method, import_req, have)


def record_copy(db: db_api.Database, task_store: tasks.TaskStore,
                ctx: nl_context.RequestContext, image_id: str, import_req: dict[str, Any],
                copy_plan: store_import.Plan) -> tuple[str, str, str | None]:
    """The copy-image task recorded on the (still active) image: task id, image id, format."""
    with db.session() as session:
        row = records.get_row(session, ctx, image_id, for_update=True)
        properties = dict(row.properties or {})
        if properties.get(import_flow.IMPORT_TASK):
            raise exception.Conflict(
                reason=f'image {row.id} has an import task in progress '
                       f'({properties[import_flow.IMPORT_TASK]})')
        if row.status != ImageStatus.ACTIVE:
            raise exception.InvalidState(resource='Image', id=row.id, state=row.status,
                                         action='copy-image', needed=ImageStatus.ACTIVE)
        task_row = task_store.new_row(
            ctx, tasks.IMPORT_TYPE,
            {'image_id': row.id, 'import_req': import_req,
             'backend': list(copy_plan.targets)}, image_id=row.id)
        session.add(task_row)
        session.flush()
        properties.update({import_flow.IMPORT_TASK: task_row.id,
                           import_flow.IMPORTING_TO: ','.join(copy_plan.targets),
                           import_flow.FAILED_IMPORT: ''})
        row.properties = properties
        return task_row.id, row.id, row.disk_format


def source(db: db_api.Database, stores: multi.StoreSet,
           image_id: str) -> Callable[[], Iterator[bytes]]:
    """Opens the image's verified bytes from the heaviest store holding them."""
    def open_source() -> Iterator[bytes]:
        with db.reader() as session:
            row = session.get(models.Image, image_id)
            if row is None:
                raise exception.NotFound(resource='Image', id=image_id)
            locations = stores.decode(row.location)
            size, hash_value, algo = row.size, row.os_hash_value, row.os_hash_algo
        chunks = stores.read_best(image_id, locations)
        return store_base.verified_chunks(image_id, chunks, size, hash_value, algo)
    return open_source
