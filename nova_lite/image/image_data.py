"""Image bytes: an upload streamed into the store, a download streamed out of it.

An image is ``queued`` until its bytes are uploaded, ``saving`` while they
stream into the store (committed first, so other readers see it), then
``active``; a failed upload leaves it ``killed`` with no bytes kept. A
download checks the size and hash recorded at upload time after the last
chunk.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterable, Iterator
from typing import Any

from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import records
from nova_lite.image.backends import base as store_base
from nova_lite.image.backends import multi

LOG = logging.getLogger(__name__)

_HEAD_BYTES = 512
_READABLE = (ImageStatus.ACTIVE, ImageStatus.DEACTIVATED)


class ImageData:
    """Moves an image's bytes between callers and the store, and its status with them."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database,
                 store: multi.StoreSet) -> None:
        self._conf = conf
        self._db = db
        self._store = store

    def upload(self, ctx: nl_context.RequestContext, image_id: str,
               chunks: Iterable[bytes], store_id: str | None = None) -> dict[str, Any]:
        """Stream bytes into the store (``store_id``, else the default one): queued ->
        saving -> active (killed on failure)."""
        store_id = store_id or self._store.default_id
        if store_id not in self._store.ids:
            raise exception.InvalidInput(field='X-Image-Meta-Store',
                                         reason=f'there is no store {store_id}')
        try:
            source = _UploadSource(iter(chunks))
        except TypeError:
            raise exception.InvalidInput(field='data', reason='must be an iterable of bytes')\
                from None
        image_id, disk_format = self._start_saving(ctx, image_id)
        stored: store_base.StoredImage | None = None
        try:
            stored = self._store.add_to(store_id, image_id, source,
                                        self._conf.image.image_size_cap)
            return self._activate(image_id, store_id, stored,
                                  _virtual_size(disk_format, stored.size, source.head))
        except Exception as exc:
            self._kill(image_id)
            if stored is not None:
                self.discard(self._store.encode({store_id: stored.location}))
            if isinstance(exc, exception.NovaLiteError) or source.failed:
                raise
            raise exception.NovaLiteError(
                f'Upload of image {image_id} failed: {exc}') from exc

    def _start_saving(self, ctx: nl_context.RequestContext,
                      image_id: str) -> tuple[str, str | None]:
        """Move a queued image (with its formats set) to saving; its id and disk format."""
        with self._db.session() as session:
            row = records.get_row(session, ctx, image_id, for_update=True)
            records.check_owner(ctx, row, 'upload data to')
            if row.status != ImageStatus.QUEUED:
                raise exception.InvalidState(resource='Image', id=row.id, state=row.status,
                                             action='upload', needed=ImageStatus.QUEUED)
            for field in ('disk_format', 'container_format'):
                if getattr(row, field) is None:
                    raise exception.InvalidInput(field=field,
                                                 reason='must be set before uploading data')
            row.status = ImageStatus.SAVING
            return row.id, row.disk_format

    def _activate(self, image_id: str, store_id: str, stored: store_base.StoredImage,
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
            row.os_hash_algo = stored.os_hash_algo
            row.os_hash_value = stored.os_hash_value
            row.location = self._store.encode({store_id: stored.location})
            session.flush()
            return records.image_dict(row)

    def _kill(self, image_id: str) -> None:
        try:
            with self._db.session() as session:
                row = session.get(models.Image, image_id, with_for_update=True)
                if row is not None and row.status == ImageStatus.SAVING:
                    row.status = ImageStatus.KILLED
        except Exception:
            LOG.exception('Could not mark image %s killed after a failed upload', image_id)

    def discard(self, location_column: str | None) -> None:
        """Remove an image's bytes from every store holding them (the ``location``
        column's value); a failure is logged (those bytes are orphaned)."""
        for store_id, location in self._store.decode(location_column).items():
            try:
                self._store.delete_from(store_id, location)
            except Exception:
                LOG.exception('Could not remove image data at %s; it is now orphaned',
                              location)

    def download(self, ctx: nl_context.RequestContext, image_id: str) -> Iterator[bytes]:
        """Stream an active image's bytes; ImageCorrupt after the last chunk on a mismatch."""
        with self._db.reader() as session:
            row = records.get_row(session, ctx, image_id)
            if row.status == ImageStatus.DEACTIVATED and not ctx.is_admin:
                raise exception.Forbidden(f'Image {row.id} is deactivated: only an admin may '
                                          f'download its data.')
            if row.status not in _READABLE or not row.location:
                raise exception.InvalidState(resource='Image', id=row.id, state=row.status,
                                             action='download', needed=ImageStatus.ACTIVE)
            image_id, locations = row.id, self._store.decode(row.location)
            expected_size, expected_hash = row.size, row.os_hash_value
            hash_algo = row.os_hash_algo
        chunks = self._store.read_best(image_id, locations)
        return store_base.verified_chunks(image_id, chunks, expected_size, expected_hash,
                                          hash_algo)


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
