"""Image records as callers see them: the glance v2 view, and who may see or change one."""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db.models import image as models

OPEN_VISIBILITIES = ('public', 'community')


def image_dict(row: models.Image) -> dict[str, Any]:
    """The glance v2 view of an image record (no store location)."""
    view: dict[str, Any] = dict(row.properties or {})
    view.update({
        'id': row.id, 'name': row.name, 'status': row.status,
        'disk_format': row.disk_format, 'container_format': row.container_format,
        'visibility': row.visibility, 'size': row.size, 'virtual_size': row.virtual_size,
        'checksum': row.checksum, 'os_hash_algo': row.os_hash_algo,
        'os_hash_value': row.os_hash_value, 'min_disk': row.min_disk,
        'min_ram': row.min_ram, 'protected': row.protected, 'owner': row.owner,
        'tags': list(row.tags or []), 'os_hidden': row.os_hidden,
        'created_at': timeutils.isotime(row.created_at),
        'updated_at': timeutils.isotime(row.updated_at or row.created_at),
        'file': f'/v2/images/{row.id}/file', 'self': f'/v2/images/{row.id}',
        'schema': '/v2/schemas/image'})
    if row.location:
        view['stores'] = ','.join(store_ids(row.location))
    return view


def store_ids(location: str) -> list[str]:
    """The stores holding an image's data, named as /v2/info/stores names them.

    Several stores: the ids recorded with each location, heaviest first
    (:mod:`nova_lite.image.backends.multi`); the one store: the location's
    scheme (every store plugin's URIs start with its name).
    """
    if location.startswith('['):
        return [str(pair[0]) for pair in json.loads(location)]
    return [location.split(':', 1)[0]]


def canonical_id(image_id: Any) -> str | None:
    """The canonical UUID string, or None when ``image_id`` is not a UUID."""
    if not isinstance(image_id, str):
        return None
    try:
        return str(uuid.UUID(image_id))
    except ValueError:
        return None


def shared_with(project_id: str, statuses: tuple[str, ...] | None = None
                ) -> sa.ColumnElement[bool]:
    """``shared`` images ``project_id`` is a member of (with one of ``statuses``)."""
    membership = sa.select(models.ImageMember.image_id).where(
        models.ImageMember.image_id == models.Image.id,
        models.ImageMember.member == project_id)
    if statuses is not None:
        membership = membership.where(models.ImageMember.status.in_(statuses))
    return sa.and_(models.Image.visibility == 'shared', membership.exists())


def visible_to(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    """The images ``ctx`` may see: all for an admin, else its project's, open ones and
    shared ones it is a member of (whatever its answer)."""
    if ctx.is_admin:
        return sa.true()
    open_images = models.Image.visibility.in_(OPEN_VISIBILITIES)
    if ctx.project_id is None:
        return open_images
    return sa.or_(models.Image.owner == ctx.project_id, open_images,
                  shared_with(ctx.project_id))


def get_row(session: orm.Session, ctx: nl_context.RequestContext, image_id: Any,
            *, for_update: bool = False) -> models.Image:
    """The image if ``ctx`` may see it, else NotFound (also for malformed ids)."""
    canonical = canonical_id(image_id)
    row = None
    if canonical is not None:
        query = sa.select(models.Image).where(models.Image.id == canonical, visible_to(ctx))
        if for_update:
            query = query.with_for_update()
        row = session.scalar(query)
    if row is None:
        raise exception.NotFound(resource='Image', id=image_id)
    return row


def check_owner(ctx: nl_context.RequestContext, row: models.Image, action: str) -> None:
    """Forbidden unless ``ctx`` is an admin or the image's project."""
    if not ctx.is_admin and row.owner != ctx.project_id:
        raise exception.Forbidden(f'You may not {action} image {row.id}: it belongs to '
                                  f'another project.')
