"""The image cache in front of the store: hits, misses, eviction, pruning, prefetching."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.image import cache_dir, cache_prefetch, image_cache
from nova_lite.image import manager as image_manager
from nova_lite.image.backends import base as store_base

DATA = os.urandom(200 * 1024 + 5)


def _chunks(data: bytes, size: int = 32 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def _active(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
            data: bytes = DATA) -> dict[str, Any]:
    image = images.create_image(ctx, name='cached', disk_format='raw',
                                container_format='bare')
    return images.upload_image(ctx, image['id'], _chunks(data))


def _cache_root(conf: cfg.ConfigOpts) -> str:
    return str(conf.image.image_cache_dir)


def _files(conf: cfg.ConfigOpts, sub: str) -> list[str]:
    path = os.path.join(_cache_root(conf), sub)
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def _store_path(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
                image_id: str) -> str:
    return images.get_location(ctx, image_id)[len('file://'):]


def _entry(images: image_manager.ImageManager, image_id: str) -> dict[str, Any] | None:
    found = [e for e in images.cache.state()['cached_images'] if e['image_id'] == image_id]
    return found[0] if found else None


def test_miss_fills_then_hit_serves_from_cache(images: image_manager.ImageManager,
                                               member_ctx: nl_context.RequestContext,
                                               conf: cfg.ConfigOpts) -> None:
    image = _active(images, member_ctx)
    assert _entry(images, image['id']) is None
    assert b''.join(images.download_image(member_ctx, image['id'])) == DATA
    entry = _entry(images, image['id'])
    assert entry is not None
    assert entry['hits'] == 0 and entry['size'] == len(DATA)
    assert _files(conf, 'incomplete') == []
    # The store's copy is gone: a hit still serves the bytes, counted.
    os.unlink(_store_path(images, member_ctx, image['id']))
    before = entry['last_accessed']
    time.sleep(0.01)
    assert b''.join(images.download_image(member_ctx, image['id'])) == DATA
    assert b''.join(images.download_image(member_ctx, image['id'])) == DATA
    entry = _entry(images, image['id'])
    assert entry is not None and entry['hits'] == 2
    assert entry['last_accessed'] > before


def test_metadata_survives_a_restart(images: image_manager.ImageManager,
                                     member_ctx: nl_context.RequestContext,
                                     conf: cfg.ConfigOpts, db: db_api.Database,
                                     store: store_base.ImageStore) -> None:
    image = _active(images, member_ctx)
    b''.join(images.download_image(member_ctx, image['id']))
    b''.join(images.download_image(member_ctx, image['id']))
    restarted = image_manager.ImageManager(conf, db, store)
    entry = _entry(restarted, image['id'])
    assert entry is not None and entry['hits'] == 1


def test_corrupt_store_data_is_not_cached(images: image_manager.ImageManager,
                                          member_ctx: nl_context.RequestContext,
                                          conf: cfg.ConfigOpts) -> None:
    image = _active(images, member_ctx)
    path = _store_path(images, member_ctx, image['id'])
    with open(path, 'r+b') as data_file:
        data_file.write(b'X')
    with pytest.raises(exception.ImageCorrupt):
        b''.join(images.download_image(member_ctx, image['id']))
    assert images.cache.state()['cached_images'] == []
    assert _files(conf, 'data') == [] and _files(conf, 'incomplete') == []


def test_abandoned_download_leaves_no_partial_file(images: image_manager.ImageManager,
                                                   member_ctx: nl_context.RequestContext,
                                                   conf: cfg.ConfigOpts) -> None:
    image = _active(images, member_ctx)
    chunks = images.download_image(member_ctx, image['id'])
    next(chunks)
    assert len(_files(conf, 'incomplete')) == 1  # being written
    assert isinstance(chunks, Generator)
    chunks.close()  # the client hung up
    assert _files(conf, 'incomplete') == [] and _files(conf, 'data') == []


def test_deleted_and_deactivated_images_leave_the_cache(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        admin_ctx: nl_context.RequestContext, conf: cfg.ConfigOpts) -> None:
    doomed, paused = _active(images, member_ctx), _active(images, member_ctx)
    for image in (doomed, paused):
        b''.join(images.download_image(member_ctx, image['id']))
    assert len(images.cache.state()['cached_images']) == 2
    images.delete_image(member_ctx, doomed['id'])
    images.deactivate_image(member_ctx, paused['id'])
    assert images.cache.state()['cached_images'] == []
    assert _files(conf, 'data') == []
    # An admin may still download the deactivated image: from the store, not cached.
    assert b''.join(images.download_image(admin_ctx, paused['id'])) == DATA
    assert images.cache.state()['cached_images'] == []


def test_image_deleted_during_a_fill_is_not_cached(images: image_manager.ImageManager,
                                                   member_ctx: nl_context.RequestContext,
                                                   conf: cfg.ConfigOpts) -> None:
    image = _active(images, member_ctx)
    chunks = images.download_image(member_ctx, image['id'])
    first = next(chunks)
    images.delete_image(member_ctx, image['id'])
    rest = b''.join(chunks)  # the file stays readable until closed
    assert first + rest == DATA
    assert _files(conf, 'data') == [] and _files(conf, 'incomplete') == []


def test_prune_removes_least_recently_used(images: image_manager.ImageManager,
                                           member_ctx: nl_context.RequestContext,
                                           image_override: Callable[[str, Any], None]
                                           ) -> None:
    image_override('image_cache_max_size', 2 * len(DATA))
    first, second, third = (_active(images, member_ctx) for _ in range(3))
    for image in (first, second):
        b''.join(images.download_image(member_ctx, image['id']))
    time.sleep(0.01)
    b''.join(images.download_image(member_ctx, first['id']))  # a hit: first is recent
    time.sleep(0.01)
    b''.join(images.download_image(member_ctx, third['id']))  # over the max: second goes
    cached = {e['image_id'] for e in images.cache.state()['cached_images']}
    assert cached == {first['id'], third['id']}


def test_image_larger_than_the_cache_is_not_cached(images: image_manager.ImageManager,
                                                   member_ctx: nl_context.RequestContext,
                                                   image_override: Callable[[str, Any], None]
                                                   ) -> None:
    image_override('image_cache_max_size', len(DATA) - 1)
    image = _active(images, member_ctx)
    assert b''.join(images.download_image(member_ctx, image['id'])) == DATA
    assert images.cache.state()['cached_images'] == []


def test_disabled_cache_reads_the_store(images: image_manager.ImageManager,
                                        member_ctx: nl_context.RequestContext,
                                        image_override: Callable[[str, Any], None]) -> None:
    image_override('image_cache_dir', '')
    image = _active(images, member_ctx)
    assert b''.join(images.download_image(member_ctx, image['id'])) == DATA
    with pytest.raises(image_cache.CacheDisabled):
        images.cache.state()
    images.delete_image(member_ctx, image['id'])  # eviction is a no-op


def _without_thread(images: image_manager.ImageManager) -> cache_prefetch.Prefetcher:
    """The cache's prefetcher, with no thread: the test drives it with run_once."""
    prefetcher = images.cache.prefetcher
    prefetcher.autostart = False
    return prefetcher


