"""A volume uploaded to an image, its image metadata, and an admin's repairs."""

from __future__ import annotations

import os
import subprocess
import uuid
from typing import Any, BinaryIO

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.volume import manager as volume_manager
from nova_lite.volume.backends import base
from tests.unit.volume.test_from_image import IMAGE_ID, PAYLOAD, FakeImages, _raw_image


class FakeImageService(FakeImages):
    """The image service: one image to read, and the images uploads make."""

    def __init__(self, path: str, *, fail_upload: bool = False) -> None:
        super().__init__(path, 'raw')
        self.image.update(name='source', checksum='abc', container_format='bare')
        self.created: dict[str, dict[str, Any]] = {}
        self.data: dict[str, bytes] = {}
        self.deleted: list[str] = []
        self.fail_upload = fail_upload

    def create_image(self, ctx: nl_context.RequestContext, **fields: Any) -> dict[str, Any]:
        image = {'id': str(uuid.uuid4()), 'status': 'queued', **fields}
        self.created[image['id']] = image
        return image

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     data: BinaryIO) -> None:
        self.tokens.append(ctx.auth_token)
        if self.fail_upload:
            raise exception.Conflict(reason='the image store is full')
        self.data[image_id] = data.read()

    def delete_image(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        self.deleted.append(image_id)


def _ctx(admin: bool = False) -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='user-a', project_id='project-a',
                                     roles=['admin' if admin else 'member'],
                                     auth_token='user-token', is_admin=admin)


def _setup(conf: cfg.ConfigOpts, db: db_api.Database, tmp_path: Any, *,
           fail_upload: bool = False) -> tuple[volume_manager.VolumeManager, FakeImageService]:
    images = FakeImageService(_raw_image(tmp_path), fail_upload=fail_upload)
    return volume_manager.VolumeManager(conf, db, base.load_backend(conf), images=images), images


def _files(conf: cfg.ConfigOpts) -> list[str]:
    return sorted(os.listdir(conf.volume.volumes_dir))


def test_upload_writes_the_volume_as_a_qcow2_image_and_frees_the_volume(
        conf: cfg.ConfigOpts, db: db_api.Database, tmp_path: Any) -> None:
    manager, images = _setup(conf, db, tmp_path)
    volume = manager.create_volume(_ctx(), 1, image_id=IMAGE_ID)
    done = manager.uploads.upload(_ctx(), volume['id'], image_name='copy',
                                  disk_format='qcow2')
    assert done['status'] == 'uploading' and done['id'] == volume['id']
    created = images.created[done['image_id']]
    assert (created['name'], created['disk_format'], created['container_format'],
            created['min_disk']) == ('copy', 'qcow2', 'bare', 1)
    assert images.data[done['image_id']][:4] == b'QFI\xfb'  # a qcow2 header
    back = tmp_path / 'back.raw'
    written = tmp_path / 'written.qcow2'
    written.write_bytes(images.data[done['image_id']])
    subprocess.run(['qemu-img', 'convert', '-f', 'qcow2', '-O', 'raw', str(written),
                    str(back)], check=True)
    assert back.read_bytes()[:len(PAYLOAD)] == PAYLOAD
    assert manager.get_volume(_ctx(), volume['id'])['status'] == 'available'
    assert _files(conf) == [f'volume-{volume["id"]}']  # no temporary file left
    assert images.deleted == []


def test_a_failed_upload_deletes_the_image_and_makes_the_volume_available(
        conf: cfg.ConfigOpts, db: db_api.Database, tmp_path: Any) -> None:
    manager, images = _setup(conf, db, tmp_path, fail_upload=True)
    volume = manager.create_volume(_ctx(), 1)
    with pytest.raises(exception.Conflict):
        manager.uploads.upload(_ctx(), volume['id'], image_name='copy')
    assert images.deleted == list(images.created)
    assert manager.get_volume(_ctx(), volume['id'])['status'] == 'available'
    assert _files(conf) == [f'volume-{volume["id"]}']


