"""The openstack CLI builds a devstack-like layout and takes it down: an external
network ``public``, ``router1`` with a gateway on it, a project network
``private`` behind it, a security group allowing SSH and ICMP, a server in it
with a floating IP, a volume snapshot and a volume made from it; nothing is
left after and the orphan audit finds nothing."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.functional import nova_lite_all


@pytest.fixture(scope='module')
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[nova_lite_all.RunningCloud]:
    with nova_lite_all.running_cloud(str(tmp_path_factory.mktemp('cli-l3'))) as running:
        yield running


@pytest.fixture(scope='module')
def image_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp('img') / 'tiny.qcow2')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', path, '64M'], check=True)
    return path


def _wait_snapshot_available(cloud: nova_lite_all.RunningCloud, name: str) -> dict:
    deadline = time.monotonic() + 60
    while (snapshot := cloud.openstack_json('volume', 'snapshot', 'show', name))[
            'status'] != 'available':
        assert snapshot['status'] in ('creating', 'available'), snapshot
        assert time.monotonic() < deadline, 'the snapshot never became available'
        time.sleep(0.5)
    return snapshot


def _assert_audit_clean(cloud: nova_lite_all.RunningCloud) -> None:
    audit = cloud.manage_result('audit')
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert '0 orphan(s)' in audit.stdout


def test_public_router_private_server_floating_ip_and_teardown(cloud, image_file) -> None:
    cloud.openstack_json('image', 'create', '--disk-format', 'qcow2', '--container-format',
                         'bare', '--file', image_file, '--public', 'cirros')
    cloud.openstack_json('flavor', 'create', '--ram', '256', '--disk', '1', '--vcpus', '1',
                         'tiny')
    public = cloud.openstack_json('network', 'create', '--external', 'public')
    assert public['router:external'] is True
    cloud.openstack_json('subnet', 'create', '--network', 'public', '--subnet-range',
                         '172.24.4.0/24', '--no-dhcp', 'public-subnet')
    cloud.openstack_json('network', 'create', 'private')
    cloud.openstack_json('subnet', 'create', '--network', 'private', '--subnet-range',
                         '10.30.0.0/24', 'private-subnet')
    cloud.openstack_json('router', 'create', 'router1')
    cloud.openstack('router', 'set', '--external-gateway', 'public', 'router1')
    cloud.openstack('router', 'add', 'subnet', 'router1', 'private-subnet')
    router = cloud.openstack_json('router', 'show', 'router1')
    assert router['external_gateway_info']['network_id'] == public['id']
    interfaces = cloud.openstack_json('port', 'list', '--router', 'router1', '--long')
    assert {p['Device Owner'] for p in interfaces} == {'network:router_gateway',
                                                       'network:router_interface'}

    group = cloud.openstack_json('security', 'group', 'create', '--description',
                                 'ssh and ping', 'ssh-icmp')
    cloud.openstack_json('security', 'group', 'rule', 'create', '--protocol', 'tcp',
                         '--dst-port', '22', 'ssh-icmp')
    cloud.openstack_json('security', 'group', 'rule', 'create', '--protocol', 'icmp',
                         'ssh-icmp')
    rules = cloud.openstack_json('security', 'group', 'rule', 'list', 'ssh-icmp')
    ingress = {(r['IP Protocol'], r['Port Range']) for r in rules
               if r['Direction'] == 'ingress'}
    assert ingress == {('tcp', '22:22'), ('icmp', '')}, rules

    server = cloud.openstack_json('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                                  '--network', 'private', '--security-group', 'ssh-icmp',
                                  '--wait', 'vm1')
    assert server['status'] == 'ACTIVE'
    shown_server = cloud.openstack_json('server', 'show', 'vm1')
    assert 'ssh-icmp' in str(shown_server['security_groups']), shown_server
    [server_port] = cloud.openstack_json('port', 'list', '--server', 'vm1', '--long')
    assert group['id'] in str(server_port['Security Groups']), server_port
    fip = cloud.openstack_json('floating', 'ip', 'create', 'public')
    address = fip['floating_ip_address']
    assert address.startswith('172.24.4.')
    cloud.openstack('server', 'add', 'floating', 'ip', 'vm1', address)
    shown = cloud.openstack_json('floating', 'ip', 'show', address)
    assert shown['status'] == 'ACTIVE' and shown['router_id'] == router['id']
    assert shown['fixed_ip_address'].startswith('10.30.0.')
    # The router cannot lose the interface the floating IP uses.
    refused = cloud.openstack('router', 'remove', 'subnet', 'router1', 'private-subnet',
                              check=False)
    assert refused.returncode != 0

    cloud.openstack('server', 'remove', 'floating', 'ip', 'vm1', address)
    assert cloud.openstack_json('floating', 'ip', 'show', address)['port_id'] is None
    cloud.openstack('server', 'add', 'floating', 'ip', 'vm1', address)
    cloud.openstack('server', 'delete', '--wait', 'vm1')
    # As with neutron: the server's port went, the address stays allocated, unassociated.
    left = cloud.openstack_json('floating', 'ip', 'show', address)
    assert left['port_id'] is None and left['status'] == 'DOWN'
    cloud.openstack('floating', 'ip', 'delete', address)
    cloud.openstack('security', 'group', 'delete', 'ssh-icmp')  # no port uses it now
    cloud.openstack('router', 'remove', 'subnet', 'router1', 'private-subnet')
    cloud.openstack('router', 'delete', 'router1')
    for kind, name in (('subnet', 'private-subnet'), ('network', 'private'),
                       ('subnet', 'public-subnet'), ('network', 'public')):
        cloud.openstack(kind, 'delete', name)
    for listing in (('router', 'list'), ('floating', 'ip', 'list'), ('port', 'list'),
                    ('network', 'list'), ('server', 'list')):
        assert cloud.openstack_json(*listing) == [], listing
    groups = cloud.openstack_json('security', 'group', 'list')
    assert [g['Name'] for g in groups] == ['default'], groups
    _assert_audit_clean(cloud)


def test_volume_snapshot_volume_from_it_and_teardown(cloud) -> None:
    """The same cloud's volumes: a snapshot, a volume made from it, deleted in order."""
    volume = cloud.openstack_json('volume', 'create', '--size', '1', 'vol1')
    assert volume['status'] == 'available'
    cloud.openstack_json('volume', 'snapshot', 'create', '--volume', 'vol1', 'vol1-snap')
    snapshot = _wait_snapshot_available(cloud, 'vol1-snap')
    assert snapshot['volume_id'] == volume['id']
    restored = cloud.openstack_json('volume', 'create', '--snapshot', 'vol1-snap', 'vol2')
    assert restored['snapshot_id'] == snapshot['id']
    assert cloud.openstack_json('volume', 'show', 'vol2')['status'] == 'available'
    # The volume made from the snapshot, then the snapshot, then its volume.
    cloud.openstack('volume', 'delete', 'vol2')
    cloud.openstack('volume', 'snapshot', 'delete', 'vol1-snap')
    cloud.openstack('volume', 'delete', 'vol1')
    for listing in (('volume', 'list'), ('volume', 'snapshot', 'list')):
        assert cloud.openstack_json(*listing) == [], listing
    _assert_audit_clean(cloud)
