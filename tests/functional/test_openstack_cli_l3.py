"""The openstack CLI builds a devstack-like layout and takes it down: an external
network ``public``, ``router1`` with a gateway on it, a project network
``private`` behind it, a server with a floating IP; nothing is left after."""

from __future__ import annotations

import subprocess
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


def test_public_router_private_server_floating_ip_and_teardown(cloud, image_file):
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

    server = cloud.openstack_json('server', 'create', '--flavor', 'tiny', '--image', 'cirros',
                                  '--network', 'private', '--wait', 'vm1')
    assert server['status'] == 'ACTIVE'
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
    cloud.openstack('router', 'remove', 'subnet', 'router1', 'private-subnet')
    cloud.openstack('router', 'delete', 'router1')
    for kind, name in (('subnet', 'private-subnet'), ('network', 'private'),
                       ('subnet', 'public-subnet'), ('network', 'public')):
        cloud.openstack(kind, 'delete', name)
    for listing in (('router', 'list'), ('floating', 'ip', 'list'), ('port', 'list'),
                    ('network', 'list'), ('server', 'list')):
        assert cloud.openstack_json(*listing) == [], listing
