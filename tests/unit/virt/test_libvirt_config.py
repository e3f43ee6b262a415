"""libvirt.xml rendering: the elements a spawn request turns into, and schema validity."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from nova_lite.common import exception
from nova_lite.virt.libvirt import config

NS = {'nl': config.NOVA_LITE_NS}


def _guest(request: dict, **overrides: object) -> config.GuestConfig:
    kwargs = {'disk_path': '/var/lib/nova_lite/instances/x/disk', 'disk_format': 'qcow2',
              'domain_type': 'kvm', 'arch': 'x86_64',
              'console_log': '/var/lib/nova_lite/instances/x/console.log'}
    kwargs.update(overrides)
    return config.guest_config_for(request['instance'], request['flavor'], request['image'],
                                   request['network_info'], request['block_devices'],
                                   **kwargs)


def test_domain_elements(make_request):
    request = make_request(volumes=2, ports=2)
    root = ET.fromstring(_guest(request).to_xml())
    instance_id = request['instance']['id']

    assert root.tag == 'domain' and root.get('type') == 'kvm'
    assert root.findtext('name') == f'instance-{instance_id}'
    assert root.findtext('uuid') == instance_id
    assert root.findtext('memory') == str(512 * 1024)
    assert root.find('memory').get('unit') == 'KiB'
    assert root.findtext('vcpu') == '2'
    os_type = root.find('os/type')
    assert (os_type.text, os_type.get('arch')) == ('hvm', 'x86_64')

    disks = root.findall('devices/disk')
    assert [d.find('target').get('dev') for d in disks] == ['vda', 'vdb', 'vdc']
    assert {d.find('target').get('bus') for d in disks} == {'virtio'}
    assert disks[0].find('source').get('file') == '/var/lib/nova_lite/instances/x/disk'
    assert disks[0].find('driver').get('type') == 'qcow2'
    for disk, bdm in zip(disks[1:], request['block_devices'], strict=True):
        assert disk.get('type') == 'file' and disk.get('device') == 'disk'
        assert disk.find('source').get('file') == bdm['connection_info']['data']['device_path']
        assert disk.find('driver').get('type') == 'raw'
        assert disk.findtext('serial') == bdm['volume_id']

    interfaces = root.findall('devices/interface')
    assert [i.find('mac').get('address') for i in interfaces] == [
        vif['mac_address'] for vif in request['network_info']]
    for interface, vif in zip(interfaces, request['network_info'], strict=True):
        assert interface.get('type') == 'ethernet'
        assert interface.find('model').get('type') == 'virtio'
        assert interface.find('target').get('dev') == 'tap' + vif['port_id'][:11]

    assert root.find('devices/serial').get('type') == 'pty'
    assert root.find('devices/serial/log').get('file').endswith('console.log')
    assert root.find('devices/console/target').get('type') == 'serial'


def test_metadata(make_request):
    request = make_request(volumes=0, ports=1)
    root = ET.fromstring(_guest(request).to_xml())
    meta = root.find('metadata/nl:instance', NS)
    assert meta is not None
    assert meta.findtext('nl:name', namespaces=NS) == 'vm-1'
    flavor = meta.find('nl:flavor', NS)
    assert flavor.get('name') == 'm1.small'
    assert [flavor.findtext(f'nl:{tag}', namespaces=NS)
            for tag in ('vcpus', 'memory', 'disk')] == ['2', '512', '1']
    assert meta.find('nl:owner/nl:user', NS).get('uuid') == 'user-a'
    assert meta.find('nl:owner/nl:project', NS).get('uuid') == 'project-a'
    assert meta.find('nl:root', NS).get('uuid') == 'image-1'
    port = meta.find('nl:ports/nl:port', NS)
    assert port.get('uuid') == request['network_info'][0]['port_id']
    assert port.find('nl:ip', NS).get('address') == '10.0.0.3'


@pytest.mark.parametrize('domain_type,arch', [('kvm', 'x86_64'), ('qemu', 'aarch64'),
                                              ('test', 'i686')])
def test_xml_passes_virt_xml_validate(make_request, tmp_path, domain_type, arch):
    if not (shutil.which('virt-xml-validate') and shutil.which('xmllint')):
        pytest.skip('virt-xml-validate (and its xmllint) are not installed')
    path = tmp_path / 'libvirt.xml'
    path.write_text(_guest(make_request(volumes=2, ports=2), domain_type=domain_type,
                           arch=arch).to_xml())
    result = subprocess.run(['virt-xml-validate', str(path), 'domain'], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr


def test_volumes_without_mountpoint_take_the_next_free_devices(make_request):
    request = make_request(volumes=2, ports=0)
    for bdm in request['block_devices']:
        del bdm['mountpoint']
    disks = _guest(request).disks
    assert [d.target_dev for d in disks] == ['vda', 'vdb', 'vdc']


@pytest.mark.parametrize('mutate,field', [
    (lambda r: r['network_info'][0].update(mac_address='not-a-mac'),
     'network_info[0].mac_address'),
    (lambda r: r['network_info'][0].pop('port_id'), 'network_info[0].port_id'),
    (lambda r: r.update(network_info='eth0'), 'network_info'),
    (lambda r: r['block_devices'][0]['connection_info'].update(driver_volume_type='iscsi'),
     'block_devices[0].connection_info.driver_volume_type'),
    (lambda r: r['block_devices'][0]['connection_info']['data'].update(device_path='rel'),
     'block_devices[0].connection_info.data.device_path'),
    (lambda r: r['block_devices'][0].update(mountpoint='/dev/vda'),
     'block_devices[0].mountpoint'),
    (lambda r: r['flavor'].update(vcpus=0), 'flavor.vcpus'),
    (lambda r: r['flavor'].update(memory_mb='512'), 'flavor.memory_mb'),
    (lambda r: r['instance'].pop('name'), 'instance.name'),
])
def test_bad_request_fields_are_named(make_request, mutate, field):
    request = make_request()
    mutate(request)
    with pytest.raises(exception.InvalidInput) as raised:
        _guest(request)
    assert raised.value.code == 400
    assert field in raised.value.message


def _boot_volume_request(make_request) -> dict:
    """A volume-backed spawn: the first volume is the boot volume (vda)."""
    request = make_request(volumes=2, ports=1)
    request['block_devices'][0].update(mountpoint='/dev/vda', boot_index=0)
    request['image'] = {}
    return request


def test_a_boot_volume_is_vda_first_in_the_boot_order_with_no_local_disk(make_request):
    request = _boot_volume_request(make_request)
    guest = _guest(request, disk_path='', disk_format='raw')
    assert [(d.target_dev, d.boot_order) for d in guest.disks] == [('vda', 1), ('vdc', None)]
    boot_path = request['block_devices'][0]['connection_info']['data']['device_path']
    assert guest.disks[0].source_path == boot_path
    root = ET.fromstring(guest.to_xml())
    assert root.find('os/boot') is None  # libvirt allows one kind of boot order
    [boot] = root.findall('devices/disk/boot')
    assert boot.get('order') == '1'
    assert all('/instances/' not in d.find('source').get('file')
               for d in root.findall('devices/disk'))


def test_a_boot_volume_xml_passes_virt_xml_validate(make_request, tmp_path):
    if not (shutil.which('virt-xml-validate') and shutil.which('xmllint')):
        pytest.skip('virt-xml-validate (and its xmllint) are not installed')
    path = tmp_path / 'libvirt.xml'
    path.write_text(_guest(_boot_volume_request(make_request), disk_path='',
                           disk_format='raw').to_xml())
    result = subprocess.run(['virt-xml-validate', str(path), 'domain'], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
