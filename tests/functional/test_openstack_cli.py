"""The unmodified openstack CLI and openstacksdk drive nova-lite-all.

One nova-lite-all process serves the whole module; the tests run in order as a
user would: authenticate, upload an image, create a flavor, a network with a
subnet and a volume, boot with --wait, list, show, stop, start, reboot,
console log, delete; then a boot that fails, a delete while building, the
SDK's create_server(wait=True), keypairs (generated and imported, then
booted with), a server group booted into, the compute admin commands
(services, hypervisors, aggregates and zones, flavor properties and access),
and quotas (a second boot refused at instances=1, the limits), a server
snapshot (server image create --wait), a shelve (offloaded at once) and
unshelve, a volume added to a booted server and removed, boots from volume
(--boot-from-volume, and a mapping with delete_on_termination), and a resize
confirmed, one reverted (of a stopped server) and a rebuild.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator

import pytest

from nova_lite.compute import keypair_keys
from tests.functional import nova_lite_all
from tests.unit.compute.test_keypair_keys import TEMPEST_RSA


@pytest.fixture(scope='module')
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[nova_lite_all.RunningCloud]:
    with nova_lite_all.running_cloud(str(tmp_path_factory.mktemp('cli'))) as running:
        yield running


@pytest.fixture(scope='module')
def image_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp('img') / 'tiny.qcow2')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', path, '64M'], check=True)
    return path


@pytest.fixture(scope='module')
def resources(cloud, image_file) -> dict[str, str]:
    image = cloud.openstack_json('image', 'create', '--disk-format', 'qcow2',
                                 '--container-format', 'bare', '--file', image_file,
                                 '--public', 'cirros')
    flavor = cloud.openstack_json('flavor', 'create', '--ram', '256', '--disk', '1',
                                  '--vcpus', '1', 'tiny')
    network = cloud.openstack_json('network', 'create', 'net1')
    subnet = cloud.openstack_json('subnet', 'create', '--network', 'net1',
                                  '--subnet-range', '10.20.0.0/24', 'sub1')
    volume = cloud.openstack_json('volume', 'create', '--size', '1', 'vol1')
    return {'image': image['id'], 'flavor': flavor['id'], 'network': network['id'],
            'subnet': subnet['id'], 'volume': volume['id']}


def test_token_issue(cloud):
    token = cloud.openstack_json('token', 'issue')
    assert token['id'] and token['project_id'] and token['user_id']


def test_resources_are_created_as_asked(cloud, resources, image_file):
    image = cloud.openstack_json('image', 'show', 'cirros')
    assert image['status'] == 'active' and image['disk_format'] == 'qcow2'
    assert image['size'] == os.path.getsize(image_file)
    subnet = cloud.openstack_json('subnet', 'show', 'sub1')
    assert subnet['gateway_ip'] == '10.20.0.1'
    assert cloud.openstack_json('volume', 'show', 'vol1')['status'] == 'available'
    assert cloud.openstack_json('flavor', 'show', 'tiny')['ram'] == 256


def test_server_lifecycle(cloud, resources):
    server = cloud.openstack_json(
        'server', 'create', '--flavor', 'tiny', '--image', 'cirros', '--network', 'net1',
        '--block-device', f'uuid={resources["volume"]},source_type=volume,'
                          'destination_type=volume', '--wait', 'vm1')
    assert server['status'] == 'ACTIVE'
    shown = cloud.openstack_json('server', 'show', 'vm1')
    assert shown['status'] == 'ACTIVE'
    assert '10.20.0.' in str(shown['addresses'])
    listed = cloud.openstack_json('server', 'list')
    assert [s['Name'] for s in listed] == ['vm1']
    assert listed[0]['Image'] == 'cirros'
    assert cloud.openstack_json('volume', 'show', 'vol1')['status'] == 'in-use'

    cloud.openstack('server', 'stop', 'vm1')
    _wait_status(cloud, 'vm1', 'SHUTOFF')
    cloud.openstack('server', 'start', 'vm1')
    _wait_status(cloud, 'vm1', 'ACTIVE')
    cloud.openstack('server', 'reboot', '--wait', 'vm1')
    assert cloud.openstack_json('server', 'show', 'vm1')['status'] == 'ACTIVE'
    cloud.openstack('console', 'log', 'show', 'vm1')

    cloud.openstack('server', 'delete', '--wait', 'vm1')
    assert cloud.openstack_json('server', 'list') == []
    assert cloud.openstack_json('volume', 'show', 'vol1')['status'] == 'available'
    assert cloud.openstack_json('port', 'list') == []


def test_failed_boot_shows_the_fault(cloud, resources):
    result = cloud.openstack('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                             '--network', 'net1', '--property', 'nova_lite:fail_at=spawn',
                             '--wait', 'broken', check=False)
    assert result.returncode != 0
    shown = cloud.openstack_json('server', 'show', 'broken')
    assert shown['status'] == 'ERROR'
    assert 'fault injected in spawn' in str(shown['fault'])
    cloud.openstack('server', 'delete', '--wait', 'broken')
    assert cloud.openstack_json('port', 'list') == []


def test_delete_while_building(cloud, resources):
    cloud.openstack('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                    '--network', 'net1', '--property', 'nova_lite:delay_at=spawn:15', 'slow')
    assert cloud.openstack_json('server', 'show', 'slow')['status'] == 'BUILD'
    cloud.openstack('server', 'delete', '--wait', 'slow')
    assert cloud.openstack_json('server', 'list') == []
    assert cloud.openstack_json('port', 'list') == []


def test_sdk_create_server_wait(cloud, resources, monkeypatch):
    import openstack

    for key, value in cloud.env().items():
        if key.startswith('OS_'):
            monkeypatch.setenv(key, value)
    conn = openstack.connect(cloud=nova_lite_all.CLOUD)
    server = conn.create_server('sdk-vm', image='cirros', flavor='tiny', network='net1',
                                wait=True, timeout=120)
    assert server.status == 'ACTIVE'
    assert server.addresses['net1'][0]['addr'].startswith('10.20.0.')
    assert conn.delete_server('sdk-vm', wait=True, timeout=120)


def test_keypairs_and_boot_with_key_name(cloud, resources, tmp_path):
    private_file = tmp_path / 'gen.pem'
    generated = cloud.openstack_json('keypair', 'create', '--private-key', str(private_file),
                                     'gen')
    assert generated['name'] == 'gen' and generated['fingerprint'].count(':') == 15
    assert 'PRIVATE KEY' in private_file.read_text()
    public_file = tmp_path / 'key.pub'
    public_file.write_text(TEMPEST_RSA + '\n')
    imported = cloud.openstack_json('keypair', 'create', '--public-key', str(public_file),
                                    'imported')
    assert imported['fingerprint'] == keypair_keys.ssh_fingerprint(TEMPEST_RSA)
    assert {k['Name'] for k in cloud.openstack_json('keypair', 'list')} == {'gen', 'imported'}
    shown = cloud.openstack_json('keypair', 'show', 'imported')
    assert shown['fingerprint'] == imported['fingerprint'] and shown['user_id']
    assert cloud.openstack('keypair', 'show', '--public-key', 'imported').stdout.strip() == (
        TEMPEST_RSA)

    server = cloud.openstack_json('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                                  '--network', 'net1', '--key-name', 'imported', '--wait',
                                  'keyed')
    assert server['key_name'] == 'imported'
    refused = cloud.openstack('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                              '--network', 'net1', '--key-name', 'nope', 'unkeyed',
                              check=False)
    assert refused.returncode != 0 and 'Invalid key_name provided' in refused.stderr
    cloud.openstack('server', 'delete', '--wait', 'keyed')

    cloud.openstack('keypair', 'delete', 'gen', 'imported')
    assert cloud.openstack_json('keypair', 'list') == []
    assert cloud.openstack('keypair', 'show', 'gen', check=False).returncode != 0


def test_quota_refuses_a_second_boot(cloud, resources):
    project = cloud.openstack_json('token', 'issue')['project_id']
    cloud.openstack('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                    '--network', 'net1', '--wait', 'quota1')
    cloud.openstack('quota', 'set', '--instances', '1', project)
    try:
        shown = cloud.openstack_json('quota', 'show', '--compute', project)
        assert {'Resource': 'instances', 'Limit': 1} in shown
        refused = cloud.openstack('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                                  '--network', 'net1', 'quota2', check=False)
        assert refused.returncode != 0
        assert ('Quota exceeded for instances: Requested 1, but already used 1 of 1 '
                'instances') in refused.stderr
        absolute = {row['Name']: row['Value'] for row in
                    cloud.openstack_json('limits', 'show', '--absolute')}
        # openstacksdk's names for maxTotalInstances, totalInstancesUsed, ...
        assert absolute['instances'] == 1 and absolute['instances_used'] == 1
        assert absolute['total_cores_used'] == 1 and absolute['total_ram_used'] == 256
        usage = cloud.openstack_json('usage', 'show', '--start', '2000-01-01')
        assert usage['Project'] == project
        assert 'quota1' in {server['name'] for server in usage['Servers']}
    finally:
        cloud.openstack('quota', 'set', '--instances', '10', project)
        cloud.openstack('server', 'delete', '--wait', 'quota1')
    assert [s['Name'] for s in cloud.openstack_json('server', 'list')] == []


def test_server_image_create_wait(cloud, resources):
    cloud.openstack_json('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                         '--network', 'net1', '--wait', 'snapvm')
    image = cloud.openstack_json('server', 'image', 'create', '--wait', '--name', 'snap1',
                                 'snapvm')
    assert image['name'] == 'snap1'
    shown = cloud.openstack_json('image', 'show', 'snap1')
    assert shown['status'] == 'active' and shown['size'] > 0 and shown['checksum']
    assert shown['properties']['image_type'] == 'snapshot'
    assert cloud.openstack_json('server', 'show', 'snapvm')['status'] == 'ACTIVE'
    cloud.openstack('image', 'delete', 'snap1')
    cloud.openstack('server', 'delete', '--wait', 'snapvm')


def test_server_shelve_and_unshelve(cloud, resources):
    cloud.openstack_json('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                         '--network', 'net1', '--wait', 'shelvevm')
    cloud.openstack('server', 'shelve', 'shelvevm')
    _wait_status(cloud, 'shelvevm', 'SHELVED_OFFLOADED')
    shelved = cloud.openstack_json('image', 'show', 'shelvevm-shelved')
    assert shelved['status'] == 'active' and shelved['size'] > 0
    cloud.openstack('server', 'unshelve', 'shelvevm')
    _wait_status(cloud, 'shelvevm', 'ACTIVE')
    names = [image['Name'] for image in cloud.openstack_json('image', 'list')]
    for _ in range(60):  # the unshelve deletes the shelved image once ACTIVE
        if 'shelvevm-shelved' not in names:
            break
        time.sleep(0.5)
        names = [image['Name'] for image in cloud.openstack_json('image', 'list')]
    assert 'shelvevm-shelved' not in names
    cloud.openstack('server', 'delete', '--wait', 'shelvevm')


def test_server_add_and_remove_volume(cloud, resources):
    cloud.openstack_json('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                         '--network', 'net1', '--wait', 'volvm')
    cloud.openstack('server', 'add', 'volume', 'volvm', 'vol1')
    _wait_volume(cloud, 'vol1', 'in-use')
    attachments = cloud.openstack_json('server', 'volume', 'list', 'volvm')
    assert [a['Volume ID'] for a in attachments] == [resources['volume']]
    cloud.openstack('server', 'remove', 'volume', 'volvm', 'vol1')
    _wait_volume(cloud, 'vol1', 'available')
    assert cloud.openstack_json('server', 'volume', 'list', 'volvm') == []
    cloud.openstack('server', 'delete', '--wait', 'volvm')


def _attached_volume_ids(server: dict) -> list[str]:
    """The ids in ``server show``'s volumes_attached (a list of dicts, or the older
    "id='...'" text)."""
    attached = server['volumes_attached']
    if isinstance(attached, list):
        return [item['id'] for item in attached]
    return [part.split("'")[1] for part in str(attached).split('\n') if "'" in part]


def test_boot_from_volume(cloud, resources):
    """--boot-from-volume: the image is written into a new volume the server boots
    from (no image shown); nova keeps that volume after the delete (it was not
    asked to go), and one mapped with delete_on_termination=true goes with it."""
    server = cloud.openstack_json('server', 'create', '--flavor', 'tiny', '--image',
                                  'cirros', '--boot-from-volume', '1', '--network', 'net1',
                                  '--wait', 'bfvvm')
    assert server['status'] == 'ACTIVE'
    shown = cloud.openstack_json('server', 'show', 'bfvvm')
    assert not shown['image'] or 'volume' in str(shown['image']).lower()
    [volume_id] = _attached_volume_ids(shown)
    volume = cloud.openstack_json('volume', 'show', volume_id)
    assert volume['status'] == 'in-use' and str(volume['bootable']).lower() == 'true'
    assert volume['size'] == 1
    cloud.openstack('server', 'delete', '--wait', 'bfvvm')
    _wait_volume(cloud, volume_id, 'available')
    cloud.openstack('volume', 'delete', volume_id)

    cloud.openstack_json(
        'server', 'create', '--flavor', 'tiny', '--network', 'net1', '--block-device',
        f'uuid={resources["image"]},source_type=image,destination_type=volume,'
        'volume_size=1,boot_index=0,delete_on_termination=true', '--wait', 'bfvvm2')
    [volume_id] = _attached_volume_ids(cloud.openstack_json('server', 'show', 'bfvvm2'))
    cloud.openstack('server', 'delete', '--wait', 'bfvvm2')
    listed = [v['ID'] for v in cloud.openstack_json('volume', 'list')]
    assert volume_id not in listed


def _wait_volume(cloud, name: str, status: str, attempts: int = 60) -> None:
    for _ in range(attempts):
        if cloud.openstack_json('volume', 'show', name)['status'] == status:
            return
        time.sleep(0.5)
    raise AssertionError(f'{name} never became {status}')


def test_server_group_create_boot_show_delete(cloud, resources):
    group = cloud.openstack_json('server', 'group', 'create', '--policy', 'anti-affinity',
                                 'g1')
    assert group['name'] == 'g1' and group['policy'] == 'anti-affinity'
    server = cloud.openstack_json('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                                  '--network', 'net1', '--hint', f'group={group["id"]}',
                                  '--wait', 'grouped')
    shown = cloud.openstack_json('server', 'group', 'show', 'g1')
    assert shown['id'] == group['id'] and server['id'] in str(shown['members'])
    assert 'g1' in {g['Name'] for g in cloud.openstack_json('server', 'group', 'list')}
    refused = cloud.openstack('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                              '--network', 'net1', '--hint', 'group=no-such-group',
                              'ungrouped', check=False)
    assert refused.returncode != 0 and 'os:scheduler_hints.group' in refused.stderr
    cloud.openstack('server', 'delete', '--wait', 'grouped')
    assert cloud.openstack_json('server', 'group', 'show', 'g1')['members'] in ('', [])
    cloud.openstack('server', 'group', 'delete', 'g1')
    assert cloud.openstack('server', 'group', 'show', 'g1', check=False).returncode != 0


def _wait_status(cloud, name: str, status: str, attempts: int = 60) -> None:
    for _ in range(attempts):
        if cloud.openstack_json('server', 'show', name)['status'] == status:
            return
        time.sleep(0.5)
    raise AssertionError(f'{name} never reached {status}')


def test_compute_admin_commands(cloud, resources):
    """Services, hypervisors, hosts, aggregates and zones, flavor properties and access,
    as ``openstack`` (OSC) drives them."""
    services = cloud.openstack_json('compute', 'service', 'list')
    [compute] = [s for s in services if s['Binary'] == 'nova-compute']
    assert compute['Status'] == 'enabled' and compute['State'] == 'up'
    host = compute['Host']
    cloud.openstack('compute', 'service', 'set', '--disable', '--disable-reason', 'drill',
                    host, 'nova-compute')
    [disabled] = cloud.openstack_json('compute', 'service', 'list', '--service',
                                      'nova-compute', '--long')
    assert disabled['Status'] == 'disabled' and disabled['Disabled Reason'] == 'drill'
    cloud.openstack('compute', 'service', 'set', '--enable', host, 'nova-compute')
    [hypervisor] = cloud.openstack_json('hypervisor', 'list')
    assert hypervisor['State'] == 'up'
    assert cloud.openstack_json('hypervisor', 'show', str(hypervisor['ID']))['state'] == 'up'

    cloud.openstack_json('aggregate', 'create', '--zone', 'az-cli', '--property', 'ssd=true',
                         'fast')
    cloud.openstack('aggregate', 'add', 'host', 'fast', host)
    shown = cloud.openstack_json('aggregate', 'show', 'fast')
    assert shown['availability_zone'] == 'az-cli' and shown['hosts'] == [host]
    zones = {z['Zone Name'] for z in cloud.openstack_json('availability', 'zone', 'list')}
    assert 'az-cli' in zones
    cloud.openstack('aggregate', 'remove', 'host', 'fast', host)
    cloud.openstack('aggregate', 'delete', 'fast')

    cloud.openstack('flavor', 'set', '--property', 'hw:cpu_policy=shared', 'tiny')
    assert cloud.openstack_json('flavor', 'show', 'tiny')['properties'] == {
        'hw:cpu_policy': 'shared'}
    cloud.openstack('flavor', 'unset', '--property', 'hw:cpu_policy', 'tiny')
    project = cloud.openstack_json('token', 'issue')['project_id']
    cloud.openstack_json('flavor', 'create', '--private', '--project', project, '--ram', '128',
                         '--disk', '1', 'private-tiny')
    access = cloud.openstack_json('flavor', 'show', 'private-tiny')['access_project_ids']
    assert access == [project]
    cloud.openstack('flavor', 'delete', 'private-tiny')


def _flavor_name(cloud, server: str) -> str:
    flavor = cloud.openstack_json('server', 'show', server)['flavor']
    if isinstance(flavor, dict):  # 2.47 and later: the flavor embedded
        return str(flavor.get('original_name') or flavor.get('name'))
    return str(flavor).split(' ')[0]


def test_server_resize_confirm_revert_and_rebuild(cloud, resources):
    cloud.openstack_json('flavor', 'create', '--ram', '512', '--disk', '2', '--vcpus', '2',
                         'small2')
    cloud.openstack_json('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                         '--network', 'net1', '--wait', 'resizevm')
    cloud.openstack('server', 'resize', '--flavor', 'small2', '--wait', 'resizevm')
    _wait_status(cloud, 'resizevm', 'VERIFY_RESIZE')
    assert _flavor_name(cloud, 'resizevm') == 'small2'
    migrations = cloud.openstack_json('server', 'migration', 'list', '--server', 'resizevm')
    assert [m['Status'] for m in migrations] == ['finished']
    cloud.openstack('server', 'resize', 'confirm', 'resizevm')
    _wait_status(cloud, 'resizevm', 'ACTIVE')
    assert _flavor_name(cloud, 'resizevm') == 'small2'

    refused = cloud.openstack('server', 'resize', '--flavor', 'tiny', 'resizevm',
                              check=False)
    assert refused.returncode != 0 and 'disk' in refused.stderr  # a smaller disk
    assert cloud.openstack_json('server', 'show', 'resizevm')['status'] == 'ACTIVE'
    cloud.openstack('server', 'stop', 'resizevm')
    _wait_status(cloud, 'resizevm', 'SHUTOFF')
    cloud.openstack('flavor', 'create', '--ram', '1024', '--disk', '3', '--vcpus', '2',
                    'medium3')
    cloud.openstack('server', 'resize', '--flavor', 'medium3', 'resizevm')
    _wait_status(cloud, 'resizevm', 'VERIFY_RESIZE')
    cloud.openstack('server', 'resize', 'revert', 'resizevm')
    _wait_status(cloud, 'resizevm', 'SHUTOFF')
    assert _flavor_name(cloud, 'resizevm') == 'small2'

    cloud.openstack('server', 'start', 'resizevm')
    _wait_status(cloud, 'resizevm', 'ACTIVE')
    cloud.openstack('server', 'rebuild', '--image', 'cirros', '--wait', 'resizevm')
    assert cloud.openstack_json('server', 'show', 'resizevm')['status'] == 'ACTIVE'
    actions = cloud.openstack_json('server', 'event', 'list', 'resizevm')
    assert {'resize', 'confirmResize', 'revertResize', 'rebuild'} <= {
        a['Action'] for a in actions}
    cloud.openstack('server', 'delete', '--wait', 'resizevm')
    cloud.openstack('flavor', 'delete', 'small2', 'medium3')
