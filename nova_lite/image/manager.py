"""The image registry: image records, visibility, and the upload/download life cycle.

Records live in the ``images`` table; bytes live in an :class:`ImageStore`. An
image is ``queued`` until its bytes are uploaded, ``saving`` while they stream
into the store (committed first, so other readers see it), then ``active``; a
failed upload leaves it ``killed`` with no bytes kept. Every method returns a
flat dict shaped like a glance v2 image; the store location stays internal and
is handed to the compute side only through :meth:`ImageManager.get_location`.
"""

from __future__ import annotations

import logging
import struct
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image.backends import base as store_base

LOG = logging.getLogger(__name__)

HASH_ALGO = store_base.HASH_ALGO
VISIBILITIES = ('public', 'community', 'shared', 'private')
OPEN_VISIBILITIES = ('public', 'community')
MAX_PROPERTIES = 128
MAX_TAGS = 128
_MAX_INT = 2 ** 31 - 1
_HEAD_BYTES = 512
# Fields a caller may change after creation; ``id`` and ``owner`` only at creation.
UPDATABLE_FIELDS = frozenset({'name', 'min_disk', 'min_ram', 'protected', 'tags', 'visibility',
                              'os_hidden', 'disk_format', 'container_format'})
CREATABLE_FIELDS = UPDATABLE_FIELDS | {'id', 'owner'}
_QUEUED_ONLY_FIELDS = frozenset({'disk_format', 'container_format'})
# Names of the public dict plus internal ones: never usable as extra properties.
RESERVED_NAMES = frozenset({
    'id', 'name', 'status', 'disk_format', 'container_format', 'visibility', 'size',
    'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'min_disk', 'min_ram',
    'protected', 'owner', 'tags', 'created_at', 'updated_at', 'os_hidden', 'file', 'self',
    'schema', 'location', 'locations', 'direct_url', 'properties', 'deleted', 'deleted_at',
    'member', 'members'})


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
    return view


def _canonical_id(image_id: Any) -> str | None:
    """The canonical UUID string, or None when ``image_id`` is not a UUID."""
    if not isinstance(image_id, str):
        return None
    try:
        return str(uuid.UUID(image_id))
    except ValueError:
        return None


