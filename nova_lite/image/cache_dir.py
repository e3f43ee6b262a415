"""The image cache's directory: cached image data, its metadata, and the prefetch queue.

Layout under ``[image] image_cache_dir`` (all local to the image API host)::

    data/<image_id>          the cached bytes (complete, verified)
    data/<image_id>.json     sidecar: {"hits", "last_accessed", "last_modified"}
    queue/<image_id>         empty marker: queued for the prefetcher (oldest first)
    incomplete/<random>      data being written; renamed into data/ when complete

The metadata is a sidecar file next to the data rather than a table: the cache
is per host while the database is shared, a sidecar needs no migration,
survives restarts with the bytes it describes and goes away with them. It is
written (to a temporary name, then renamed) before the data is renamed into
place, so every cached image has its metadata; a missing sidecar reads as no
hits. Nothing partial ever appears in ``data/``: a fill that does not end
cleanly (a checksum mismatch, a store error, a client that hung up) removes its
temporary file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any, BinaryIO

LOG = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
STALL_SECONDS = 3600
"""Temporary files older than this are left-overs of a crash, removed on the next start."""


def _checked(image_id: str) -> str:
    """The canonical form of an image id; ValueError for anything else (no path tricks)."""
    return str(uuid.UUID(image_id))


def _is_id(name: str) -> bool:
    try:
        return _checked(name) == name
    except ValueError:
        return False


def _unlink(path: str) -> bool:
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False


class CacheDir:
    """One image cache directory, safe for the threads of one process."""

    def __init__(self, path: str, max_size: int) -> None:
        self.path = path
        self.max_size = max_size
        self._lock = threading.Lock()
        self._ready = False

    # Paths ----------------------------------------------------------------------

    def _sub(self, name: str) -> str:
        if not self._ready:
            for sub in ('data', 'queue', 'incomplete'):
                os.makedirs(os.path.join(self.path, sub), exist_ok=True)
            self._ready = True
            self.clean_incomplete(STALL_SECONDS)
        return os.path.join(self.path, name)

    def _data(self, image_id: str) -> str:
        return os.path.join(self._sub('data'), _checked(image_id))

    def _meta(self, image_id: str) -> str:
        return self._data(image_id) + '.json'

    def _queued(self, image_id: str) -> str:
        return os.path.join(self._sub('queue'), _checked(image_id))

    # Metadata -------------------------------------------------------------------

    def _read_meta(self, image_id: str) -> dict[str, Any]:
        try:
            with open(self._meta(image_id), encoding='utf-8') as meta_file:
                meta = json.load(meta_file)
            return meta if isinstance(meta, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write_meta(self, image_id: str, meta: dict[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self._sub('incomplete'), suffix='.json')
        try:
            with os.fdopen(fd, 'w', encoding='utf-8') as meta_file:
                json.dump(meta, meta_file)
            os.replace(tmp, self._meta(image_id))
        except BaseException:
            _unlink(tmp)
            raise

    # Cached images --------------------------------------------------------------

    def is_cached(self, image_id: str) -> bool:
        return os.path.isfile(self._data(image_id))

    def open_cached(self, image_id: str) -> Iterator[bytes] | None:
        """The cached bytes (a hit: hits + 1, last_accessed now), or None on a miss."""
        try:
            data_file = open(self._data(image_id), 'rb')  # closed by _read
        except FileNotFoundError:
            return None
        with self._lock:
            if not os.path.exists(data_file.name):
                return _read(data_file)  # removed meanwhile: served, but no sidecar left
            meta = self._read_meta(image_id)
            meta['hits'] = int(meta.get('hits', 0)) + 1
            meta['last_accessed'] = time.time()
            meta.setdefault('last_modified', os.fstat(data_file.fileno()).st_mtime)
            with contextlib.suppress(OSError):
                self._write_meta(image_id, meta)
        return _read(data_file)

    def fill(self, image_id: str, chunks: Iterable[bytes],
             keep: Callable[[], bool] = lambda: True) -> Generator[bytes, None, None]:
        """Pass ``chunks`` through while writing them to the cache.

        Only once they end cleanly, and ``keep()`` still says the image belongs
        in the cache, are the bytes renamed into place (then the cache is pruned).
        Whatever else happens, including the consumer closing this iterator
        early, the temporary file is removed. The cache failing to write (a
        full disk) never fails the download: the bytes are then just not cached.
        """
        image_id = _checked(image_id)
        writer = _Writer(self._sub('incomplete'), image_id)
        try:
            for chunk in chunks:
                writer.write(chunk)
                yield chunk
            if writer.close() and keep():
                self._commit(image_id, writer)
            elif writer.ok:
                LOG.info('Not caching image %s: it is no longer active', image_id)
        finally:
            writer.discard()
        if writer.committed:
            self.prune(keep=image_id)

    def _commit(self, image_id: str, writer: _Writer) -> None:
        now = time.time()
        try:
            with self._lock:
                self._write_meta(image_id, {'hits': 0, 'last_accessed': now,
                                            'last_modified': now})
                os.replace(writer.path, self._data(image_id))
            writer.committed = True
        except OSError:
            LOG.exception('Could not cache image %s', image_id)
            with self._lock:
                _unlink(self._meta(image_id))

    def delete_cached(self, image_id: str) -> bool:
        """Remove an image from the cache; whether it was there."""
        with self._lock:
            found = _unlink(self._data(image_id))
            _unlink(self._meta(image_id))
        return found

    def delete_all_cached(self) -> int:
        return sum(self.delete_cached(entry['image_id']) for entry in self.cached_images())

    def cached_images(self) -> list[dict[str, Any]]:
        """Glance's cache entries, least recently used first."""
        entries = []
        data_dir = self._sub('data')
        for name in os.listdir(data_dir):
            if not _is_id(name):
                continue
            try:
                stat = os.stat(os.path.join(data_dir, name))
            except FileNotFoundError:
                continue
            meta = self._read_meta(name)
            entries.append({'image_id': name, 'hits': int(meta.get('hits', 0)),
                            'last_accessed': float(meta.get('last_accessed', stat.st_mtime)),
                            'last_modified': float(meta.get('last_modified', stat.st_mtime)),
                            'size': stat.st_size})
        return sorted(entries, key=lambda entry: (entry['last_accessed'], entry['image_id']))

    def total_size(self) -> int:
        return sum(entry['size'] for entry in self.cached_images())

    def prune(self, keep: str | None = None) -> list[str]:
        """Remove least recently used images until the cache fits its max size.

        ``keep`` (the image just cached) goes last. The ids removed.
        """
        entries = self.cached_images()
        total = sum(entry['size'] for entry in entries)
        entries.sort(key=lambda entry: entry['image_id'] == keep)  # stable: LRU order kept
        removed = []
        for entry in entries:
            if total <= self.max_size:
                break
            if self.delete_cached(entry['image_id']):
                removed.append(entry['image_id'])
                LOG.info('Pruned image %s (%d bytes) from the image cache',
                         entry['image_id'], entry['size'])
            total -= entry['size']
        return removed

    def clean_incomplete(self, older_than: float) -> int:
        """Remove temporary files left older than ``older_than`` seconds (a crash's)."""
        incomplete = os.path.join(self.path, 'incomplete')
        cutoff = time.time() - older_than
        removed = 0
        for name in os.listdir(incomplete):
            path = os.path.join(incomplete, name)
            with contextlib.suppress(FileNotFoundError):
                if os.stat(path).st_mtime <= cutoff:
                    removed += _unlink(path)
        return removed

    # The prefetch queue ---------------------------------------------------------

    def queue(self, image_id: str) -> None:
        path = self._queued(image_id)
        with open(path, 'a', encoding='utf-8'):
            pass

    def is_queued(self, image_id: str) -> bool:
        return os.path.exists(self._queued(image_id))

    def dequeue(self, image_id: str) -> bool:
        return _unlink(self._queued(image_id))

    def queued_images(self) -> list[str]:
        """Queued image ids, oldest first."""
        queue_dir = self._sub('queue')
        found = []
        for name in os.listdir(queue_dir):
            if _is_id(name):
                with contextlib.suppress(FileNotFoundError):
                    found.append((os.stat(os.path.join(queue_dir, name)).st_mtime, name))
        return [name for _, name in sorted(found)]

    def delete_all_queued(self) -> int:
        return sum(self.dequeue(image_id) for image_id in self.queued_images())


