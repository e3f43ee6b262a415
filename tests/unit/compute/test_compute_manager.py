"""The compute host's manager: spawn and destroy end to end, on libvirt and the fake."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import oslo_messaging
import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications, rpc
from nova_lite.compute import manager as compute_manager
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.virt import driver as virt_driver
from nova_lite.virt import fake, imagecache, power_state

IMAGE_BYTES = b'\x00' * 4096 + b'nova_lite' * 100


class ImageClient:
    """The image API as the compute host sees it: bytes in memory, sha512 checked."""

    def __init__(self, data: bytes = IMAGE_BYTES, *, corrupt: bool = False) -> None:
        self.data = data
        self.corrupt = corrupt
        self.downloads = 0
        self._lock = threading.Lock()

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        with self._lock:
            self.downloads += 1
        data = self.data[:-1] + b'!' if self.corrupt else self.data
        yield data[:2048]
        yield data[2048:]
        if hashlib.sha512(data).hexdigest() != hashlib.sha512(self.data).hexdigest():
            raise exception.ImageCorrupt(image_id=image_id, reason='checksum mismatch')


class FailingFakeDriver(fake.FakeDriver):
    """Defines and starts the domain, then fails (as a hypervisor might)."""

    def spawn(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        super().spawn(*args, **kwargs)
        raise exception.VirtDriverError(host=self.conf.host, reason='injected failure')


def _libvirt_driver(conf: cfg.ConfigOpts) -> virt_driver.ComputeDriver:
    pytest.importorskip('libvirt')
    from nova_lite.virt.libvirt import driver as libvirt_driver

    return libvirt_driver.LibvirtDriver(conf)


@pytest.fixture
def ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='user-a', project_id='project-a',
                                     auth_token='a-token')


@pytest.fixture
def image_client() -> ImageClient:
    return ImageClient()


def _manager(conf: cfg.ConfigOpts, driver: virt_driver.ComputeDriver, client: ImageClient,
             ) -> compute_manager.ComputeManager:
    manager = compute_manager.ComputeManager(
        conf, driver, imagecache.ImageCache(conf.compute.image_cache_dir, client),
        host='host1')
    manager.init_host()
    return manager


@pytest.fixture(params=['libvirt', 'fake'])
def manager(request: pytest.FixtureRequest, conf: cfg.ConfigOpts,
            image_client: ImageClient) -> compute_manager.ComputeManager:
    conf.set_override('connection_uri', 'test:///default', group='libvirt')
    driver = _libvirt_driver(conf) if request.param == 'libvirt' else fake.FakeDriver(conf)
    return _manager(conf, driver, image_client)


def spawn_request(tmp_path: pathlib.Path, *, volume: bool = True) -> dict[str, Any]:
    instance_id = str(uuid.uuid4())
    block_devices = []
    if volume:
        path = tmp_path / f'volume-{instance_id}'
        path.write_bytes(b'\0' * 1024)
        block_devices.append({
            'volume_id': str(uuid.uuid4()), 'attachment_id': str(uuid.uuid4()),
            'mountpoint': '/dev/vdb',
            'connection_info': {'driver_volume_type': 'file',
                                'data': {'device_path': str(path), 'format': 'raw'}}})
    return {
        'instance': {'id': instance_id, 'name': 'vm', 'project_id': 'project-a',
                     'user_id': 'user-a', 'metadata': {}, 'image_id': 'image-1'},
        'flavor': {'id': 'small', 'name': 'small', 'vcpus': 1, 'memory_mb': 512,
                   'root_gb': 1},
        'image': {'id': 'image-1', 'name': 'img', 'disk_format': 'raw',
                  'size': len(IMAGE_BYTES), 'os_hash_algo': 'sha512',
                  'os_hash_value': hashlib.sha512(IMAGE_BYTES).hexdigest(), 'min_disk': 0},
        'network_info': [{'port_id': str(uuid.uuid4()), 'mac_address': 'fa:16:3e:12:34:56',
                          'fixed_ips': [{'ip_address': '10.0.0.5', 'subnet_id': 's'}],
                          'network_id': 'n', 'network_name': 'net'}],
        'block_devices': block_devices,
    }


def _count(manager: compute_manager.ComputeManager, instance_id: str) -> int:
    return manager.driver.list_instance_ids().count(instance_id)


def _instance_dir(manager: compute_manager.ComputeManager, instance_id: str) -> str:
    return os.path.join(manager.conf.compute.instances_path, instance_id)


def test_spawn_then_destroy(manager, ctx, tmp_path, image_client, published):
    request = spawn_request(tmp_path)
    instance_id = request['instance']['id']
    result = manager.spawn_instance(ctx, **request)

    assert result == {'domain_name': f'instance-{instance_id}',
                      'xml_path': os.path.join(_instance_dir(manager, instance_id),
                                               'libvirt.xml'),
                      'power_state': power_state.RUNNING, 'host': 'host1'}
    assert json.loads(json.dumps(result)) == result
    assert _count(manager, instance_id) == 1
    assert manager.get_power_state(ctx, instance_id) == power_state.RUNNING
    with open(result['xml_path']) as f:
        xml = f.read()
    assert 'fa:16:3e:12:34:56' in xml and request['block_devices'][0]['volume_id'] in xml
    disk_path = os.path.join(_instance_dir(manager, instance_id), 'disk')
    assert disk_path in xml
    if shutil.which('qemu-img'):
        info = json.loads(subprocess.run(['qemu-img', 'info', '--output=json', disk_path],
                                         check=True, capture_output=True, text=True).stdout)
        assert info['format'] == 'qcow2'
        assert info['backing-filename'] == os.path.join(
            manager.conf.compute.image_cache_dir, request['image']['os_hash_value'])
    assert image_client.downloads == 1
    # What the narrator tells as steps 13, 22 and 29, in the order it happened.
    assert [type(n) for n in published] == [
        notifications.SpawnReceived, notifications.ImageCached,
        notifications.GuestDefinitionWritten, notifications.DomainStarted]
    assert published[0] == notifications.SpawnReceived(
        instance_id=instance_id, host='host1', instance_name=request['instance']['name'])

    manager.destroy_instance(ctx, instance_id)
    assert _count(manager, instance_id) == 0
    assert not os.path.exists(_instance_dir(manager, instance_id))
    manager.destroy_instance(ctx, instance_id)  # idempotent
    # The cached image stays for the next boot.
    assert os.listdir(manager.conf.compute.image_cache_dir) == [
        request['image']['os_hash_value']]


def test_spawn_is_idempotent(manager, ctx, tmp_path, image_client):
    request = spawn_request(tmp_path)
    instance_id = request['instance']['id']
    first = manager.spawn_instance(ctx, **request)
    second = manager.spawn_instance(ctx, **request)
    assert first == second
    assert _count(manager, instance_id) == 1
    assert image_client.downloads == 1
    manager.destroy_instance(ctx, instance_id)


def test_spawn_rebuilds_a_stopped_domain(manager, ctx, tmp_path):
    request = spawn_request(tmp_path, volume=False)
    instance_id = request['instance']['id']
    manager.spawn_instance(ctx, **request)
    manager.power_off(ctx, instance_id)
    result = manager.spawn_instance(ctx, **request)
    assert result['power_state'] == power_state.RUNNING
    assert _count(manager, instance_id) == 1
    manager.destroy_instance(ctx, instance_id)


def test_two_instances_share_one_download(manager, ctx, tmp_path, image_client):
    first, second = spawn_request(tmp_path), spawn_request(tmp_path, volume=False)
    manager.spawn_instance(ctx, **first)
    manager.spawn_instance(ctx, **second)
    assert image_client.downloads == 1
    for request in (first, second):
        manager.destroy_instance(ctx, request['instance']['id'])


def test_power_operations_and_console(manager, ctx, tmp_path):
    request = spawn_request(tmp_path, volume=False)
    instance_id = request['instance']['id']
    manager.spawn_instance(ctx, **request)
    assert manager.power_off(ctx, instance_id) == power_state.SHUTDOWN
    assert manager.power_on(ctx, instance_id) == power_state.RUNNING
    assert manager.reboot(ctx, instance_id) == power_state.RUNNING
    assert manager.pause(ctx, instance_id) == power_state.PAUSED
    assert manager.unpause(ctx, instance_id) == power_state.RUNNING
    assert manager.suspend(ctx, instance_id) == power_state.SUSPENDED
    assert manager.resume(ctx, instance_id) == power_state.RUNNING
    assert isinstance(manager.get_console_output(ctx, instance_id), str)
    manager.destroy_instance(ctx, instance_id)
    with pytest.raises(exception.NotFound):
        manager.get_power_state(ctx, instance_id)


def test_host_resources(manager, ctx):
    resources = manager.get_host_resources(ctx)
    assert resources['host'] == 'host1'
    assert resources['availability_zone'] == 'nova'
    assert resources['vcpus'] > 0 and resources['memory_mb'] > 0
    assert resources['capabilities']['hypervisor_type'] == resources['hypervisor_type']


def test_hypervisor_failure_cleans_up_and_is_retryable(conf, ctx, tmp_path, image_client):
    manager = _manager(conf, FailingFakeDriver(conf), image_client)
    request = spawn_request(tmp_path)
    instance_id = request['instance']['id']
    with pytest.raises(exception.RetryableBuildError) as raised:
        manager.spawn_instance(ctx, **request)
    assert 'injected failure' in raised.value.message
    assert 'host1' in raised.value.message
    assert _count(manager, instance_id) == 0
    assert not os.path.exists(_instance_dir(manager, instance_id))


def test_disk_failure_cleans_up_and_is_retryable(manager, ctx, tmp_path):
    request = spawn_request(tmp_path)
    request['image']['disk_format'] = 'qcow2'  # the bytes are raw: qemu-img refuses
    if not shutil.which('qemu-img'):
        pytest.skip('qemu-img is not installed')
    with pytest.raises(exception.RetryableBuildError):
        manager.spawn_instance(ctx, **request)
    assert _count(manager, request['instance']['id']) == 0
    assert not os.path.exists(_instance_dir(manager, request['instance']['id']))


def test_corrupt_image_passes_through_and_leaves_nothing(conf, ctx, tmp_path):
    manager = _manager(conf, fake.FakeDriver(conf), ImageClient(corrupt=True))
    request = spawn_request(tmp_path)
    with pytest.raises(exception.ImageCorrupt):
        manager.spawn_instance(ctx, **request)
    assert manager.driver.list_instance_ids() == []
    assert not os.path.exists(_instance_dir(manager, request['instance']['id']))
    assert os.listdir(conf.compute.image_cache_dir) == []


@pytest.mark.parametrize('mutate,field', [
    (lambda r: r['instance'].update(id='../../../etc'), 'instance.id'),
    (lambda r: r.update(instance='vm'), 'instance'),
    (lambda r: r['flavor'].update(root_gb=-1), 'flavor.root_gb'),
    (lambda r: r['flavor'].update(vcpus='two'), 'flavor.vcpus'),
    (lambda r: r['image'].update(min_disk=-5), 'image.min_disk'),
    (lambda r: r['image'].update(disk_format='ovf'), 'image.disk_format'),
    (lambda r: r['image'].update(id='../x'), 'image.id'),
    (lambda r: r['network_info'][0].update(mac_address='fa:16'),
     'network_info[0].mac_address'),
    (lambda r: r['block_devices'][0]['connection_info'].update(driver_volume_type='rbd'),
     'block_devices[0].connection_info.driver_volume_type'),
])
def test_bad_spawn_request_changes_nothing(conf, ctx, tmp_path, image_client, mutate, field):
    manager = _manager(conf, fake.FakeDriver(conf), image_client)
    request = spawn_request(tmp_path)
    mutate(request)
    with pytest.raises(exception.InvalidInput) as raised:
        manager.spawn_instance(ctx, **request)
    assert raised.value.code == 400 and field in raised.value.message
    assert image_client.downloads == 0
    assert manager.driver.list_instance_ids() == []
    assert os.listdir(conf.compute.instances_path) == []


def test_bad_instance_ids_are_rejected(conf, ctx, image_client):
    manager = _manager(conf, fake.FakeDriver(conf), image_client)
    for method in (manager.destroy_instance, manager.get_power_state, manager.power_on,
                   manager.power_off, manager.reboot, manager.get_console_output,
                   manager.pause, manager.unpause, manager.suspend, manager.resume):
        with pytest.raises(exception.InvalidInput):
            method(ctx, '..')
        with pytest.raises(exception.InvalidInput):
            method(ctx, None)


def test_over_rpc(conf, ctx, tmp_path, image_client):
    """The rpcapi client against the manager served on the in-memory transport."""
    rpc.register_opts(conf)
    conf.set_override('control_exchange', f'nova_lite_test_{uuid.uuid4().hex[:8]}')
    transport = rpc.get_transport(conf)
    manager = _manager(conf, fake.FakeDriver(conf), image_client)
    server = rpc.get_server(transport, oslo_messaging.Target(topic=compute_rpcapi.TOPIC,
                                                             server='host1'), [manager])
    server.start()
    try:
        client = compute_rpcapi.ComputeAPI(transport, timeout=10)
        request = spawn_request(tmp_path)
        instance_id = request['instance']['id']
        result = client.spawn_instance(ctx, 'host1', **request)
        assert result['host'] == 'host1' and result['power_state'] == power_state.RUNNING
        assert client.list_instance_ids(ctx, 'host1') == [instance_id]
        assert client.get_power_state(ctx, 'host1', instance_id=instance_id) == 1
        assert client.power_off(ctx, 'host1', instance_id=instance_id) == 4
        assert client.reboot(ctx, 'host1', instance_id=instance_id) == 1
        assert client.pause(ctx, 'host1', instance_id=instance_id) == power_state.PAUSED
        assert client.unpause(ctx, 'host1', instance_id=instance_id) == power_state.RUNNING
        assert client.suspend(ctx, 'host1', instance_id=instance_id) == power_state.SUSPENDED
        assert client.resume(ctx, 'host1', instance_id=instance_id) == power_state.RUNNING
        assert 'booted' in client.get_console_output(ctx, 'host1', instance_id=instance_id)
        assert client.get_host_resources(ctx, 'host1')['host'] == 'host1'
        client.destroy_instance(ctx, 'host1', instance_id=instance_id)
        assert client.list_instance_ids(ctx, 'host1') == []
        with pytest.raises(exception.NotFound):
            client.get_power_state(ctx, 'host1', instance_id=instance_id)
        bad = spawn_request(tmp_path)
        bad['flavor']['memory_mb'] = 0
        with pytest.raises(exception.InvalidInput):
            client.spawn_instance(ctx, 'host1', **bad)
        if shutil.which('qemu-img'):
            failing = spawn_request(tmp_path)
            failing['image']['disk_format'] = 'qcow2'  # raw bytes: qemu-img refuses
            with pytest.raises(exception.RetryableBuildError) as raised:
                client.spawn_instance(ctx, 'host1', **failing)
            assert raised.value.kwargs['host'] == 'host1'
            assert client.list_instance_ids(ctx, 'host1') == []
    finally:
        server.stop()
        server.wait()
        transport.cleanup()
