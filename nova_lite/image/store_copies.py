"""An image's copies in the stores: glance's delete-from-store, and adding one copy.

``DELETE /v2/stores/{store_id}/{image_id}`` removes one store's copy of an
active image; the last copy cannot be removed that way (delete the image).
The record changes first, then the bytes go, so no reader is handed a
location whose bytes are gone.
"""

from __future__ import annotations

import logging

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import records
from nova_lite.image.backends import multi

LOG = logging.getLogger(__name__)


def delete_from_store(db: db_api.Database, stores: multi.StoreSet,
                      ctx: nl_context.RequestContext, store_id: str, image_id: str) -> None:
    """Remove ``store_id``'s copy of an active image; 409 for its last copy."""
    if store_id not in stores.ids:
        raise exception.NotFound(resource='Store', id=store_id)
    with db.session() as session:
        row = records.get_row(session, ctx, image_id, for_update=True)
        records.check_owner(ctx, row, 'delete data of')
        if row.status != ImageStatus.ACTIVE:
            raise exception.InvalidState(resource='Image', id=row.id, state=row.status,
                                         action='deleting its data from a store',
                                         needed=ImageStatus.ACTIVE)
        locations = stores.decode(row.location)
        if store_id not in locations:
            raise exception.NotFound(resource=f'Image {row.id} in store', id=store_id)
        if len(locations) == 1:
            raise exception.Conflict(reason=f'store {store_id} holds the last copy of image '
                                            f'{row.id}; delete the image instead')
        location = locations.pop(store_id)
        row.location = stores.encode(locations)
    try:
        stores.delete_from(store_id, location)
    except Exception:
        LOG.exception('Could not remove image data at %s; it is now orphaned', location)


def add_location(db: db_api.Database, stores: multi.StoreSet, image_id: str,
                 store_id: str, location: str, task_id: str, task_key: str) -> bool:
    """Record ``location`` as ``store_id``'s copy of an image still owned by ``task_id``.

    False (nothing recorded) when the image is gone or no longer awaits that task;
    the caller then removes the bytes.
    """
    with db.session() as session:
        row = session.get(models.Image, image_id, with_for_update=True)
        if row is None or (row.properties or {}).get(task_key) != task_id:
            return False
        locations = stores.decode(row.location)
        locations[store_id] = location
        row.location = stores.encode(locations)
        return True
