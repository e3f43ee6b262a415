"""The virt driver contract, on libvirt's test:///default hypervisor and on the fake."""

from __future__ import annotations

import os
import uuid
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import exception, notifications
from nova_lite.virt import driver as virt_driver
from nova_lite.virt import fake, loader, power_state


def _libvirt_driver(conf: cfg.ConfigOpts) -> virt_driver.ComputeDriver:
    pytest.importorskip('libvirt')
    from nova_lite.virt.libvirt import driver as libvirt_driver

    return libvirt_driver.LibvirtDriver(conf)


@pytest.fixture(params=['libvirt', 'fake'])
def driver(request: pytest.FixtureRequest,
           driver_conf: cfg.ConfigOpts) -> virt_driver.ComputeDriver:
    made = (_libvirt_driver(driver_conf) if request.param == 'libvirt'
            else fake.FakeDriver(driver_conf))
    made.init_host()
    return made


def _spawn(driver: virt_driver.ComputeDriver, request: dict[str, Any],
           disk_path: str = '/nonexistent/disk') -> dict[str, Any]:
    return driver.spawn(request['instance'], disk_path, request['network_info'],
                        request['block_devices'], request['flavor'], request['image'],
                        disk_format='qcow2')


def test_spawn_defines_and_starts_the_domain(driver, make_request, published):
    request = make_request()
    instance_id = request['instance']['id']
    result = _spawn(driver, request)

    assert result == {'domain_name': f'instance-{instance_id}',
                      'xml_path': os.path.join(driver.conf.compute.instances_path,
                                               instance_id, 'libvirt.xml'),
                      'power_state': power_state.RUNNING}
    assert instance_id in driver.list_instance_ids()
    assert driver.get_power_state(instance_id) == power_state.RUNNING
    root = ET.parse(result['xml_path']).getroot()
    assert root.get('type') == 'test'
    assert root.find('devices/interface/mac').get('address') == 'fa:16:3e:00:00:00'
    written, started = [n for n in published if n.instance_id == instance_id]
    assert written == notifications.GuestDefinitionWritten(
        instance_id=instance_id, path=result['xml_path'], vcpus=request['flavor']['vcpus'],
        memory_kib=request['flavor']['memory_mb'] * 1024,
        disks=len(root.findall('devices/disk')), nics=1)
    assert isinstance(started, notifications.DomainStarted)
    # The fake hypervisor's domains are always running: it names no power state.
    expected_state = None if isinstance(driver, fake.FakeDriver) else 'running'
    assert (started.domain_name, started.power_state) == (result['domain_name'],
                                                          expected_state)


def test_destroy_removes_the_domain_and_is_idempotent(driver, make_request):
    request = make_request()
    instance_id = request['instance']['id']
    _spawn(driver, request)
    driver.destroy(instance_id)
    assert instance_id not in driver.list_instance_ids()
    with pytest.raises(exception.NotFound):
        driver.get_power_state(instance_id)
    driver.destroy(instance_id)
    driver.destroy(str(uuid.uuid4()))


def test_list_instance_ids_only_lists_instances(driver, make_request):
    first, second = make_request(), make_request(volumes=0)
    _spawn(driver, first)
    _spawn(driver, second)
    ids = driver.list_instance_ids()
    assert {first['instance']['id'], second['instance']['id']} <= set(ids)
    assert 'test' not in ids  # test:///default's own domain has no instance uuid
    for instance_id in ids:
        assert virt_driver.check_instance_id(instance_id) == instance_id
    driver.destroy(first['instance']['id'])
    driver.destroy(second['instance']['id'])


def test_power_operations(driver, make_request):
    request = make_request(volumes=0)
    instance_id = request['instance']['id']
    _spawn(driver, request)
    driver.power_off(instance_id)
    assert driver.get_power_state(instance_id) == power_state.SHUTDOWN
    driver.power_off(instance_id)
    driver.power_on(instance_id)
    assert driver.get_power_state(instance_id) == power_state.RUNNING
    driver.reboot(instance_id)
    assert driver.get_power_state(instance_id) == power_state.RUNNING
    assert isinstance(driver.get_console_output(instance_id), str)
    driver.destroy(instance_id)
    for operation in (driver.power_on, driver.power_off, driver.reboot,
                      driver.get_console_output):
        with pytest.raises(exception.NotFound):
            operation(instance_id)


def test_console_output_tells_the_guest_s_life(driver, make_request):
    request = make_request(volumes=0)
    instance_id = request['instance']['id']
    _spawn(driver, request)
    booted = driver.get_console_output(instance_id)
    assert booted.endswith('\n')
    driver.reboot(instance_id)
    rebooted = driver.get_console_output(instance_id)
    assert rebooted.startswith(booted) and 'rebooted' in rebooted[len(booted):]
    if not isinstance(driver, fake.FakeDriver):
        # libvirt's test hypervisor runs no guest: the driver writes what it did.
        lines = booted.splitlines()
        assert len(lines) > 3 and 'started' in lines[0] and 'boot finished' in lines[-1]
        assert any(line.endswith(request['network_info'][0]['mac_address'])
                   for line in lines)
    driver.destroy(instance_id)


