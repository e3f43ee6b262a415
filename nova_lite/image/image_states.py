"""Deactivating and reactivating an active image.

A deactivated image keeps its data, but only admins may download it (glance's
way to stop an image's use while it is checked); reactivating makes it
``active`` again. Asking for the state an image is already in changes
nothing; any other status is Forbidden, as in glance.
"""

from __future__ import annotations

from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.image import records

# action -> (the status it moves from, the status it moves to)
TRANSITIONS = {'deactivate': (ImageStatus.ACTIVE, ImageStatus.DEACTIVATED),
               'reactivate': (ImageStatus.DEACTIVATED, ImageStatus.ACTIVE)}


def change_state(db: db_api.Database, ctx: nl_context.RequestContext, image_id: str,
                 action: str) -> dict[str, Any]:
    """Apply ``action`` (a key of :data:`TRANSITIONS`) to the image."""
    source, target = TRANSITIONS[action]
    with db.session() as session:
        row = records.get_row(session, ctx, image_id, for_update=True)
        records.check_owner(ctx, row, action)
        if row.status not in (source, target):
            raise exception.Forbidden(f"Cannot {action} image {row.id} in status "
                                      f"'{row.status}'.")
        row.status = target
        session.flush()
        return records.image_dict(row)