def test_queue_then_prefetch(images: image_manager.ImageManager,
                             member_ctx: nl_context.RequestContext,
                             conf: cfg.ConfigOpts) -> None:
    prefetcher = _without_thread(images)
    image = _active(images, member_ctx)
    images.cache.queue(image)
    assert images.cache.state() == {'cached_images': [], 'queued_images': [image['id']]}
    assert prefetcher.run_once() == [image['id']]
    state = images.cache.state()
    assert state['queued_images'] == []
    assert [e['image_id'] for e in state['cached_images']] == [image['id']]
    with open(os.path.join(_cache_root(conf), 'data', image['id']), 'rb') as cached:
        assert cached.read() == DATA


def test_queue_refuses_images_that_are_not_active(images: image_manager.ImageManager,
                                                  member_ctx: nl_context.RequestContext
                                                  ) -> None:
    image = images.create_image(member_ctx, name='empty')
    with pytest.raises(exception.Invalid):
        images.cache.queue(image)
    assert images.cache.state()['queued_images'] == []


def test_failed_prefetch_leaves_no_partial_file(images: image_manager.ImageManager,
                                                member_ctx: nl_context.RequestContext,
                                                conf: cfg.ConfigOpts) -> None:
    prefetcher = _without_thread(images)
    image = _active(images, member_ctx)
    with open(_store_path(images, member_ctx, image['id']), 'r+b') as data_file:
        data_file.truncate(1000)
    images.cache.queue(image)
    assert prefetcher.run_once() == [image['id']]  # tried once, then dropped
    assert images.cache.state() == {'cached_images': [], 'queued_images': []}
    assert _files(conf, 'data') == [] and _files(conf, 'incomplete') == []


def test_prefetch_of_a_deleted_image_is_dropped(images: image_manager.ImageManager,
                                                member_ctx: nl_context.RequestContext
                                                ) -> None:
    prefetcher = _without_thread(images)
    image = _active(images, member_ctx)
    images.cache.queue(image)
    images.delete_image(member_ctx, image['id'])  # dequeued by the deletion
    assert images.cache.state()['queued_images'] == []
    cache_dir.CacheDir(_cache_root(images._conf), 10 ** 9).queue(image['id'])
    assert prefetcher.run_once() == [image['id']]
    assert images.cache.state() == {'cached_images': [], 'queued_images': []}


def test_prefetcher_thread_caches_and_stops(images: image_manager.ImageManager,
                                            member_ctx: nl_context.RequestContext) -> None:
    image = _active(images, member_ctx)
    images.cache.queue(image)
    deadline = time.monotonic() + 10
    while _entry(images, image['id']) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _entry(images, image['id']) is not None
    assert images.cache.prefetcher.running
    images.close()
    assert not images.cache.prefetcher.running


