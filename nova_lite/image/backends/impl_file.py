"""An image store on the local filesystem.

Each image is one file named after the image id in
``[image] filesystem_store_datadir``. Bytes are written to a hidden temporary
file in the same directory, flushed to disk, then renamed into place, so a
reader never sees a partial image and a failed upload leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.image.backends import base

LOCATION_PREFIX = 'file://'
CHUNK_SIZE = 64 * 1024
_SAFE_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]*$')


class FileStore(base.ImageStore):
    """Keeps image bytes as files under one directory."""

    def __init__(self, conf: cfg.ConfigOpts, datadir: str | None = None) -> None:
        super().__init__(conf)
        self.datadir = os.path.realpath(datadir or conf.image.filesystem_store_datadir)

    def _ensure_datadir(self) -> None:
        os.makedirs(self.datadir, mode=0o750, exist_ok=True)

    def _path_for(self, location: str) -> str:
        """The file behind ``location``; InvalidInput unless it is inside the datadir."""
        if not isinstance(location, str) or not location.startswith(LOCATION_PREFIX):
            raise exception.InvalidInput(field='location',
                                         reason='not a file:// location')
        path = os.path.realpath(location[len(LOCATION_PREFIX):])
        if os.path.dirname(path) != self.datadir:
            raise exception.InvalidInput(
                field='location', reason='outside the file store directory')
        return path

    def add(self, image_id: str, chunks: Iterable[bytes], size_cap: int) -> base.StoredImage:
        if not isinstance(image_id, str) or not _SAFE_NAME.match(image_id):
            raise exception.InvalidInput(field='image_id',
                                         reason='not usable as a file name')
        self._ensure_datadir()
        path = os.path.join(self.datadir, image_id)
        if os.path.lexists(path):
            raise exception.Conflict(reason=f'image {image_id} already has data')
        digest = base.ChunkDigest(size_cap, self.conf.image.hashing_algorithm)
        fd, tmp_path = tempfile.mkstemp(prefix=f'.{image_id}.', suffix='.part',
                                        dir=self.datadir)
        try:
            with os.fdopen(fd, 'wb') as tmp_file:
                for chunk in chunks:
                    digest.update(chunk)
                    tmp_file.write(chunk)
                tmp_file.flush()
                os.fsync(tmp_file.fileno())
            os.replace(tmp_path, path)
        except BaseException:
            _unlink_quietly(tmp_path)
            raise
        return digest.stored(LOCATION_PREFIX + path)

    def get(self, location: str) -> Iterator[bytes]:
        path = self._path_for(location)
        try:
            image_file = open(path, 'rb')  # closed by _read_chunks
        except FileNotFoundError:
            raise exception.NotFound(resource='Image data', id=location) from None
        return _read_chunks(image_file)

    def delete(self, location: str) -> None:
        _unlink_quietly(self._path_for(location))

    def exists(self, location: str) -> bool:
        return os.path.isfile(self._path_for(location))

    def owns(self, location: str) -> bool:
        try:
            self._path_for(location)
        except exception.InvalidInput:
            return False
        return True


def _read_chunks(image_file: BinaryIO) -> Iterator[bytes]:
    with image_file:
        while chunk := image_file.read(CHUNK_SIZE):
            yield chunk


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
