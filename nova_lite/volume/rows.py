"""Volume and attachment rows: lookups within the caller's scope, conditional
writes, and the checks of caller-given fields (shared by volumes and attachments)."""

from __future__ import annotations

import uuid
from typing import Any, TypeVarTuple, cast

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db.models import volume as models
from nova_lite.volume.backends import base as backend_base

MAX_STR = 255

Volume = models.Volume
Attachment = models.VolumeAttachment
_Columns = TypeVarTuple('_Columns')


def canonical_uuid(value: Any) -> str | None:
    """The canonical UUID string, or None when ``value`` is not a UUID."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def uuid_field(field: str, value: Any) -> str:
    canonical = canonical_uuid(value)
    if canonical is None:
        raise exception.InvalidInput(field=field, reason=f'{value!r} is not a UUID')
    return canonical


def optional_str(field: str, value: Any, max_len: int = MAX_STR) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise exception.InvalidInput(field=field, reason='must be a string')
    if len(value) > max_len:
        raise exception.InvalidInput(field=field, reason=f'longer than {max_len} characters')
    return value


def required_str(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise exception.InvalidInput(field=field, reason='must be a non-empty string')
    return cast(str, optional_str(field, value))


def checked_metadata(metadata: Any) -> dict[str, str]:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise exception.InvalidInput(field='metadata', reason='must be an object')
    for key, value in metadata.items():
        if not isinstance(key, str) or not 0 < len(key) <= MAX_STR:
            raise exception.InvalidInput(field='metadata',
                                         reason=f'key {key!r} must be 1-255 characters')
        if not isinstance(value, str) or len(value) > MAX_STR:
            raise exception.InvalidInput(
                field='metadata', reason=f'value of {key!r} must be a string of <= 255')
    return dict(metadata)


def changed_metadata(current: dict[str, str] | None, metadata: dict[str, str] | None, *,
                     merge: bool = False,
                     delete_key: str | None = None) -> dict[str, str] | None:
    """The metadata after an update: ``current`` without ``delete_key`` (NotFound when
    it has no such key), ``metadata`` merged into ``current`` or replacing it, or None
    when the update leaves metadata alone."""
    kept = dict(current or {})
    if delete_key is not None:
        if kept.pop(delete_key, None) is None:
            raise exception.NotFound(resource='Metadata key', id=delete_key)
        return kept
    if metadata is not None and merge:
        return {**kept, **metadata}
    return metadata


def write(session: orm.Session, statement: sa.Executable) -> int:
    """Run an UPDATE/DELETE as plain SQL (no ORM sync); return the rows it matched."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast('sa.CursorResult[Any]', result).rowcount


def backend_error(action: str, exc: Exception) -> exception.NovaLiteError:
    """The error to raise for a backend failure (nova_lite errors pass as they are)."""
    if isinstance(exc, exception.NovaLiteError):
        return exc
    return backend_base.VolumeBackendError(reason=f'{action} failed: {exc}')


def scoped(ctx: nl_context.RequestContext,
           query: sa.Select[*_Columns]) -> sa.Select[*_Columns]:
    """``query`` limited to the caller's project's volumes (all of them for an admin)."""
    if ctx.is_admin:
        return query
    return query.where(Volume.project_id == ctx.project_id)


def load_volume(session: orm.Session, ctx: nl_context.RequestContext,
                volume_id: Any) -> models.Volume:
    """The volume if ``ctx`` may see it, else NotFound (also for malformed ids)."""
    canonical = canonical_uuid(volume_id)
    row = None
    if canonical is not None:
        row = session.scalar(scoped(ctx, sa.select(Volume).where(Volume.id == canonical)))
    if row is None:
        raise exception.NotFound(resource='Volume', id=volume_id)
    return row


def load_attachment(session: orm.Session, ctx: nl_context.RequestContext,
                    attachment_id: Any) -> tuple[models.VolumeAttachment, models.Volume]:
    """The attachment and its volume if ``ctx`` may see the volume, else NotFound."""
    canonical = canonical_uuid(attachment_id)
    found = None
    if canonical is not None:
        query = sa.select(Attachment, Volume).join(
            Volume, Volume.id == Attachment.volume_id).where(Attachment.id == canonical)
        found = session.execute(scoped(ctx, query)).first()
    if found is None:
        raise exception.NotFound(resource='Volume attachment', id=attachment_id)
    return found[0], found[1]


def attachments_of(session: orm.Session,
                   volume_ids: list[str]) -> dict[str, list[models.VolumeAttachment]]:
    """Each volume's attachments, oldest first, in one query."""
    by_volume: dict[str, list[models.VolumeAttachment]] = {vid: [] for vid in volume_ids}
    if volume_ids:
        rows = session.scalars(sa.select(Attachment).where(
            Attachment.volume_id.in_(volume_ids)).order_by(Attachment.created_at))
        for row in rows:
            by_volume[row.volume_id].append(row)
    return by_volume