def _int_field(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise exception.InvalidInput(field=field, reason='must be an integer')
    if not 0 <= value <= _MAX_INT:
        raise exception.InvalidInput(field=field, reason=f'must be between 0 and {_MAX_INT}')
    return value


def _bool_field(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise exception.InvalidInput(field=field, reason='must be a boolean')
    return value


def _text_field(field: str, value: Any, max_len: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_len:
        raise exception.InvalidInput(field=field,
                                     reason=f'must be a string of at most {max_len} characters')
    return value


def _tags_field(value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or len(value) > MAX_TAGS:
        raise exception.InvalidInput(field='tags',
                                     reason=f'must be a list of at most {MAX_TAGS} strings')
    tags: list[str] = []
    for tag in value:
        if not isinstance(tag, str) or not 0 < len(tag) <= 255:
            raise exception.InvalidInput(field='tags', reason='each tag must be 1-255 characters')
        if tag not in tags:
            tags.append(tag)
    return tags


class ImageManager:
    """Image records plus their bytes in a store plugin."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database,
                 store: store_base.ImageStore) -> None:
        self._conf = conf
        self._db = db
        self._store = store

    def _format_field(self, field: str, value: Any) -> str | None:
        allowed = (self._conf.image.disk_formats if field == 'disk_format'
                   else self._conf.image.container_formats)
        if value is not None and value not in allowed:
            raise exception.InvalidInput(field=field,
                                         reason=f'must be one of {", ".join(allowed)}')
        return value

    def _core_value(self, ctx: nl_context.RequestContext, field: str, value: Any) -> Any:
        if field in ('disk_format', 'container_format'):
            return self._format_field(field, value)
        if field in ('min_disk', 'min_ram'):
            return _int_field(field, value)
        if field in ('protected', 'os_hidden'):
            return _bool_field(field, value)
        if field == 'tags':
            return _tags_field(value)
        if field == 'name':
            return _text_field('name', value, 255)
        if field == 'visibility':
            if value not in VISIBILITIES:
                raise exception.InvalidInput(field='visibility',
                                             reason=f'must be one of {", ".join(VISIBILITIES)}')
            return value
        if field == 'id':
            canonical = _canonical_id(value)
            if canonical is None:
                raise exception.InvalidInput(field='id', reason='must be a UUID')
            return canonical
        owner = _text_field('owner', value, 64)
        if not ctx.is_admin and owner != ctx.project_id:
            raise exception.Forbidden('Only an admin may set the owner of an image.')
        return owner

    def _split_fields(self, ctx: nl_context.RequestContext, fields: dict[str, Any],
                      allowed: frozenset[str]) -> tuple[dict[str, Any], dict[str, str | None]]:
        """Validated core fields and extra properties (None = remove the property)."""
        core: dict[str, Any] = {}
        extra: dict[str, str | None] = {}
        for key, value in fields.items():
            if key in allowed:
                core[key] = self._core_value(ctx, key, value)
            elif key in RESERVED_NAMES:
                raise exception.InvalidInput(field=key, reason='is reserved and read-only')
            elif not isinstance(key, str) or not 0 < len(key) <= 255:
                raise exception.InvalidInput(field=str(key),
                                             reason='property names are 1-255 characters')
            elif value is not None and (not isinstance(value, str) or len(value) > 65535):
                raise exception.InvalidInput(
                    field=key, reason='extra properties must be strings of at most 65535 '
                                      'characters')
            else:
                extra[key] = value
        return core, extra

    @staticmethod
    def _merge_properties(current: dict[str, str],
                          extra: dict[str, str | None]) -> dict[str, str]:
        merged = dict(current)
        for key, value in extra.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        if len(merged) > MAX_PROPERTIES:
            raise exception.OverLimit(
                reason=f'an image may have at most {MAX_PROPERTIES} extra properties')
        return merged

    @staticmethod
    def _visible_to(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
        if ctx.is_admin:
            return sa.true()
        open_images = models.Image.visibility.in_(OPEN_VISIBILITIES)
        if ctx.project_id is None:
            return open_images
        return sa.or_(models.Image.owner == ctx.project_id, open_images)

    def _get_row(self, session: orm.Session, ctx: nl_context.RequestContext, image_id: Any,
                 *, for_update: bool = False) -> models.Image:
        """The image if ``ctx`` may see it, else NotFound (also for malformed ids)."""
        canonical = _canonical_id(image_id)
        row = None
        if canonical is not None:
            query = sa.select(models.Image).where(models.Image.id == canonical,
                                                  self._visible_to(ctx))
            if for_update:
                query = query.with_for_update()
            row = session.scalar(query)
        if row is None:
            raise exception.NotFound(resource='Image', id=image_id)
        return row

    @staticmethod
    def _check_owner(ctx: nl_context.RequestContext, row: models.Image, action: str) -> None:
        if not ctx.is_admin and row.owner != ctx.project_id:
            raise exception.Forbidden(f'You may not {action} image {row.id}: it belongs to '
                                      f'another project.')

    def create_image(self, ctx: nl_context.RequestContext, /, **fields: Any) -> dict[str, Any]:
        """A new ``queued`` image owned by the caller's project."""
        core, extra = self._split_fields(ctx, fields, CREATABLE_FIELDS)
        properties = self._merge_properties({}, {k: v for k, v in extra.items()
                                                 if v is not None})
        core.setdefault('owner', ctx.project_id)
        core.setdefault('visibility', 'shared')
        image_id = core.pop('id', None) or str(uuid.uuid4())
        try:
            with self._db.session() as session:
                if session.get(models.Image, image_id) is not None:
                    raise exception.Conflict(reason=f'image id {image_id} already exists')
                row = models.Image(id=image_id, status=ImageStatus.QUEUED, properties=properties,
                                   os_hash_algo=None, **core)
                session.add(row)
                session.flush()
                return image_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Conflict(reason=f'image id {image_id} already exists') from None

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return image_dict(self._get_row(session, ctx, image_id))

    def get_location(self, ctx: nl_context.RequestContext, image_id: str) -> str:
        """Where the store keeps an active image's bytes (for the compute side only)."""
        with self._db.reader() as session:
            row = self._get_row(session, ctx, image_id)
            if row.status != ImageStatus.ACTIVE or not row.location:
                raise exception.InvalidState(resource='Image', id=row.id, state=row.status,
                                             action='reading its data', needed=ImageStatus.ACTIVE)
            return row.location

    def list_images(self, ctx: nl_context.RequestContext, *, name: str | None = None,
                    status: str | None = None, ids: list[str] | None = None,
                    limit: int | None = None, marker: str | None = None,
                    visibility: str | None = None,
                    os_hidden: bool | None = None) -> list[dict[str, Any]]:
        """Visible images, newest first; ``marker`` is the last id of the previous page."""
        query = sa.select(models.Image).where(self._visible_to(ctx))
        if name is not None:
            query = query.where(models.Image.name == _text_field('name', name, 255))
        if status is not None:
            query = query.where(models.Image.status == _text_field('status', status, 32))
        if visibility is not None:
            query = query.where(models.Image.visibility == self._core_value(
                ctx, 'visibility', visibility))
        if os_hidden is not None:
            query = query.where(models.Image.os_hidden == _bool_field('os_hidden', os_hidden))
        if ids is not None:
            if not isinstance(ids, list | tuple):
                raise exception.InvalidInput(field='id', reason='must be a list of ids')
            wanted = {c for c in (_canonical_id(i) for i in ids) if c is not None}
            query = query.where(models.Image.id.in_(sorted(wanted)))
        if limit is not None:
            query = query.limit(_int_field('limit', limit))
        query = query.order_by(models.Image.created_at.desc(), models.Image.id.desc())
        with self._db.reader() as session:
            if marker is not None:
                try:
                    last = self._get_row(session, ctx, marker)
                except exception.NotFound:
                    raise exception.InvalidInput(field='marker',
                                                 reason=f'image {marker} not found') from None
                query = query.where(sa.or_(
                    models.Image.created_at < last.created_at,
                    sa.and_(models.Image.created_at == last.created_at,
                            models.Image.id < last.id)))
            return [image_dict(row) for row in session.scalars(query)]

    def update_image(self, ctx: nl_context.RequestContext, image_id: str, /,
                     **changes: Any) -> dict[str, Any]:
        """Change metadata; extra properties set to None are removed."""
        core, extra = self._split_fields(ctx, changes, UPDATABLE_FIELDS)
        with self._db.session() as session:
            row = self._get_row(session, ctx, image_id, for_update=True)
            self._check_owner(ctx, row, 'update')
            if row.status != ImageStatus.QUEUED and any(
                    core[f] != getattr(row, f) for f in _QUEUED_ONLY_FIELDS & core.keys()):
                raise exception.Forbidden('disk_format and container_format can only be '
                                          'changed while the image is queued.')
            properties = self._merge_properties(row.properties or {}, extra)
            for field, value in core.items():
                setattr(row, field, value)
            if properties != (row.properties or {}):
                row.properties = properties
            session.flush()
            return image_dict(row)

    def delete_image(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        """Remove the record and its bytes; protected images are Forbidden."""
        with self._db.session() as session:
            row = self._get_row(session, ctx, image_id, for_update=True)
            self._check_owner(ctx, row, 'delete')
            if row.protected:
                raise exception.Forbidden(f'Image {row.id} is protected and cannot be deleted.')
            location = row.location
            session.delete(row)
        if location:
            self._discard_data(location)

    def _discard_data(self, location: str) -> None:
        try:
            self._store.delete(location)
        except Exception:
            LOG.exception('Could not remove image data at %s; it is now orphaned', location)

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     chunks: Iterable[bytes]) -> dict[str, Any]:
        """Stream bytes into the store: queued -> saving -> active (killed on failure)."""
        try:
            source = _UploadSource(iter(chunks))
        except TypeError:
            raise exception.InvalidInput(field='data', reason='must be an iterable of bytes')\
                from None
        with self._db.session() as session:
            row = self._get_row(session, ctx, image_id, for_update=True)
            self._check_owner(ctx, row, 'upload data to')
            if row.status != ImageStatus.QUEUED:
                raise exception.InvalidState(resource='Image', id=row.id, state=row.status,
                                             action='upload', needed=ImageStatus.QUEUED)
            for field in ('disk_format', 'container_format'):
                if getattr(row, field) is None:
                    raise exception.InvalidInput(field=field,
                                                 reason='must be set before uploading data')
            row.status = ImageStatus.SAVING
            image_id, disk_format = row.id, row.disk_format
        stored: store_base.StoredImage | None = None
        try:
            stored = self._store.add(image_id, source, self._conf.image.image_size_cap)
            return self._activate(image_id, stored, _virtual_size(disk_format, stored.size,
                                                                  source.head))
        except Exception as exc:
            self._kill(image_id)
            if stored is not None:
                self._discard_data(stored.location)
            if isinstance(exc, exception.NovaLiteError) or source.failed:
                raise
            raise exception.NovaLiteError(
                f'Upload of image {image_id} failed: {exc}') from exc

    def _activate(self, image_id: str, stored: store_base.StoredImage,
                  virtual_size: int | None) -> dict[str, Any]:
        with self._db.session() as session:
            row = session.get(models.Image, image_id, with_for_update=True)
            if row is None:
                raise exception.NotFound(resource='Image', id=image_id)
            if row.status != ImageStatus.SAVING:
                raise exception.InvalidState(resource='Image', id=image_id, state=row.status,
                                             action='finishing an upload',
                                             needed=ImageStatus.SAVING)
            row.status = ImageStatus.ACTIVE
            row.size = stored.size
            row.virtual_size = virtual_size
            row.checksum = stored.checksum
            row.os_hash_algo = HASH_ALGO
            row.os_hash_value = stored.os_hash_value
            row.location = stored.location
            session.flush()
            return image_dict(row)

    def _kill(self, image_id: str) -> None:
        try:
            with self._db.session() as session:
                row = session.get(models.Image, image_id, with_for_update=True)
                if row is not None and row.status == ImageStatus.SAVING:
                    row.status = ImageStatus.KILLED
        except Exception:
            LOG.exception('Could not mark image %s killed after a failed upload', image_id)

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        """Stream an active image's bytes; ImageCorrupt after the last chunk on a mismatch."""
        with self._db.reader() as session:
            row = self._get_row(session, ctx, image_id)
            if row.status != ImageStatus.ACTIVE or not row.location:
                raise exception.InvalidState(resource='Image', id=row.id, state=row.status,
                                             action='download', needed=ImageStatus.ACTIVE)
            image_id, location = row.id, row.location
            expected_size, expected_hash = row.size, row.os_hash_value
        try:
            chunks = self._store.get(location)
        except exception.NotFound:
            raise exception.ImageCorrupt(image_id=image_id,
                                         reason='its data is missing from the store') from None
        return store_base.verified_chunks(image_id, chunks, expected_size, expected_hash)


class _UploadSource:
    """The caller's chunks, remembering the first bytes and whether the caller failed."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self.failed = False
        self.head = b''

    def __iter__(self) -> Iterator[bytes]:
        while True:
            try:
                chunk = next(self._chunks)
            except StopIteration:
                return
            except Exception:
                self.failed = True
                raise
            if len(self.head) < _HEAD_BYTES and isinstance(chunk, bytes | bytearray):
                self.head += bytes(chunk[:_HEAD_BYTES - len(self.head)])
            yield chunk


def _virtual_size(disk_format: str | None, size: int, head: bytes) -> int | None:
    """The guest-visible disk size where the format tells it cheaply, else None."""
    if disk_format == 'raw':
        return size
    if disk_format == 'qcow2' and len(head) >= 32 and head[:4] == b'QFI\xfb':
        return int(struct.unpack('>Q', head[24:32])[0])
    return None