def test_stop_abandons_a_fetch_without_a_partial_file(tmp_path: Any) -> None:
    directory = cache_dir.CacheDir(str(tmp_path / 'cache'), 10 ** 9)
    image_id = '6f2d5b9e-1c2a-4c4e-9a55-0a9b7a1b2c3d'
    started = threading.Event()

    def slow_fetch(wanted: str, stopping: threading.Event) -> None:
        def endless() -> Iterator[bytes]:
            while True:
                started.set()
                yield b'x' * 1024
        for _ in directory.fill(wanted, endless()):
            if stopping.wait(0.01):
                return

    prefetcher = cache_prefetch.Prefetcher(directory, slow_fetch)
    directory.queue(image_id)
    prefetcher.wake()
    assert started.wait(5)
    prefetcher.stop(timeout=5)
    assert not prefetcher.running
    assert os.listdir(tmp_path / 'cache' / 'incomplete') == []
    assert directory.queued_images() == [image_id]  # left for the next start
    assert not directory.is_cached(image_id)


def test_clear_targets(images: image_manager.ImageManager,
                       member_ctx: nl_context.RequestContext) -> None:
    _without_thread(images)
    cached, queued = _active(images, member_ctx), _active(images, member_ctx)
    cache = images.cache

    def fill() -> None:
        b''.join(images.download_image(member_ctx, cached['id']))
        cache.queue(queued)

    fill()
    assert cache.clear('cache') == {'cache_deleted': 1}
    assert cache.state() == {'cached_images': [], 'queued_images': [queued['id']]}
    fill()
    assert cache.clear('queue') == {'queue_deleted': 1}
    assert [e['image_id'] for e in cache.state()['cached_images']] == [cached['id']]
    assert cache.state()['queued_images'] == []
    fill()
    assert cache.clear('both') == {'queue_deleted': 1, 'cache_deleted': 1}
    assert cache.state() == {'cached_images': [], 'queued_images': []}
    with pytest.raises(exception.InvalidInput, match='x-image-cache-clear-target'):
        cache.clear('everything')


def test_stale_temporary_files_are_removed_at_start(tmp_path: Any) -> None:
    root = tmp_path / 'cache'
    (root / 'incomplete').mkdir(parents=True)
    stale, fresh = root / 'incomplete' / 'stale', root / 'incomplete' / 'fresh'
    stale.write_bytes(b'partial')
    fresh.write_bytes(b'in flight')
    old = time.time() - cache_dir.STALL_SECONDS - 10
    os.utime(stale, (old, old))
    directory = cache_dir.CacheDir(str(root), 10 ** 9)
    assert directory.cached_images() == []
    assert sorted(os.listdir(root / 'incomplete')) == ['fresh']


def test_ids_are_checked_before_touching_paths(tmp_path: Any) -> None:
    directory = cache_dir.CacheDir(str(tmp_path / 'cache'), 10 ** 9)
    with pytest.raises(ValueError):
        directory.queue('../../etc/passwd')
    assert not (tmp_path / 'etc').exists()


def test_queue_left_by_an_earlier_run_is_prefetched(images: image_manager.ImageManager,
                                                    member_ctx: nl_context.RequestContext,
                                                    conf: cfg.ConfigOpts) -> None:
    image = _active(images, member_ctx)
    cache_dir.CacheDir(_cache_root(conf), 10 ** 9).queue(image['id'])  # the earlier run's
    assert not images.cache.prefetcher.running
    assert images.cache.state()['queued_images'] == [image['id']]  # wakes the prefetcher
    deadline = time.monotonic() + 10
    while _entry(images, image['id']) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _entry(images, image['id']) is not None
    images.close()
    assert images.cache.state()['queued_images'] == []


def test_fill_on_download_off_caches_only_queued_images(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        image_override: Callable[[str, Any], None]) -> None:
    image_override('image_cache_fill_on_download', False)
    prefetcher = _without_thread(images)
    image = _active(images, member_ctx)
    assert b''.join(images.download_image(member_ctx, image['id'])) == DATA
    assert images.cache.state()['cached_images'] == []
    images.cache.queue(image)
    prefetcher.run_once()
    assert b''.join(images.download_image(member_ctx, image['id'])) == DATA
    entry = _entry(images, image['id'])
    assert entry is not None and entry['hits'] == 1


def test_a_hit_racing_a_removal_leaves_no_sidecar(images: image_manager.ImageManager,
                                                  member_ctx: nl_context.RequestContext,
                                                  conf: cfg.ConfigOpts) -> None:
    image = _active(images, member_ctx)
    b''.join(images.download_image(member_ctx, image['id']))
    directory = cache_dir.CacheDir(_cache_root(conf), 10 ** 9)
    served: list[bytes] = []

    def hit() -> None:
        chunks = directory.open_cached(image['id'])
        assert chunks is not None
        served.append(b''.join(chunks))

    data_path = os.path.join(_cache_root(conf), 'data', image['id'])
    with directory._lock:  # the hit opens the file, then waits for the lock
        reader = threading.Thread(target=hit)
        reader.start()
        time.sleep(0.2)
        os.unlink(data_path)  # removed meanwhile (as delete_cached would)
        os.unlink(data_path + '.json')
    reader.join(5)
    assert served == [DATA]
    assert _files(conf, 'data') == []
