"""The image registry: image records, visibility, and the upload/download life cycle.

Records live in the ``images`` table; bytes live in an :class:`ImageStore`
and move through :mod:`nova_lite.image.image_data` (an image is ``queued``
until its bytes are uploaded, ``saving`` while they stream into the store,
then ``active``; ``killed`` after a failed upload). Every method returns a
flat dict shaped like a glance v2 image (:mod:`nova_lite.image.records`); the
store location stays internal and is handed to the compute side only through
:meth:`ImageManager.get_location`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.api import paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import (
    image_cache,
    image_data,
    image_states,
    image_tags,
    importer,
    listing,
    members,
    records,
    store_copies,
    tasks,
    usage,
)
from nova_lite.image.backends import base as store_base
from nova_lite.image.backends import multi

HASH_ALGO = store_base.HASH_ALGO
VISIBILITIES = ('public', 'community', 'shared', 'private')
OPEN_VISIBILITIES = records.OPEN_VISIBILITIES
MAX_PROPERTIES = 128
MAX_TAGS = 128
_MAX_INT = 2 ** 31 - 1
image_dict = records.image_dict
_canonical_id = records.canonical_id
# Fields a caller may change after creation; ``id`` and ``owner`` only at creation.
UPDATABLE_FIELDS = frozenset({'name', 'min_disk', 'min_ram', 'protected', 'tags', 'visibility',
                              'os_hidden', 'disk_format', 'container_format', 'owner'})
CREATABLE_FIELDS = UPDATABLE_FIELDS | {'id'}
RESERVED_PREFIX = 'os_glance'
"""Extra properties named so are glance's own: callers may not set or remove them."""
_QUEUED_ONLY_FIELDS = frozenset({'disk_format', 'container_format'})
# Names of the public dict plus internal ones: never usable as extra properties.
RESERVED_NAMES = frozenset({
    'id', 'name', 'status', 'disk_format', 'container_format', 'visibility', 'size',
    'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'min_disk', 'min_ram',
    'protected', 'owner', 'tags', 'created_at', 'updated_at', 'os_hidden', 'file', 'self',
    'schema', 'location', 'locations', 'direct_url', 'properties', 'deleted', 'deleted_at',
    'member', 'members', 'stores'})


def is_reserved(name: Any) -> bool:
    """Whether ``name`` is in the ``os_glance`` namespace no caller may touch."""
    return isinstance(name, str) and name.startswith(RESERVED_PREFIX)


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
        self.stores = store if isinstance(store, multi.StoreSet) else multi.StoreSet.single(
            conf, store)
        self._data = image_data.ImageData(conf, db, self.stores)
        self.members = members.ImageMembers(db)
        self.tags = image_tags.ImageTags(db)
        self.tasks = tasks.TaskStore(conf, db)
        self.imports = importer.ImageImporter(conf, db, self.stores, self.tasks)
        self.cache = image_cache.ImageCache(conf, db, self._data)

    def close(self) -> None:
        """Stop the background work (the image cache's prefetcher) at shutdown."""
        self.cache.stop()

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
            if is_reserved(key):
                raise exception.Forbidden(f"Attribute '{key}' is reserved.")
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
        return records.visible_to(ctx)

    @staticmethod
    def _get_row(session: orm.Session, ctx: nl_context.RequestContext, image_id: Any,
                 *, for_update: bool = False) -> models.Image:
        """The image if ``ctx`` may see it, else NotFound (also for malformed ids)."""
        return records.get_row(session, ctx, image_id, for_update=for_update)

    @staticmethod
    def _check_owner(ctx: nl_context.RequestContext, row: models.Image, action: str) -> None:
        records.check_owner(ctx, row, action)

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
            return next(iter(self.stores.decode(row.location).values()))

    def list_images(self, ctx: nl_context.RequestContext, *, name: str | None = None,
                    status: str | None = None, ids: list[str] | None = None,
                    limit: int | None = None, marker: str | None = None,
                    visibility: str | None = None,
                    os_hidden: bool | None = None,
                    properties: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """Visible images, newest first; ``marker`` is the last id of the previous page;
        ``properties``: extra properties that must have these values."""
        query = sa.select(models.Image).where(self._visible_to(ctx))
        for key, value in (properties or {}).items():
            query = query.where(models.Image.properties[key].as_string() == str(value))
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

    def page_images(self, ctx: nl_context.RequestContext, query: listing.ImageQuery,
                    request: paging.PageRequest) -> paging.Page[dict[str, Any]]:
        """One page of the images ``query`` selects (the image API's list)."""
        return listing.page_images(self._db, ctx, query, request)

    def deactivate_image(self, ctx: nl_context.RequestContext, image_id: str) -> dict[str, Any]:
        """active -> deactivated: only admins may download it until it is reactivated."""
        image = image_states.change_state(self._db, ctx, image_id, 'deactivate')
        self.cache.evict(image['id'])
        return image

    def reactivate_image(self, ctx: nl_context.RequestContext, image_id: str) -> dict[str, Any]:
        return image_states.change_state(self._db, ctx, image_id, 'reactivate')

    def usage(self, ctx: nl_context.RequestContext) -> dict[str, Any]:
        """The caller's project's use of the image service (glance's usage document)."""
        return usage.project_usage(self._db, ctx.project_id)

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
            location, deleted_id = row.location, row.id
            staged_id = row.id if row.status in (ImageStatus.UPLOADING,
                                                 ImageStatus.IMPORTING) else None
            session.delete(row)
        if location:
            self._data.discard(location)
        if staged_id is not None:
            self.imports.discard_staged(staged_id)
        self.cache.evict(deleted_id)

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     chunks: Iterable[bytes], store_id: str | None = None) -> dict[str, Any]:
        """Stream bytes into the store: queued -> saving -> active (killed on failure)."""
        return self._data.upload(ctx, image_id, chunks, store_id)

    def delete_from_store(self, ctx: nl_context.RequestContext, store_id: str,
                          image_id: str) -> None:
        """Remove one store's copy of an active image (never its last one)."""
        store_copies.delete_from_store(self._db, self.stores, ctx, store_id, image_id)

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        """Stream an active image's bytes (through the image cache); ImageCorrupt after
        the last chunk on a mismatch."""
        return self.cache.download(ctx, self.get_image(ctx, image_id))
