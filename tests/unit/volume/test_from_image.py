"""A volume made from an image: the image's bytes in the volume, refusals, and undo."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.volume import manager as volume_manager
from nova_lite.volume.backends import base

GIB = 1024 ** 3
IMAGE_ID = '6f1d5c3c-2a7e-4f39-9b4e-1f0c8a2d9e11'
PAYLOAD = b'nova_lite boot sector' + b'\x55\xaa'

class FakeImages:
    """The image service: one image whose bytes are a file."""

    def __init__(self, path: str, disk_format: str, *, status: str = 'active',
                 fail_download: bool = False) -> None:
        self.path = path
        self.image = {'id': IMAGE_ID, 'status': status, 'disk_format': disk_format,
                      'size': os.path.getsize(path), 'min_disk': 0}
        self.fail_download = fail_download
        self.tokens: list[str | None] = []

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> dict[str, Any]:
        self.tokens.append(ctx.auth_token)
        if image_id != IMAGE_ID:
            raise exception.NotFound(resource='Image', id=image_id)
        return dict(self.image)

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        with open(self.path, 'rb') as data:
            yield data.read(8)
            if self.fail_download:
                raise exception.ImageCorrupt(image_id=image_id, reason='hash mismatch')
            yield data.read()


def _raw_image(tmp_path: Any) -> str:
    path = os.path.join(tmp_path, 'image.raw')
    with open(path, 'wb') as out:
        out.write(PAYLOAD)
        out.truncate(1024 * 1024)
    return path


def _qcow2_image(tmp_path: Any) -> str:
    raw = _raw_image(tmp_path)
    path = os.path.join(tmp_path, 'image.qcow2')
    subprocess.run(['qemu-img', 'convert', '-f', 'raw', '-O', 'qcow2', raw, path], check=True)
    return path


def _manager(conf: cfg.ConfigOpts, db: db_api.Database,
             images: FakeImages) -> volume_manager.VolumeManager:
    return volume_manager.VolumeManager(conf, db, base.load_backend(conf), images=images)


def _ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='user-a', project_id='project-a',
                                     roles=['member'], auth_token='user-token')


def _volume_files(conf: cfg.ConfigOpts) -> list[str]:
    path = conf.volume.volumes_dir
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def _head(path: str) -> bytes:
    with open(path, 'rb') as data:
        return data.read(len(PAYLOAD))


def test_a_qcow2_image_is_converted_into_a_bootable_raw_volume(
        conf: cfg.ConfigOpts, db: db_api.Database, tmp_path: Any) -> None:
    images = FakeImages(_qcow2_image(tmp_path), 'qcow2')
    manager = _manager(conf, db, images)

    volume = manager.create_volume(_ctx(), 1, image_id=IMAGE_ID)

    assert volume['status'] == 'available' and volume['bootable'] == 'true'
    path = os.path.join(conf.volume.volumes_dir, f'volume-{volume["id"]}')
    assert os.path.getsize(path) == GIB  # the volume's size, not the image's
    assert _head(path) == PAYLOAD  # the guest sees the image's bytes, not qcow2's header
    assert _volume_files(conf) == [f'volume-{volume["id"]}']  # no temporary file left
    assert set(images.tokens) == {'user-token'}  # read as the caller


def test_a_raw_image_is_copied(conf: cfg.ConfigOpts, db: db_api.Database,
                               tmp_path: Any) -> None:
    manager = _manager(conf, db, FakeImages(_raw_image(tmp_path), 'raw'))
    volume = manager.create_volume(_ctx(), 1, image_id=IMAGE_ID)
    path = os.path.join(conf.volume.volumes_dir, f'volume-{volume["id"]}')
    assert _head(path) == PAYLOAD and os.path.getsize(path) == GIB


@pytest.mark.parametrize(('image_id', 'changes', 'field'), [
    ('0f1d5c3c-2a7e-4f39-9b4e-1f0c8a2d9e12', {}, 'volume.imageRef'),
    (IMAGE_ID, {'status': 'queued'}, 'volume.imageRef'),
    (IMAGE_ID, {'size': 3 * GIB}, 'volume.size'),
    (IMAGE_ID, {'min_disk': 2}, 'volume.size'),
])
def test_an_image_that_cannot_fill_the_volume_is_a_400_and_makes_nothing(
        conf: cfg.ConfigOpts, db: db_api.Database, tmp_path: Any, image_id: str,
        changes: dict[str, Any], field: str) -> None:
    images = FakeImages(_raw_image(tmp_path), 'raw')
    images.image.update(changes)
    manager = _manager(conf, db, images)
    with pytest.raises(exception.InvalidInput) as caught:
        manager.create_volume(_ctx(), 1, image_id=image_id)
    assert field in caught.value.message
    assert manager.list_volumes(_ctx()) == [] and _volume_files(conf) == []


def test_a_failed_download_frees_the_storage_and_leaves_the_volume_in_error(
        conf: cfg.ConfigOpts, db: db_api.Database, tmp_path: Any) -> None:
    manager = _manager(conf, db, FakeImages(_raw_image(tmp_path), 'raw', fail_download=True))
    with pytest.raises(exception.ImageCorrupt):
        manager.create_volume(_ctx(), 1, image_id=IMAGE_ID)
    [volume] = manager.list_volumes(_ctx())
    assert volume['status'] == 'error'
    assert _volume_files(conf) == []  # neither the volume file nor the temporary image
    manager.delete_volume(_ctx(), volume['id'])  # the owner can delete it
    assert manager.list_volumes(_ctx()) == []


def test_an_image_format_the_backend_cannot_write_fails_cleanly(
        conf: cfg.ConfigOpts, db: db_api.Database, tmp_path: Any) -> None:
    manager = _manager(conf, db, FakeImages(_raw_image(tmp_path), 'aki-bogus'))
    with pytest.raises(base.VolumeBackendError):
        manager.create_volume(_ctx(), 1, image_id=IMAGE_ID)
    assert [v['status'] for v in manager.list_volumes(_ctx())] == ['error']
    assert _volume_files(conf) == []


def test_without_an_image_service_an_image_volume_is_refused(
        conf: cfg.ConfigOpts, db: db_api.Database) -> None:
    manager = volume_manager.VolumeManager(conf, db, base.load_backend(conf))
    with pytest.raises(exception.InvalidInput):
        manager.create_volume(_ctx(), 1, image_id=IMAGE_ID)
    assert manager.list_volumes(_ctx()) == []
