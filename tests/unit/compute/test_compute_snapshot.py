"""The compute host's snapshot: the instance disk captured (flattened from its
overlay) and uploaded as the image's data, on libvirt (test:///default) and the fake."""

from __future__ import annotations

import os
from typing import Any, BinaryIO

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import manager as compute_manager
from nova_lite.virt import fake, imagecache
from tests.unit.compute.test_compute_manager import (
    IMAGE_BYTES,
    ImageClient,
    _libvirt_driver,
    spawn_request,
)


class Uploads:
    """The image API's upload, in memory; remembers the token of each call."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.tokens: list[str | None] = []
        self.fail: Exception | None = None

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     data: BinaryIO) -> None:
        self.tokens.append(ctx.auth_token)
        if self.fail is not None:
            raise self.fail
        self.data[image_id] = data.read()


@pytest.fixture(params=['libvirt', 'fake'])
def host(request: pytest.FixtureRequest, conf: cfg.ConfigOpts,
         ) -> tuple[compute_manager.ComputeManager, Uploads]:
    conf.set_override('connection_uri', 'test:///default', group='libvirt')
    driver = _libvirt_driver(conf) if request.param == 'libvirt' else fake.FakeDriver(conf)
    uploads = Uploads()
    manager = compute_manager.ComputeManager(
        conf, driver, imagecache.ImageCache(conf.compute.image_cache_dir, ImageClient()),
        host='host1', images=uploads)  # type: ignore[arg-type]
    manager.init_host()
    return manager, uploads


def _spawned(manager: compute_manager.ComputeManager, tmp_path: Any) -> str:
    request = spawn_request(tmp_path, volume=False)
    request['flavor']['root_gb'] = 0  # the disk is the image's size
    ctx = nl_context.RequestContext(auth_token='t')
    manager.spawn_instance(ctx, **request)
    return str(request['instance']['id'])


IMAGE_ID = '5f0d2a55-3e4b-4c2e-9a59-5c0f7a1d2b3c'


def test_a_snapshot_uploads_the_flattened_disk_as_the_user(host: Any, tmp_path: Any) -> None:
    manager, uploads = host
    instance_id = _spawned(manager, tmp_path)
    ctx = nl_context.RequestContext(auth_token='users-token', user_id='u', project_id='p')
    result = manager.snapshot_instance(ctx, instance_id, IMAGE_ID, 'raw')
    data = uploads.data[IMAGE_ID]
    assert result == {'size': len(data)}
    # The raw image holds the guest disk's bytes (the base image through the overlay).
    assert data[:len(IMAGE_BYTES)] == IMAGE_BYTES
    assert data[len(IMAGE_BYTES):] == b'\0' * (len(data) - len(IMAGE_BYTES))
    assert uploads.tokens == ['users-token']
    assert not [name for name in os.listdir(manager.driver.instance_dir(instance_id))
                if name.startswith('snapshot-')]  # the capture file is removed


def test_a_qcow2_snapshot_is_a_standalone_qcow2(host: Any, tmp_path: Any) -> None:
    manager, uploads = host
    instance_id = _spawned(manager, tmp_path)
    manager.snapshot_instance(nl_context.RequestContext(auth_token='t'), instance_id,
                              IMAGE_ID, 'qcow2')
    data = uploads.data[IMAGE_ID]
    assert data[:4] == b'QFI\xfb'
    assert b'backing' not in data[:512]  # no backing file named in its header


def test_a_failed_upload_leaves_no_capture_file(host: Any, tmp_path: Any) -> None:
    manager, uploads = host
    instance_id = _spawned(manager, tmp_path)
    uploads.fail = exception.NotFound(resource='Image', id=IMAGE_ID)
    with pytest.raises(exception.NotFound):
        manager.snapshot_instance(nl_context.RequestContext(auth_token='t'), instance_id,
                                  IMAGE_ID, 'raw')
    assert not [name for name in os.listdir(manager.driver.instance_dir(instance_id))
                if name.startswith('snapshot-')]


def test_no_domain_no_snapshot(host: Any, tmp_path: Any) -> None:
    manager, uploads = host
    instance_id = _spawned(manager, tmp_path)
    manager.destroy_instance(nl_context.RequestContext(), instance_id)
    os.makedirs(manager.driver.instance_dir(instance_id))
    with pytest.raises(exception.NotFound):
        manager.snapshot_instance(nl_context.RequestContext(auth_token='t'), instance_id,
                                  IMAGE_ID, 'raw')
    assert uploads.data == {}