def test_only_an_available_volume_is_uploaded(conf: cfg.ConfigOpts, db: db_api.Database,
                                              tmp_path: Any) -> None:
    manager, images = _setup(conf, db, tmp_path)
    volume = manager.create_volume(_ctx(), 1)
    manager.admin.reset_status(_ctx(True), volume['id'], status='error')
    with pytest.raises(exception.Invalid):
        manager.uploads.upload(_ctx(), volume['id'], image_name='copy')
    with pytest.raises(exception.InvalidInput) as caught:
        manager.uploads.upload(_ctx(), volume['id'], image_name='c', disk_format='iso')
    assert 'disk_format' in caught.value.message
    assert images.created == {}


def test_a_volume_from_an_image_keeps_its_image_metadata(
        conf: cfg.ConfigOpts, db: db_api.Database, tmp_path: Any) -> None:
    manager, _ = _setup(conf, db, tmp_path)
    volume = manager.create_volume(_ctx(), 1, image_id=IMAGE_ID)
    assert volume['volume_image_metadata'] == {
        'image_id': IMAGE_ID, 'image_name': 'source', 'checksum': 'abc',
        'container_format': 'bare', 'disk_format': 'raw', 'min_disk': '0',
        'size': str(1024 * 1024)}
    merged = manager.image_metadata.set(_ctx(), volume['id'], {'kernel_id': 'k'})
    assert merged['kernel_id'] == 'k' and merged['image_id'] == IMAGE_ID
    manager.image_metadata.unset(_ctx(), volume['id'], 'kernel_id')
    with pytest.raises(exception.NotFound):
        manager.image_metadata.unset(_ctx(), volume['id'], 'kernel_id')
    assert 'kernel_id' not in manager.image_metadata.get(_ctx(), volume['id'])
    plain = manager.create_volume(_ctx(), 1)
    assert 'volume_image_metadata' not in plain


def test_reset_status_checks_each_value(conf: cfg.ConfigOpts, db: db_api.Database,
                                        tmp_path: Any) -> None:
    manager, _ = _setup(conf, db, tmp_path)
    volume = manager.create_volume(_ctx(), 1)
    for field, value in (('status', 'bogus'), ('attach_status', 'half'),
                         ('migration_status', 'gone')):
        with pytest.raises(exception.InvalidInput) as caught:
            manager.admin.reset_status(_ctx(True), volume['id'], **{field: value})
        assert field in caught.value.message
    with pytest.raises(exception.InvalidInput):
        manager.admin.reset_status(_ctx(True), volume['id'])
    manager.admin.reset_status(_ctx(True), volume['id'], status='maintenance',
                               migration_status='migrating')
    shown = manager.get_volume(_ctx(), volume['id'])
    assert (shown['status'], shown['migration_status']) == ('maintenance', 'migrating')


def test_force_delete_removes_a_reserved_volume_its_file_and_attachment_rows(
        conf: cfg.ConfigOpts, db: db_api.Database, tmp_path: Any) -> None:
    manager, _ = _setup(conf, db, tmp_path)
    volume = manager.create_volume(_ctx(), 1)
    manager.reserve_volume(_ctx(), volume['id'], str(uuid.uuid4()))
    manager.admin.reset_status(_ctx(True), volume['id'], status='attaching')
    manager.admin.force_delete(_ctx(True), volume['id'])
    with pytest.raises(exception.NotFound):
        manager.get_volume(_ctx(), volume['id'])
    assert _files(conf) == []
    assert manager.list_attachments(_ctx(True), volume_id=volume['id']) == []


def test_force_delete_refuses_an_attached_volume(conf: cfg.ConfigOpts, db: db_api.Database,
                                                 tmp_path: Any) -> None:
    manager, _ = _setup(conf, db, tmp_path)
    volume = manager.create_volume(_ctx(), 1)
    attachment = manager.reserve_volume(_ctx(), volume['id'], str(uuid.uuid4()))
    manager.mark_attached(_ctx(), attachment['id'], '/dev/vdb')
    with pytest.raises(exception.Invalid):
        manager.admin.force_delete(_ctx(True), volume['id'])
    assert manager.get_volume(_ctx(), volume['id'])['status'] == 'in-use'
    manager.admin.reset_status(_ctx(True), volume['id'], attach_status='detached')
    manager.admin.force_delete(_ctx(True), volume['id'])
    assert _files(conf) == []
