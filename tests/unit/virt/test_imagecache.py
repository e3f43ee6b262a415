"""The image cache: one download per image, verified, nothing cached when corrupt."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator

import pytest

from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications
from nova_lite.virt import imagecache

IMAGE_BYTES = b'\x00' * 4096 + b'nova_lite' * 1000


class ImageClient:
    """In-memory image service: streams chunks, checks its hash after the last one."""

    def __init__(self, data: bytes, *, stored_hash: str | None = None,
                 delay: float = 0.0) -> None:
        self.data = data
        self.stored_hash = stored_hash or hashlib.sha512(data).hexdigest()
        self.delay = delay
        self.downloads = 0
        self._lock = threading.Lock()

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        with self._lock:
            self.downloads += 1
        hasher = hashlib.sha512()
        for start in range(0, len(self.data), 1000):
            chunk = self.data[start:start + 1000]
            hasher.update(chunk)
            time.sleep(self.delay)
            yield chunk
        if hasher.hexdigest() != self.stored_hash:
            raise exception.ImageCorrupt(image_id=image_id, reason='hash mismatch')


def _image(data: bytes = IMAGE_BYTES, **overrides: object) -> dict:
    image = {'id': 'c0ffee00-0000-4000-8000-000000000001', 'disk_format': 'raw',
             'size': len(data), 'os_hash_algo': 'sha512',
             'os_hash_value': hashlib.sha512(data).hexdigest()}
    image.update(overrides)
    return image


@pytest.fixture
def ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='u', project_id='p', auth_token='token')


def test_downloads_once_then_hits_the_cache(tmp_path, ctx, published):
    client = ImageClient(IMAGE_BYTES)
    cache = imagecache.ImageCache(str(tmp_path / '_base'), client)
    first = cache.fetch(ctx, _image())
    second = cache.fetch(ctx, _image())
    assert first == second == str(tmp_path / '_base' / _image()['os_hash_value'])
    assert open(first, 'rb').read() == IMAGE_BYTES
    assert client.downloads == 1
    assert [(n.downloaded, n.size, n.path) for n in published
            if isinstance(n, notifications.ImageCached)] == [
        (True, len(IMAGE_BYTES), first), (False, None, first)]


def test_concurrent_fetches_download_once(tmp_path, ctx):
    client = ImageClient(IMAGE_BYTES, delay=0.002)
    cache = imagecache.ImageCache(str(tmp_path / '_base'), client)
    paths: list[str] = []
    threads = [threading.Thread(target=lambda: paths.append(cache.fetch(ctx, _image())))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert client.downloads == 1
    assert len(paths) == 2 and len(set(paths)) == 1
    assert cache.cached_images() == [_image()['os_hash_value']]


def test_image_without_hash_is_cached_by_id(tmp_path, ctx):
    cache = imagecache.ImageCache(str(tmp_path / '_base'), ImageClient(IMAGE_BYTES))
    image = _image(os_hash_value=None)
    assert cache.fetch(ctx, image) == str(tmp_path / '_base' / image['id'])


def test_corruption_seen_by_the_image_service_caches_nothing(tmp_path, ctx):
    client = ImageClient(IMAGE_BYTES, stored_hash='0' * 128)
    cache = imagecache.ImageCache(str(tmp_path / '_base'), client)
    with pytest.raises(exception.ImageCorrupt):
        cache.fetch(ctx, _image(os_hash_value=None))
    assert os.listdir(tmp_path / '_base') == []


def test_corruption_seen_by_the_cache_caches_nothing(tmp_path, ctx):
    corrupt = IMAGE_BYTES[:-1] + b'X'
    client = ImageClient(corrupt)  # the service's own hash is of the corrupt bytes
    cache = imagecache.ImageCache(str(tmp_path / '_base'), client)
    with pytest.raises(exception.ImageCorrupt) as raised:
        cache.fetch(ctx, _image())
    assert 'os_hash_value' in raised.value.message
    assert os.listdir(tmp_path / '_base') == []
    # A later fetch downloads again (nothing bad was kept).
    with pytest.raises(exception.ImageCorrupt):
        cache.fetch(ctx, _image())
    assert client.downloads == 2


def test_truncated_download_caches_nothing(tmp_path, ctx):
    client = ImageClient(IMAGE_BYTES[:100])
    cache = imagecache.ImageCache(str(tmp_path / '_base'), client)
    with pytest.raises(exception.ImageCorrupt):
        cache.fetch(ctx, _image(os_hash_value=None))
    assert os.listdir(tmp_path / '_base') == []


@pytest.mark.parametrize('image,field', [
    ({'id': '../../etc/passwd'}, 'image.id'),
    ({'id': 42}, 'image.id'),
    ({'id': 'ok', 'os_hash_algo': 'sha512', 'os_hash_value': '../x'}, 'image.os_hash_value'),
    ('image', 'image'),
])
def test_bad_image_is_rejected(tmp_path, ctx, image, field):
    client = ImageClient(IMAGE_BYTES)
    cache = imagecache.ImageCache(str(tmp_path / '_base'), client)
    with pytest.raises(exception.InvalidInput) as raised:
        cache.fetch(ctx, image)
    assert field in raised.value.message
    assert client.downloads == 0