def test_host_resources_and_overrides(driver):
    resources = driver.get_host_resources()
    assert set(resources) == {'vcpus', 'memory_mb', 'local_gb', 'hypervisor_type',
                              'hypervisor_hostname', 'capabilities'}
    assert resources['vcpus'] > 0 and resources['memory_mb'] > 0 and resources['local_gb'] > 0
    assert set(resources['capabilities']) == {'hypervisor_type', 'architecture'}
    driver.conf.set_override('vcpus', 3, group='compute')
    driver.conf.set_override('memory_mb', 1000, group='compute')
    driver.conf.set_override('disk_gb', 7, group='compute')
    resources = driver.get_host_resources()
    assert (resources['vcpus'], resources['memory_mb'], resources['local_gb']) == (3, 1000, 7)


def test_bad_input_is_rejected_before_anything_is_defined(driver, make_request):
    request = make_request()
    request['network_info'][0]['mac_address'] = 'zz'
    with pytest.raises(exception.InvalidInput):
        _spawn(driver, request)
    assert request['instance']['id'] not in driver.list_instance_ids()
    with pytest.raises(exception.InvalidInput):
        driver.destroy('../../etc')


def _libvirt_driver_failing_start(conf: cfg.ConfigOpts) -> virt_driver.ComputeDriver:
    libvirt = pytest.importorskip('libvirt')
    from nova_lite.virt.libvirt import driver as libvirt_driver

    class FailingStart:
        """A real defined domain whose start fails."""

        def __init__(self, domain: Any) -> None:
            self._domain = domain

        def create(self) -> None:
            raise libvirt.libvirtError('injected start failure')

        def __getattr__(self, name: str) -> Any:
            return getattr(self._domain, name)

    class Connection:
        def __init__(self, conn: Any) -> None:
            self._conn = conn

        def defineXML(self, xml: str) -> FailingStart:  # noqa: N802 (libvirt's name)
            return FailingStart(self._conn.defineXML(xml))

        def __getattr__(self, name: str) -> Any:
            return getattr(self._conn, name)

    class Driver(libvirt_driver.LibvirtDriver):
        @property
        def connection(self) -> Any:
            return Connection(super().connection)

    return Driver(conf)


def test_libvirt_start_failure_undefines_the_domain(driver_conf, make_request):
    driver = _libvirt_driver_failing_start(driver_conf)
    request = make_request(volumes=0)
    with pytest.raises(exception.VirtDriverError) as raised:
        _spawn(driver, request)
    assert 'injected start failure' in raised.value.message
    assert request['instance']['id'] not in driver.list_instance_ids()
    assert request['instance']['id'] not in _libvirt_driver(driver_conf).list_instance_ids()


def test_libvirt_define_failure_is_a_virt_driver_error(driver_conf, make_request):
    driver = _libvirt_driver(driver_conf)
    request = make_request(volumes=0)
    driver._arch = 'no-such-arch'
    with pytest.raises(exception.VirtDriverError):
        _spawn(driver, request)
    assert request['instance']['id'] not in driver.list_instance_ids()


def test_fake_drivers_do_not_share_domains(driver_conf, make_request):
    one, two = fake.FakeDriver(driver_conf), fake.FakeDriver(driver_conf)
    request = make_request(volumes=0)
    _spawn(one, request)
    assert one.list_instance_ids() == [request['instance']['id']]
    assert two.list_instance_ids() == []


def test_loader(driver_conf, monkeypatch):
    driver_conf.set_override('virt_driver', 'fake', group='compute')
    assert isinstance(loader.load_driver(driver_conf), fake.FakeDriver)
    driver_conf.set_override('virt_driver', 'libvirt', group='compute')
    monkeypatch.setattr(loader, 'libvirt_available', lambda: False)
    assert isinstance(loader.load_driver(driver_conf), fake.FakeDriver)
    monkeypatch.undo()
    if loader.libvirt_available():
        from nova_lite.virt.libvirt import driver as libvirt_driver

        assert isinstance(loader.load_driver(driver_conf), libvirt_driver.LibvirtDriver)
    driver_conf.set_override('virt_driver', 'hyper-v', group='compute')
    with pytest.raises(exception.InvalidInput):
        loader.load_driver(driver_conf)


def test_pause_and_suspend(driver, make_request):
    """Nova's pause (frozen in memory) and suspend (memory saved, domain stopped),
    each undone by its inverse, and idempotent, on both drivers."""
    request = make_request(volumes=0)
    instance_id = request['instance']['id']
    _spawn(driver, request)
    driver.pause(instance_id)
    driver.pause(instance_id)
    assert driver.get_power_state(instance_id) == power_state.PAUSED
    driver.unpause(instance_id)
    driver.unpause(instance_id)
    assert driver.get_power_state(instance_id) == power_state.RUNNING
    driver.suspend(instance_id)
    driver.suspend(instance_id)
    assert driver.get_power_state(instance_id) == power_state.SUSPENDED
    driver.resume(instance_id)
    driver.resume(instance_id)
    assert driver.get_power_state(instance_id) == power_state.RUNNING
    driver.destroy(instance_id)
    assert instance_id not in driver.list_instance_ids()
    for operation in (driver.pause, driver.unpause, driver.suspend, driver.resume):
        with pytest.raises(exception.NotFound):
            operation(instance_id)


def test_fake_driver_refuses_to_pause_a_stopped_domain(driver_conf,
                                                        make_request):
    driver = fake.FakeDriver(driver_conf)
    request = make_request(volumes=0)
    instance_id = request['instance']['id']
    _spawn(driver, request)
    driver.power_off(instance_id)
    with pytest.raises(exception.Conflict):
        driver.pause(instance_id)
    assert driver.get_power_state(instance_id) == power_state.SHUTDOWN
