"""Image members: a ``shared`` image offered to other projects, who accept or reject it.

The image's owner (or an admin) adds and removes members; a member answers
for itself by setting its status (``pending`` at first, then ``accepted`` or
``rejected``). A member sees the image whatever its answer, and finds it in
its default image list only once it accepted. Only ``shared`` images have
members; the rows of an image whose visibility changed stay, unused, until
it is shared again.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import image as image_models
from nova_lite.image import records

ImageMember = image_models.ImageMember

STATUSES = ('pending', 'accepted', 'rejected')
MAX_MEMBERS = 128
MAX_MEMBER_ID = 255


def member_dict(row: ImageMember) -> dict[str, Any]:
    """The glance v2 view of a membership."""
    return {'image_id': row.image_id, 'member_id': row.member, 'status': row.status,
            'created_at': timeutils.isotime(row.created_at),
            'updated_at': timeutils.isotime(row.updated_at or row.created_at),
            'schema': '/v2/schemas/member'}


def _shared_image(session: orm.Session, ctx: nl_context.RequestContext, image_id: str,
                  *, for_update: bool = False) -> image_models.Image:
    """The visible image, Forbidden unless it is ``shared``."""
    row = records.get_row(session, ctx, image_id, for_update=for_update)
    if row.visibility != 'shared':
        raise exception.Forbidden(f"Only shared images have members; image {row.id} is "
                                  f"'{row.visibility}'.")
    return row


def _is_owner(ctx: nl_context.RequestContext, image: image_models.Image) -> bool:
    return ctx.is_admin or image.owner == ctx.project_id


def _member_row(session: orm.Session, image_id: str, member_id: str) -> ImageMember:
    row = session.get(ImageMember, (image_id, member_id))
    if row is None:
        raise exception.NotFound(resource='Member', id=member_id)
    return row


def _member_id(member_id: Any) -> str:
    if not isinstance(member_id, str) or not 0 < len(member_id) <= MAX_MEMBER_ID:
        raise exception.InvalidInput(
            field='member', reason=f'must be a project id of 1-{MAX_MEMBER_ID} characters')
    return member_id


class ImageMembers:
    """Memberships of shared images, stored in ``image_members``."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create_member(self, ctx: nl_context.RequestContext, image_id: str,
                      member_id: Any) -> dict[str, Any]:
        """Offer the image to ``member_id`` (pending); owner or admin only."""
        member_id = _member_id(member_id)
        try:
            with self._db.session() as session:
                image = _shared_image(session, ctx, image_id, for_update=True)
                records.check_owner(ctx, image, 'share')
                if session.get(ImageMember, (image.id, member_id)) is not None:
                    raise exception.Conflict(
                        reason=f'{member_id} is already a member of image {image.id}')
                count = session.scalar(sa.select(sa.func.count()).select_from(ImageMember)
                                       .where(ImageMember.image_id == image.id))
                if (count or 0) >= MAX_MEMBERS:
                    raise exception.OverLimit(
                        reason=f'an image may have at most {MAX_MEMBERS} members')
                row = ImageMember(image_id=image.id, member=member_id, status='pending')
                session.add(row)
                session.flush()
                return member_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Conflict(
                reason=f'{member_id} is already a member of image {image_id}') from None

    def list_members(self, ctx: nl_context.RequestContext,
                     image_id: str) -> list[dict[str, Any]]:
        """All members for the owner (or an admin); a member sees only itself."""
        with self._db.reader() as session:
            image = _shared_image(session, ctx, image_id)
            query = sa.select(ImageMember).where(ImageMember.image_id == image.id)
            if not _is_owner(ctx, image):
                query = query.where(ImageMember.member == ctx.project_id)
            rows = session.scalars(query.order_by(ImageMember.created_at,
                                                  ImageMember.member))
            return [member_dict(row) for row in rows]

    def get_member(self, ctx: nl_context.RequestContext, image_id: str,
                   member_id: str) -> dict[str, Any]:
        """One membership, for the owner, an admin or that member (else NotFound)."""
        with self._db.reader() as session:
            image = _shared_image(session, ctx, image_id)
            if not _is_owner(ctx, image) and member_id != ctx.project_id:
                raise exception.NotFound(resource='Member', id=member_id)
            return member_dict(_member_row(session, image.id, member_id))

    def update_member(self, ctx: nl_context.RequestContext, image_id: str, member_id: str,
                      status: Any) -> dict[str, Any]:
        """A member's answer; only that member (or an admin) gives it."""
        if status not in STATUSES:
            raise exception.InvalidInput(field='status',
                                         reason=f'must be one of {", ".join(STATUSES)}')
        with self._db.session() as session:
            image = _shared_image(session, ctx, image_id)
            if not _is_owner(ctx, image) and member_id != ctx.project_id:
                raise exception.NotFound(resource='Member', id=member_id)
            row = _member_row(session, image.id, member_id)
            if not ctx.is_admin and member_id != ctx.project_id:
                raise exception.Forbidden('Only the member itself may accept or reject an '
                                          'image shared with it.')
            row.status = status
            session.flush()
            return member_dict(row)

    def delete_member(self, ctx: nl_context.RequestContext, image_id: str,
                      member_id: str) -> None:
        """Stop sharing the image with ``member_id``; owner or admin only."""
        with self._db.session() as session:
            image = _shared_image(session, ctx, image_id, for_update=True)
            if not _is_owner(ctx, image) and member_id != ctx.project_id:
                raise exception.NotFound(resource='Member', id=member_id)
            row = _member_row(session, image.id, member_id)
            records.check_owner(ctx, image, 'stop sharing')
            session.delete(row)
