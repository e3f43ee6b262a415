"""Networks and subnets through the NetworkManager, on the migrated SQLite db."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.network import manager as network_manager

Manager = network_manager.NetworkManager


def test_network_and_subnet_shapes(networks: Manager, member_ctx: Any) -> None:
    net = networks.create_network(member_ctx, name='n1')
    assert net['project_id'] == net['tenant_id'] == 'project-a'
    assert (net['status'], net['admin_state_up'], net['shared'], net['mtu']) == (
        'ACTIVE', True, False, 1500)
    assert net['subnets'] == [] and net['tags'] == []
    assert net['created_at'].endswith('Z')
    subnet = networks.create_subnet(member_ctx, network_id=net['id'], cidr='10.0.0.0/24',
                                     name='s1', dns_nameservers=['8.8.8.8'])
    assert subnet['gateway_ip'] == '10.0.0.1'
    assert subnet['allocation_pools'] == [{'start': '10.0.0.2', 'end': '10.0.0.254'}]
    assert subnet['dns_nameservers'] == ['8.8.8.8']
    for key in ('host_routes', 'service_types', 'tags'):
        assert subnet[key] == []
    assert networks.get_subnet(member_ctx, subnet['id']) == subnet
    assert networks.get_network(member_ctx, net['id'])['subnets'] == [subnet['id']]
    assert [s['id'] for s in networks.list_subnets(member_ctx, network_id=net['id'])] == [
        subnet['id']]
    assert [n['id'] for n in networks.list_networks(member_ctx, name='n1')] == [net['id']]
    assert networks.list_networks(member_ctx, name='other') == []
    assert [n['id'] for n in networks.list_networks(member_ctx, ids=[net['id']])] == [
        net['id']]


def test_explicit_pools_gateway_and_no_gateway(networks: Manager, member_ctx: Any) -> None:
    net = networks.create_network(member_ctx)
    subnet = networks.create_subnet(
        member_ctx, net['id'], '192.168.0.0/24', gateway_ip='192.168.0.254',
        allocation_pools=[{'start': '192.168.0.100', 'end': '192.168.0.120'}])
    assert subnet['gateway_ip'] == '192.168.0.254'
    assert subnet['allocation_pools'] == [{'start': '192.168.0.100', 'end': '192.168.0.120'}]
    bare = networks.create_subnet(member_ctx, net['id'], '192.168.1.0/30', no_gateway=True)
    assert bare['gateway_ip'] is None
    assert bare['allocation_pools'] == [{'start': '192.168.1.1', 'end': '192.168.1.2'}]


def _bad_subnet_calls(network_id: str) -> list[tuple[str, dict[str, Any]]]:
    good: dict[str, Any] = {'network_id': network_id, 'cidr': '10.9.0.0/24'}
    return [
        ('cidr', dict(good, cidr='10.9.0.1/24')),
        ('cidr', dict(good, cidr='10.9.0.0/31')),
        ('cidr', dict(good, cidr='10.9.0.0/32')),
        ('cidr', dict(good, cidr='not-a-cidr')),
        ('cidr', dict(good, cidr=24)),
        ('ip_version', dict(good, cidr='2001:db8::/64')),
        ('ip_version', dict(good, ip_version=7)),
        ('gateway_ip', dict(good, gateway_ip='10.8.0.1')),
        ('gateway_ip', dict(good, gateway_ip='10.9.0.1', no_gateway=True)),
        ('allocation_pools.0', dict(good, allocation_pools=[
            {'start': '10.9.0.1', 'end': '10.9.0.9'}])),
        ('allocation_pools.0.end', dict(good, allocation_pools=[
            {'start': '10.9.0.2', 'end': '10.9.1.9'}])),
        ('name', dict(good, name=5)),
        ('name', dict(good, name='x' * 256)),
        ('enable_dhcp', dict(good, enable_dhcp='yes')),
        ('dns_nameservers', dict(good, dns_nameservers='8.8.8.8')),
        ('dns_nameservers.1', dict(good, dns_nameservers=['8.8.8.8', '8.8.8.8'])),
        ('dns_nameservers.0', dict(good, dns_nameservers=['dns.example'])),
    ]


def test_bad_subnets_are_400_naming_the_field_and_write_nothing(
        networks: Manager, member_ctx: Any, row_counts: Any) -> None:
    net = networks.create_network(member_ctx)
    networks.create_subnet(member_ctx, net['id'], '10.0.0.0/24')
    before = row_counts()
    for field, kwargs in _bad_subnet_calls(net['id']):
        with pytest.raises(exception.InvalidInput) as caught:
            networks.create_subnet(member_ctx, **kwargs)
        assert caught.value.code == 400
        assert f"'{field}'" in caught.value.message, (field, caught.value.message)
    assert row_counts() == before


def test_an_overlapping_subnet_is_refused_in_neutron_s_words(
        networks: Manager, member_ctx: Any, row_counts: Any) -> None:
    net = networks.create_network(member_ctx)
    networks.create_subnet(member_ctx, net['id'], '10.0.0.0/24')
    before = row_counts()
    for cidr in ('10.0.0.128/25', '10.0.0.0/24', '10.0.0.0/16'):
        with pytest.raises(exception.InvalidInput) as caught:
            networks.create_subnet(member_ctx, net['id'], cidr)
        assert caught.value.code == 400
        assert caught.value.message == (
            f'Invalid input for operation: Requested subnet with cidr: {cidr} for network: '
            f"{net['id']} overlaps with another subnet.")
    assert row_counts() == before
    networks.create_subnet(member_ctx, net['id'], '10.0.1.0/24')  # the next one is free


def test_host_bits_message_names_the_network(networks: Manager, member_ctx: Any) -> None:
    net = networks.create_network(member_ctx)
    with pytest.raises(exception.InvalidInput, match='host bits set; the network is '
                                                     '10.0.0.0/24'):
        networks.create_subnet(member_ctx, net['id'], '10.0.0.1/24')


def test_same_cidr_on_other_networks_is_fine(networks: Manager, member_ctx: Any) -> None:
    for _ in range(2):
        net = networks.create_network(member_ctx)
        networks.create_subnet(member_ctx, net['id'], '10.0.0.0/24')
        networks.create_subnet(member_ctx, net['id'], '2001:db8::/64', ip_version=6)


@pytest.mark.parametrize('kwargs, field', [
    ({'name': None}, 'name'), ({'mtu': 10}, 'mtu'), ({'mtu': '1500'}, 'mtu'),
    ({'admin_state_up': 'true'}, 'admin_state_up'), ({'shared': 1}, 'shared')])
def test_bad_networks(networks: Manager, member_ctx: Any, row_counts: Any,
                      kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(exception.InvalidInput, match=f"'{field}'"):
        networks.create_network(member_ctx, **kwargs)
    assert row_counts()['networks'] == 0


def test_sharing_is_left_to_the_api_policy(networks: Manager, member_ctx: Any) -> None:
    """Only admins share by default, but that is the policy rule create_network:shared
    (tests/unit/network_rest/test_access.py), which a policy file may loosen."""
    shared = networks.create_network(member_ctx, shared=True)
    assert shared['shared'] is True
    assert networks.update_network(member_ctx, shared['id'], shared=False)['shared'] is False


def test_other_projects_resources_are_404(networks: Manager, member_ctx: Any,
                                          other_ctx: Any, admin_ctx: Any) -> None:
    net = networks.create_network(member_ctx)
    subnet = networks.create_subnet(member_ctx, net['id'], '10.0.0.0/24')
    port = networks.create_port(member_ctx, net['id'])
    calls = [
        lambda: networks.get_network(other_ctx, net['id']),
        lambda: networks.delete_network(other_ctx, net['id']),
        lambda: networks.get_subnet(other_ctx, subnet['id']),
        lambda: networks.delete_subnet(other_ctx, subnet['id']),
        lambda: networks.create_subnet(other_ctx, net['id'], '10.1.0.0/24'),
        lambda: networks.create_port(other_ctx, net['id']),
        lambda: networks.get_port(other_ctx, port['id']),
        lambda: networks.update_port(other_ctx, port['id'], name='mine'),
        lambda: networks.delete_port(other_ctx, port['id']),
    ]
    for call in calls:
        with pytest.raises(exception.NotFound) as caught:
            call()
        assert caught.value.code == 404
    assert networks.list_networks(other_ctx) == []
    assert networks.list_subnets(other_ctx) == []
    assert networks.list_ports(other_ctx) == []
    # The admin sees everything; the owner still has it all, untouched.
    assert networks.get_port(admin_ctx, port['id'])['name'] == ''
    assert len(networks.list_ports(admin_ctx)) == 1
    assert networks.get_network(member_ctx, net['id'])['subnets'] == [subnet['id']]


@pytest.mark.parametrize('bad_id', ['not-a-uuid', '', None, 42, str(uuid.uuid4())])
def test_malformed_or_unknown_ids_are_404(networks: Manager, member_ctx: Any,
                                          bad_id: Any) -> None:
    for call in (networks.get_network, networks.delete_network, networks.get_subnet,
                 networks.delete_subnet, networks.get_port, networks.delete_port):
        with pytest.raises(exception.NotFound):
            call(member_ctx, bad_id)
    with pytest.raises(exception.NotFound):
        networks.create_subnet(member_ctx, bad_id, '10.0.0.0/24')
    with pytest.raises(exception.NotFound):
        networks.create_port(member_ctx, bad_id)
    networks.delete_port(member_ctx, bad_id, ignore_missing=True)


def test_shared_network_is_visible_but_not_changeable(networks: Manager, admin_ctx: Any,
                                                      member_ctx: Any) -> None:
    net = networks.create_network(admin_ctx, name='public', shared=True)
    subnet = networks.create_subnet(admin_ctx, net['id'], '203.0.113.0/24')
    assert [n['id'] for n in networks.list_networks(member_ctx)] == [net['id']]
    assert networks.get_subnet(member_ctx, subnet['id'])['cidr'] == '203.0.113.0/24'
    port = networks.create_port(member_ctx, net['id'])
    assert port['project_id'] == 'project-a'
    assert port['fixed_ips'][0]['subnet_id'] == subnet['id']
    with pytest.raises(exception.Forbidden):
        networks.delete_network(member_ctx, net['id'])
    with pytest.raises(exception.Forbidden):
        networks.delete_subnet(member_ctx, subnet['id'])
    with pytest.raises(exception.Forbidden):
        networks.create_subnet(member_ctx, net['id'], '198.51.100.0/24')


def test_delete_network_with_instance_ports_is_409(networks: Manager, member_ctx: Any,
                                                  row_counts: Any) -> None:
    net = networks.create_network(member_ctx)
    networks.create_subnet(member_ctx, net['id'], '10.0.0.0/24')
    vm_port = networks.create_port(member_ctx, net['id'], device_id=str(uuid.uuid4()),
                                   device_owner='compute:nova')
    user_port = networks.create_port(member_ctx, net['id'])
    before = row_counts()
    with pytest.raises(exception.Conflict) as caught:
        networks.delete_network(member_ctx, net['id'])
    assert caught.value.code == 409
    assert vm_port['id'] in caught.value.message
    assert 'still in use on the network' in caught.value.message
    assert row_counts() == before
    networks.delete_port(member_ctx, vm_port['id'])
    # As in neutron, a port a user made blocks the delete too.
    with pytest.raises(exception.Conflict) as caught:
        networks.delete_network(member_ctx, net['id'])
    assert user_port['id'] in caught.value.message
    networks.delete_port(member_ctx, user_port['id'])
    networks.delete_network(member_ctx, net['id'])
    assert row_counts() == dict.fromkeys(before, 0)
    with pytest.raises(exception.NotFound):
        networks.get_network(member_ctx, net['id'])


def test_delete_subnet_with_allocations_is_409(networks: Manager, member_ctx: Any,
                                              row_counts: Any) -> None:
    net = networks.create_network(member_ctx)
    subnet = networks.create_subnet(member_ctx, net['id'], '10.0.0.0/24')
    port = networks.create_port(member_ctx, net['id'])
    with pytest.raises(exception.Conflict, match='1 IP address'):
        networks.delete_subnet(member_ctx, subnet['id'])
    networks.delete_port(member_ctx, port['id'])
    networks.delete_subnet(member_ctx, subnet['id'])
    assert networks.get_network(member_ctx, net['id'])['subnets'] == []
    assert row_counts()['allocation_pools'] == 0