def _read(data_file: Any) -> Iterator[bytes]:
    with data_file:
        while chunk := data_file.read(CHUNK_SIZE):
            yield chunk


class _Writer:
    """A temporary file taking an image's bytes until the first write error."""

    def __init__(self, directory: str, image_id: str) -> None:
        self.path = ''
        self.committed = False
        self._file: BinaryIO | None = None
        try:
            fd, self.path = tempfile.mkstemp(dir=directory, prefix=f'{image_id}.')
            self._file = os.fdopen(fd, 'wb')
        except OSError:
            LOG.exception('Could not start caching image %s', image_id)
        self.ok = self._file is not None

    def write(self, chunk: bytes) -> None:
        if self._file is None:
            return
        try:
            self._file.write(chunk)
        except OSError:
            LOG.exception('Could not write to the image cache file %s', self.path)
            self.ok = False
            self._close_file()

    def _close_file(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None

    def close(self) -> bool:
        """Flush the file; whether it holds every byte written."""
        if self._file is not None:
            try:
                self._file.close()
            except OSError:
                LOG.exception('Could not finish the image cache file %s', self.path)
                self.ok = False
            self._file = None
        return self.ok

    def discard(self) -> None:
        """Remove the temporary file unless it was renamed into place."""
        self._close_file()
        if self.path and not self.committed:
            _unlink(self.path)
