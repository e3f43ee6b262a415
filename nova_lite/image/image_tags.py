"""Image tags one at a time: ``PUT`` and ``DELETE /v2/images/{id}/tags/{tag}``.

Tags live in the image record (a list kept in the order they were added);
adding a tag the image already has changes nothing, removing one it lacks is
NotFound. Only the image's owner (or an admin) changes its tags.
"""

from __future__ import annotations

from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.image import records

MAX_TAGS = 128
MAX_TAG_LENGTH = 255


def _valid_tag(tag: Any) -> str:
    if not isinstance(tag, str) or not 0 < len(tag) <= MAX_TAG_LENGTH:
        raise exception.InvalidInput(field='tag',
                                     reason=f'must be 1-{MAX_TAG_LENGTH} characters')
    return tag


class ImageTags:
    """Adds and removes single tags under a row lock."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def add_tag(self, ctx: nl_context.RequestContext, image_id: str,
                tag: str) -> dict[str, Any]:
        tag = _valid_tag(tag)
        with self._db.session() as session:
            row = records.get_row(session, ctx, image_id, for_update=True)
            records.check_owner(ctx, row, 'tag')
            tags = list(row.tags or [])
            if tag not in tags:
                if len(tags) >= MAX_TAGS:
                    raise exception.OverLimit(
                        reason=f'an image may have at most {MAX_TAGS} tags')
                row.tags = [*tags, tag]
            session.flush()
            return records.image_dict(row)

    def delete_tag(self, ctx: nl_context.RequestContext, image_id: str,
                   tag: str) -> dict[str, Any]:
        with self._db.session() as session:
            row = records.get_row(session, ctx, image_id, for_update=True)
            records.check_owner(ctx, row, 'untag')
            tags = list(row.tags or [])
            if tag not in tags:
                raise exception.NotFound(resource='Tag', id=tag)
            row.tags = [t for t in tags if t != tag]
            session.flush()
            return records.image_dict(row)
