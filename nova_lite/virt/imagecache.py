"""The compute host's image cache: each image downloaded once, verified, then reused.

Bytes arrive through an injected image client (``download_image(ctx,
image_id) -> Iterator[bytes]``, which raises ImageCorrupt after the last chunk
when the image service's own hash check fails). The cache writes to a
temporary file and renames it into place only after the whole stream arrived
and its hash matched, so a failed or corrupt download leaves nothing cached.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from typing import Any, Protocol

from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications

LOG = logging.getLogger(__name__)

_SAFE_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$')
_PARTIAL_PREFIX = '.partial-'


class ImageDownloader(Protocol):
    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]: ...


def _hash_of(image: dict[str, Any]) -> tuple[str, str] | None:
    """(algorithm, expected hex digest) of the image, when it carries one we know."""
    algo = str(image.get('os_hash_algo') or 'sha512').lower()
    value = image.get('os_hash_value')
    if not value or algo not in hashlib.algorithms_available:
        return None
    return algo, str(value).lower()


class ImageCache:
    """Downloads images into ``cache_dir``, once per image, and hands out their paths."""

    def __init__(self, cache_dir: str, image_client: ImageDownloader) -> None:
        self.cache_dir = cache_dir
        self._client = image_client
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def _lock_for(self, name: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(name, threading.Lock())

    def cache_name(self, image: dict[str, Any]) -> str:
        """The file name of an image in the cache: its sha512, else its id."""
        if not isinstance(image, dict):
            raise exception.InvalidInput(field='image', reason='must be an object')
        image_id = image.get('id')
        if not isinstance(image_id, str) or not _SAFE_NAME.match(image_id):
            raise exception.InvalidInput(field='image.id', reason='must be an image id')
        expected = _hash_of(image)
        if expected and expected[0] == 'sha512':
            if not re.fullmatch(r'[0-9a-f]{128}', expected[1]):
                raise exception.InvalidInput(field='image.os_hash_value',
                                             reason='must be a sha512 hex digest')
            return expected[1]
        return image_id

    def path_for(self, image: dict[str, Any]) -> str:
        return os.path.join(self.cache_dir, self.cache_name(image))

    def fetch(self, ctx: nl_context.RequestContext, image: dict[str, Any],
              instance_id: str | None = None) -> str:
        """The cached path of ``image``, downloading it first if this host lacks it."""
        path = self.path_for(image)
        with self._lock_for(os.path.basename(path)):
            if os.path.isfile(path):
                notifications.publish(notifications.ImageCached(
                    instance_id=instance_id, image_id=image['id'], path=path, downloaded=False))
                return path
            size = self._download(ctx, image, path)
        notifications.publish(notifications.ImageCached(
            instance_id=instance_id, image_id=image['id'], path=path, downloaded=True, size=size))
        return path

    def _download(self, ctx: nl_context.RequestContext, image: dict[str, Any],
                  path: str) -> int:
        image_id = image['id']
        expected = _hash_of(image)
        hasher = hashlib.new(expected[0]) if expected else None
        os.makedirs(self.cache_dir, exist_ok=True)
        fd, partial = tempfile.mkstemp(prefix=_PARTIAL_PREFIX, dir=self.cache_dir)
        size = 0
        try:
            with os.fdopen(fd, 'wb') as out:
                for chunk in self._client.download_image(ctx, image_id):
                    out.write(chunk)
                    size += len(chunk)
                    if hasher is not None:
                        hasher.update(chunk)
                out.flush()
                os.fsync(out.fileno())
            self._verify(image, size, expected, hasher)
            os.replace(partial, path)
        except BaseException:
            _remove_quietly(partial)
            raise
        LOG.info('Cached image %s at %s (%d bytes)', image_id, path, size)
        return size

    @staticmethod
    def _verify(image: dict[str, Any], size: int, expected: tuple[str, str] | None,
                hasher: Any) -> None:
        image_id = image['id']
        declared_size = image.get('size')
        if isinstance(declared_size, int) and not isinstance(declared_size, bool) \
                and declared_size != size:
            raise exception.ImageCorrupt(
                image_id=image_id,
                reason=f'received {size} bytes, the image API says {declared_size}')
        if expected is not None and hasher.hexdigest() != expected[1]:
            raise exception.ImageCorrupt(
                image_id=image_id, reason=f'{expected[0]} of the downloaded bytes does not '
                                          'match os_hash_value')

    def cached_images(self) -> list[str]:
        """Names of the complete images in the cache."""
        if not os.path.isdir(self.cache_dir):
            return []
        return sorted(name for name in os.listdir(self.cache_dir)
                      if not name.startswith(_PARTIAL_PREFIX)
                      and os.path.isfile(os.path.join(self.cache_dir, name)))


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        LOG.warning('Could not remove partial download %s', path, exc_info=True)
