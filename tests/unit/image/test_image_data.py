"""Upload and download through the image manager: hashes, states, failures."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.image import manager as image_manager
from nova_lite.image.backends import base as store_base
from tests.unit.image.conftest import store_files

DATA = os.urandom(300 * 1024 + 11)


def _chunks(data: bytes, size: int = 32 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def _queued(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
            **fields: Any) -> dict[str, Any]:
    fields.setdefault('disk_format', 'raw')
    fields.setdefault('container_format', 'bare')
    return images.create_image(ctx, name='cirros', **fields)


def _location_path(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
                   image_id: str) -> str:
    location = images.get_location(ctx, image_id)
    assert location.startswith('file:///')
    return location[len('file://'):]


def test_round_trip_hashes(images: image_manager.ImageManager,
                           member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)
    assert image['status'] == 'queued'
    assert image['size'] is None and image['checksum'] is None
    active = images.upload_image(member_ctx, image['id'], _chunks(DATA))
    assert active['status'] == 'active'
    assert active['size'] == len(DATA) == active['virtual_size']
    assert active['checksum'] == hashlib.md5(DATA).hexdigest()
    assert active['os_hash_algo'] == 'sha512'
    assert active['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert 'location' not in active
    assert images.get_image(member_ctx, image['id']) == active
    with open(_location_path(images, member_ctx, image['id']), 'rb') as stored:
        assert stored.read() == DATA
    chunks = list(images.download_image(member_ctx, image['id']))
    assert len(chunks) > 1
    assert b''.join(chunks) == DATA


def test_status_is_saving_while_bytes_stream(images: image_manager.ImageManager,
                                             member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)
    seen: list[str] = []

    def watching() -> Iterator[bytes]:
        for chunk in _chunks(DATA):
            seen.append(images.get_image(member_ctx, image['id'])['status'])
            yield chunk

    images.upload_image(member_ctx, image['id'], watching())
    assert seen and set(seen) == {'saving'}
    assert images.get_image(member_ctx, image['id'])['status'] == 'active'


def test_qcow2_virtual_size_from_header(images: image_manager.ImageManager,
                                        member_ctx: nl_context.RequestContext) -> None:
    header = b'QFI\xfb' + bytes(20) + (64 * 1024 ** 2).to_bytes(8, 'big') + bytes(100)
    image = _queued(images, member_ctx, disk_format='qcow2')
    active = images.upload_image(member_ctx, image['id'], iter([header[:10], header[10:]]))
    assert active['virtual_size'] == 64 * 1024 ** 2
    assert active['size'] == len(header)


def test_second_upload_conflicts(images: image_manager.ImageManager,
                                 member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)
    active = images.upload_image(member_ctx, image['id'], iter([b'first']))
    with pytest.raises(exception.InvalidState) as raised:
        images.upload_image(member_ctx, image['id'], iter([b'second']))
    assert raised.value.code == 409
    assert images.get_image(member_ctx, image['id']) == active
    assert b''.join(images.download_image(member_ctx, image['id'])) == b'first'


@pytest.mark.parametrize('missing', ['disk_format', 'container_format'])
def test_upload_needs_formats(images: image_manager.ImageManager, conf: cfg.ConfigOpts,
                              member_ctx: nl_context.RequestContext, missing: str) -> None:
    image = _queued(images, member_ctx, **{missing: None})
    with pytest.raises(exception.InvalidInput, match=missing) as raised:
        images.upload_image(member_ctx, image['id'], iter([b'data']))
    assert raised.value.code == 400
    assert images.get_image(member_ctx, image['id'])['status'] == 'queued'
    assert store_files(conf) == []


def test_failing_iterator_kills_image(images: image_manager.ImageManager, conf: cfg.ConfigOpts,
                                      member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)

    def broken() -> Iterator[bytes]:
        yield DATA[:50000]
        yield DATA[50000:100000]
        raise ConnectionResetError('client went away')

    with pytest.raises(ConnectionResetError):
        images.upload_image(member_ctx, image['id'], broken())
    killed = images.get_image(member_ctx, image['id'])
    assert killed['status'] == 'killed'
    assert killed['size'] is None and killed['os_hash_value'] is None
    assert store_files(conf) == []
    with pytest.raises(exception.InvalidState):
        images.download_image(member_ctx, image['id'])
    with pytest.raises(exception.InvalidState):
        images.get_location(member_ctx, image['id'])
    with pytest.raises(exception.InvalidState):
        images.upload_image(member_ctx, image['id'], iter([b'again']))


def test_non_bytes_chunks_kill_image(images: image_manager.ImageManager, conf: cfg.ConfigOpts,
                                     member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)
    with pytest.raises(exception.InvalidInput, match='data'):
        images.upload_image(member_ctx, image['id'], iter([b'ok', 'text']))  # type: ignore
    assert images.get_image(member_ctx, image['id'])['status'] == 'killed'
    assert store_files(conf) == []


def test_not_iterable_changes_nothing(images: image_manager.ImageManager,
                                      member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)
    with pytest.raises(exception.InvalidInput, match='data'):
        images.upload_image(member_ctx, image['id'], 42)  # type: ignore[arg-type]
    assert images.get_image(member_ctx, image['id'])['status'] == 'queued'


def test_size_cap(images: image_manager.ImageManager, conf: cfg.ConfigOpts,
                  member_ctx: nl_context.RequestContext,
                  image_override: Callable[[str, Any], None]) -> None:
    image_override('image_size_cap', len(DATA) - 1)
    image = _queued(images, member_ctx)
    with pytest.raises(exception.OverLimit) as raised:
        images.upload_image(member_ctx, image['id'], _chunks(DATA))
    assert raised.value.code == 413
    assert images.get_image(member_ctx, image['id'])['status'] == 'killed'
    assert store_files(conf) == []
    exact = _queued(images, member_ctx)
    assert images.upload_image(member_ctx, exact['id'], _chunks(DATA[:-1]))['status'] == 'active'


def test_corrupt_file_detected(images: image_manager.ImageManager,
                               member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)
    images.upload_image(member_ctx, image['id'], _chunks(DATA))
    path = _location_path(images, member_ctx, image['id'])
    with open(path, 'r+b') as stored:
        stored.seek(len(DATA) // 2)
        byte = stored.read(1)
        stored.seek(len(DATA) // 2)
        stored.write(bytes([byte[0] ^ 0xFF]))
    received: list[bytes] = []
    with pytest.raises(exception.ImageCorrupt, match='sha512'):
        for chunk in images.download_image(member_ctx, image['id']):
            received.append(chunk)
    assert len(b''.join(received)) == len(DATA)  # raised only after the last chunk


def test_truncated_or_missing_file_detected(images: image_manager.ImageManager,
                                            member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)
    images.upload_image(member_ctx, image['id'], _chunks(DATA))
    path = _location_path(images, member_ctx, image['id'])
    os.truncate(path, 1000)
    with pytest.raises(exception.ImageCorrupt, match='expected'):
        list(images.download_image(member_ctx, image['id']))
    os.unlink(path)
    with pytest.raises(exception.ImageCorrupt, match='missing'):
        images.download_image(member_ctx, image['id'])


def test_delete_removes_bytes(images: image_manager.ImageManager, conf: cfg.ConfigOpts,
                              member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)
    images.upload_image(member_ctx, image['id'], _chunks(DATA))
    assert len(store_files(conf)) == 1
    images.delete_image(member_ctx, image['id'])
    assert store_files(conf) == []
    for call in (images.get_image, images.download_image, images.get_location,
                 images.delete_image):
        with pytest.raises(exception.NotFound):
            call(member_ctx, image['id'])


def test_delete_during_upload_discards_bytes(images: image_manager.ImageManager,
                                             conf: cfg.ConfigOpts,
                                             member_ctx: nl_context.RequestContext) -> None:
    image = _queued(images, member_ctx)

    def deleting() -> Iterator[bytes]:
        yield b'first half'
        images.delete_image(member_ctx, image['id'])
        yield b'second half'

    with pytest.raises(exception.NotFound):
        images.upload_image(member_ctx, image['id'], deleting())
    assert store_files(conf) == []


def test_other_project_public_image(images: image_manager.ImageManager,
                                    member_ctx: nl_context.RequestContext,
                                    other_ctx: nl_context.RequestContext) -> None:
    public = _queued(images, member_ctx, visibility='public')
    with pytest.raises(exception.Forbidden):
        images.upload_image(other_ctx, public['id'], iter([b'not mine']))
    images.upload_image(member_ctx, public['id'], iter([b'mine']))
    assert b''.join(images.download_image(other_ctx, public['id'])) == b'mine'
    private = _queued(images, member_ctx, visibility='private')
    images.upload_image(member_ctx, private['id'], iter([b'secret']))
    for call in (images.download_image, images.get_location):
        with pytest.raises(exception.NotFound):
            call(other_ctx, private['id'])


@pytest.mark.postgresql
def test_round_trip_on_postgresql(conf: cfg.ConfigOpts, pg_db: db_api.Database,
                                  member_ctx: nl_context.RequestContext) -> None:
    images = image_manager.ImageManager(conf, pg_db, store_base.load_store(conf))
    image = _queued(images, member_ctx, tags=['a', 'b'], **{'hw_disk_bus': 'virtio'})
    active = images.upload_image(member_ctx, image['id'], _chunks(DATA))
    assert active['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert active['hw_disk_bus'] == 'virtio' and active['tags'] == ['a', 'b']
    assert b''.join(images.download_image(member_ctx, image['id'])) == DATA
    assert [i['id'] for i in images.list_images(member_ctx, name='cirros')] == [image['id']]
    images.delete_image(member_ctx, image['id'])
    assert images.list_images(member_ctx) == []
