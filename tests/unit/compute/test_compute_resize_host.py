"""The compute manager's resize (on its own host), revert, confirm and rebuild, on the
libvirt driver (test:///default) and on the fake: the domain undefined and defined
again with the other flavor, the disk grown (a copy kept until the confirm), the
volumes kept; a rebuild makes the disk again."""

from __future__ import annotations

import os
import pathlib

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.compute import manager as compute_manager
from nova_lite.compute import resize_host
from nova_lite.virt import disk, fake, imagecache, power_state
from tests.unit.compute.test_compute_manager import ImageClient, _libvirt_driver, spawn_request

BIG = {'id': 'big', 'name': 'big', 'vcpus': 2, 'memory_mb': 1024, 'root_gb': 2}


@pytest.fixture(params=['libvirt', 'fake'])
def manager(request: pytest.FixtureRequest,
            conf: cfg.ConfigOpts) -> compute_manager.ComputeManager:
    conf.set_override('connection_uri', 'test:///default', group='libvirt')
    driver = _libvirt_driver(conf) if request.param == 'libvirt' else fake.FakeDriver(conf)
    made = compute_manager.ComputeManager(
        conf, driver, imagecache.ImageCache(conf.compute.image_cache_dir, ImageClient()),
        host='host1')
    made.init_host()
    return made


@pytest.fixture
def ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='user-a', project_id='project-a',
                                     auth_token='a-token')


def _vcpus(manager: compute_manager.ComputeManager, instance_id: str) -> int:
    with open(manager.driver.xml_path(instance_id)) as xml:
        return int(xml.read().split('<vcpu>')[1].split('<')[0])


def _virtual_gib(path: str) -> float:
    info = disk.image_info(path)
    size = info.get('virtual-size') if info else os.path.getsize(path)
    return int(size) / disk.GIB  # type: ignore[arg-type]


def test_resize_revert_confirm_and_rebuild(manager: compute_manager.ComputeManager,
                                           ctx: nl_context.RequestContext,
                                           tmp_path: pathlib.Path) -> None:
    request = spawn_request(tmp_path)
    instance_id = request['instance']['id']
    manager.spawn_instance(ctx, **request)
    volume_id = request['block_devices'][0]['volume_id']
    disk_path = os.path.join(manager.driver.instance_dir(instance_id), disk.DISK_NAME)
    backup = os.path.join(manager.driver.instance_dir(instance_id), resize_host.BACKUP_NAME)
    assert _vcpus(manager, instance_id) == 1

    info = manager.resize_instance(ctx, **{**request, 'flavor': BIG})
    assert info['power_state'] == power_state.RUNNING
    assert _vcpus(manager, instance_id) == 2 and os.path.exists(backup)
    assert _virtual_gib(disk_path) >= 2 or disk.qemu_img() is None
    with open(manager.driver.xml_path(instance_id)) as xml:
        assert volume_id in xml.read()  # the volume is kept

    info = manager.revert_resize(ctx, **request)
    assert _vcpus(manager, instance_id) == 1 and not os.path.exists(backup)
    assert info['power_state'] == power_state.RUNNING

    manager.resize_instance(ctx, **{**request, 'flavor': BIG})
    manager.confirm_resize(ctx, instance_id)
    manager.confirm_resize(ctx, instance_id)  # idempotent
    assert not os.path.exists(backup) and _vcpus(manager, instance_id) == 2

    manager.power_off(ctx, instance_id)
    manager.resize_instance(ctx, **request)  # a stopped server stays off
    assert manager.get_power_state(ctx, instance_id) == power_state.SHUTDOWN

    with open(disk_path, 'ab') as written:
        written.write(b'guest data')
    info = manager.rebuild_instance(ctx, **request)
    assert info['power_state'] == power_state.RUNNING
    with open(disk_path, 'rb') as made:
        assert b'guest data' not in made.read()
    manager.destroy_instance(ctx, instance_id)
    assert not manager.driver.instance_exists(instance_id)
