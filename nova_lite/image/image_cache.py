"""The image cache in front of the store (glance's), and its management.

With ``[image] image_cache_dir`` set (the default), a download of an active
image is served from the cache when it is there (a hit: ``hits`` counted,
``last_accessed`` updated) and fills the cache on a miss, with the full bytes,
only once the store's size and secure hash checked out (with
``image_cache_fill_on_download`` off, only queued images are cached). Admins
queue images for the prefetcher (``PUT /v2/cache/{id}``); images deleted or deactivated
leave the cache; the cache is pruned to ``image_cache_max_size`` bytes, least
recently used first. Deactivated images are never cached (an admin's download
of one reads the store).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import cache_dir, cache_prefetch, image_data

LOG = logging.getLogger(__name__)

CLEAR_TARGETS = ('cache', 'queue', 'both')


class CacheDisabled(exception.NotFound):
    msg_fmt = 'Caching via API is not supported at this site.'


class ImageCache:
    """The cache of this image API host, built lazily from ``[image]``."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database,
                 data: image_data.ImageData) -> None:
        self._conf = conf
        self._db = db
        self._data = data
        self._lock = threading.Lock()
        self._dir: cache_dir.CacheDir | None = None
        self._prefetcher: cache_prefetch.Prefetcher | None = None
        self._stopped = False

    @property
    def enabled(self) -> bool:
        return bool(self._conf.image.image_cache_dir)

    def _directory(self) -> cache_dir.CacheDir:
        if not self.enabled:
            raise CacheDisabled()
        with self._lock:
            if self._dir is None:
                self._dir = cache_dir.CacheDir(self._conf.image.image_cache_dir,
                                               self._conf.image.image_cache_max_size)
            return self._dir

    @property
    def prefetcher(self) -> cache_prefetch.Prefetcher:
        directory = self._directory()
        with self._lock:
            if self._prefetcher is None:
                self._prefetcher = cache_prefetch.Prefetcher(directory, self._prefetch)
                if self._stopped:
                    self._prefetcher.stop()
            return self._prefetcher

    # Downloads ------------------------------------------------------------------

    def download(self, ctx: nl_context.RequestContext,
                 image: dict[str, Any]) -> Iterator[bytes]:
        """An image's bytes (``image`` as ``ctx`` sees it): from the cache, or the
        store's (verified) bytes, copied into the cache on the way when it fits."""
        if not self.enabled or image['status'] != ImageStatus.ACTIVE:
            return self._data.download(ctx, image['id'])
        directory = self._directory()
        cached = directory.open_cached(image['id'])
        if cached is not None:
            return cached
        chunks = self._data.download(ctx, image['id'])
        if (not self._conf.image.image_cache_fill_on_download
                or (image.get('size') or 0) > directory.max_size):
            return chunks
        return directory.fill(image['id'], chunks, keep=lambda: self._is_active(image['id']))

    def _is_active(self, image_id: str) -> bool:
        with self._db.reader() as session:
            row = session.get(models.Image, image_id)
            return row is not None and row.status == ImageStatus.ACTIVE

    def _prefetch(self, image_id: str, stopping: threading.Event) -> None:
        """Cache one queued image read with an admin context; gives up once ``stopping``."""
        if not self._is_active(image_id):
            LOG.warning('Not prefetching image %s: it is gone or not active', image_id)
            return
        chunks = self._data.download(nl_context.get_admin_context(), image_id)
        filling = self._directory().fill(image_id, chunks,
                                         keep=lambda: self._is_active(image_id))
        try:
            for _ in filling:
                if stopping.is_set():
                    return
        finally:
            filling.close()
        LOG.info('Prefetched image %s into the image cache', image_id)

    # Management (/v2/cache) -----------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Glance's ``{"cached_images": [...], "queued_images": [...]}``."""
        directory = self._directory()
        queued = directory.queued_images()
        if queued:
            self.prefetcher.wake()  # queued by an earlier run
        return {'cached_images': directory.cached_images(), 'queued_images': queued}

    def queue(self, image: dict[str, Any]) -> None:
        """Queue an active image for the prefetcher (400 for any other status)."""
        directory = self._directory()
        if image['status'] != ImageStatus.ACTIVE:
            raise exception.Invalid(
                reason=f"image {image['id']} is {image['status']}: only images with "
                       f"status active can be queued for caching")
        directory.queue(image['id'])
        self.prefetcher.wake()

    def is_known(self, image_id: str) -> bool:
        """Whether an image is cached or queued here."""
        directory = self._directory()
        try:
            return directory.is_cached(image_id) or directory.is_queued(image_id)
        except ValueError:
            return False

    def delete(self, image_id: str) -> None:
        """Remove an image from the cache and the queue."""
        directory = self._directory()
        directory.delete_cached(image_id)
        directory.dequeue(image_id)

    def clear(self, target: str) -> dict[str, int]:
        """Empty the cache, the queue or both; how many entries each lost."""
        if target not in CLEAR_TARGETS:
            raise exception.InvalidInput(
                field='x-image-cache-clear-target',
                reason=f'must be one of {", ".join(CLEAR_TARGETS)} (or absent for both)')
        directory = self._directory()
        result = {}
        if target in ('queue', 'both'):
            result['queue_deleted'] = directory.delete_all_queued()
        if target in ('cache', 'both'):
            result['cache_deleted'] = directory.delete_all_cached()
        return result

    # Life cycle hooks -----------------------------------------------------------

    def evict(self, image_id: str) -> None:
        """An image was deleted or deactivated: it leaves the cache and the queue."""
        if not self.enabled:
            return
        try:
            self.delete(image_id)
        except (OSError, ValueError):
            LOG.exception('Could not remove image %s from the image cache', image_id)

    def stop(self) -> None:
        """Stop the prefetcher (at shutdown); the cache itself stays usable."""
        with self._lock:
            self._stopped = True
            prefetcher = self._prefetcher
        if prefetcher is not None:
            prefetcher.stop()
