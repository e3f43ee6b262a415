"""Ports: MACs, fixed IPs, exhaustion, conflicts, updates and freeing of addresses."""

from __future__ import annotations

import ipaddress
import re
import uuid
from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.network import manager as network_manager

Manager = network_manager.NetworkManager


@pytest.fixture
def net(networks: Manager, member_ctx: Any) -> dict[str, Any]:
    return networks.create_network(member_ctx, name='net')


def test_port_lifecycle_frees_its_ip(networks: Manager, member_ctx: Any,
                                     net: dict[str, Any], row_counts: Any) -> None:
    subnet = networks.create_subnet(member_ctx, net['id'], '10.0.0.0/29')
    port = networks.create_port(member_ctx, net['id'], name='p1')
    assert re.fullmatch(r'fa:16:3e(:[0-9a-f]{2}){3}', port['mac_address'])
    assert port['status'] == 'DOWN' and port['admin_state_up'] is True
    assert len(port['security_groups']) == 1 and port['tags'] == []  # the default group
    assert port['port_security_enabled'] is True
    assert port['binding:host_id'] == '' and port['device_id'] == ''
    [fixed] = port['fixed_ips']
    assert fixed['subnet_id'] == subnet['id']
    assert ipaddress.ip_address(fixed['ip_address']) in ipaddress.ip_network('10.0.0.0/29')
    assert fixed['ip_address'] not in ('10.0.0.0', '10.0.0.1', '10.0.0.7')
    assert networks.get_port(member_ctx, port['id']) == port
    assert row_counts()['ip_allocations'] == 1
    networks.delete_port(member_ctx, port['id'])
    assert row_counts()['ip_allocations'] == 0
    with pytest.raises(exception.NotFound):
        networks.get_port(member_ctx, port['id'])
    with pytest.raises(exception.NotFound):
        networks.delete_port(member_ctx, port['id'])
    networks.delete_port(member_ctx, port['id'], ignore_missing=True)
    again = networks.create_port(member_ctx, net['id'],
                                 fixed_ips=[{'ip_address': fixed['ip_address']}])
    assert again['fixed_ips'] == [fixed]


def test_exhausting_a_29(networks: Manager, member_ctx: Any, net: dict[str, Any],
                         row_counts: Any) -> None:
    # 8 addresses - network - broadcast - gateway = 5 for ports: .2 to .6
    networks.create_subnet(member_ctx, net['id'], '10.0.0.0/29')
    ports = [networks.create_port(member_ctx, net['id']) for _ in range(5)]
    addresses = sorted(p['fixed_ips'][0]['ip_address'] for p in ports)
    assert addresses == [f'10.0.0.{i}' for i in range(2, 7)]
    before = row_counts()
    with pytest.raises(exception.IpAddressExhausted) as caught:
        networks.create_port(member_ctx, net['id'], name='one too many')
    assert caught.value.code == 409
    assert net['id'] in caught.value.message
    assert row_counts() == before
    assert networks.list_ports(member_ctx, name='one too many') == []
    # Freeing one address makes exactly that one available again.
    networks.delete_port(member_ctx, ports[2]['id'])
    assert networks.create_port(member_ctx, net['id'])['fixed_ips'] == ports[2]['fixed_ips']


def test_default_allocation_moves_on_to_the_next_ipv4_subnet(
        networks: Manager, member_ctx: Any, net: dict[str, Any]) -> None:
    first = networks.create_subnet(member_ctx, net['id'], '10.0.0.0/30')
    networks.create_subnet(member_ctx, net['id'], '2001:db8::/64', ip_version=6)
    second = networks.create_subnet(member_ctx, net['id'], '10.0.1.0/30')
    a = networks.create_port(member_ctx, net['id'])
    b = networks.create_port(member_ctx, net['id'])
    assert a['fixed_ips'] == [{'subnet_id': first['id'], 'ip_address': '10.0.0.2'}]
    assert b['fixed_ips'] == [{'subnet_id': second['id'], 'ip_address': '10.0.1.2'}]
    with pytest.raises(exception.IpAddressExhausted):
        networks.create_port(member_ctx, net['id'])


def test_network_without_subnets_gives_ports_without_ips(
        networks: Manager, member_ctx: Any, net: dict[str, Any]) -> None:
    assert networks.create_port(member_ctx, net['id'])['fixed_ips'] == []


def test_explicit_fixed_ips(networks: Manager, member_ctx: Any, net: dict[str, Any]) -> None:
    v4 = networks.create_subnet(member_ctx, net['id'], '10.0.0.0/24',
                                allocation_pools=[{'start': '10.0.0.10', 'end': '10.0.0.20'}])
    v6 = networks.create_subnet(member_ctx, net['id'], '2001:db8::/64', ip_version=6)
    port = networks.create_port(member_ctx, net['id'], fixed_ips=[
        {'ip_address': '10.0.0.200'}, {'subnet_id': v6['id']},
        {'subnet_id': v4['id'], 'ip_address': '10.0.0.5'}])
    v6_ip = port['fixed_ips'].pop()
    assert port['fixed_ips'] == [
        {'subnet_id': v4['id'], 'ip_address': '10.0.0.5'},
        {'subnet_id': v4['id'], 'ip_address': '10.0.0.200'}]
    # Any address is picked among the lowest free ones of the pool, at random.
    assert v6_ip['subnet_id'] == v6['id']
    assert 2 <= int(ipaddress.ip_address(v6_ip['ip_address'])) & 0xffff <= 17
    assert networks.create_port(member_ctx, net['id'], fixed_ips=[])['fixed_ips'] == []


def test_fixed_ip_conflict_names_the_ip(networks: Manager, member_ctx: Any,
                                        net: dict[str, Any], row_counts: Any) -> None:
    networks.create_subnet(member_ctx, net['id'], '10.0.0.0/24')
    networks.create_port(member_ctx, net['id'], fixed_ips=[{'ip_address': '10.0.0.50'}])
    before = row_counts()
    with pytest.raises(exception.Conflict) as caught:
        networks.create_port(member_ctx, net['id'], fixed_ips=[
            {'ip_address': '10.0.0.51'}, {'ip_address': '10.0.0.50'}])
    assert caught.value.code == 409
    assert '10.0.0.50' in caught.value.message
    assert 'fixed_ips.1.ip_address' in caught.value.message
    assert row_counts() == before


def test_bad_port_requests_are_4xx_naming_the_field(
        networks: Manager, member_ctx: Any, other_ctx: Any, net: dict[str, Any],
        row_counts: Any) -> None:
    subnet = networks.create_subnet(member_ctx, net['id'], '10.0.0.0/24')
    elsewhere = networks.create_network(member_ctx)
    foreign = networks.create_subnet(member_ctx, elsewhere['id'], '10.5.0.0/24')
    networks.create_port(member_ctx, net['id'], mac_address='fa:16:3e:00:00:01')
    before = row_counts()
    cases: list[tuple[str, dict[str, Any]]] = [
        ('name', {'name': 7}),
        ('device_id', {'device_id': None}),
        ('device_owner', {'device_owner': 'x' * 300}),
        ('binding_host_id', {'binding_host_id': ['h']}),
        ('admin_state_up', {'admin_state_up': 'no'}),
        ('mac_address', {'mac_address': 'fa:16:3e'}),
        ('mac_address', {'mac_address': 'ff:ff:ff:ff:ff:ff'}),
        ('fixed_ips', {'fixed_ips': {'ip_address': '10.0.0.3'}}),
        ('fixed_ips.0', {'fixed_ips': ['10.0.0.3']}),
        ('fixed_ips.0', {'fixed_ips': [{}]}),
        ('fixed_ips.0.mac', {'fixed_ips': [{'mac': 'x'}]}),
        ('fixed_ips.0.ip_address', {'fixed_ips': [{'ip_address': '10.0.0.999'}]}),
        ('fixed_ips.0.ip_address', {'fixed_ips': [{'ip_address': '10.0.0.0'}]}),
        ('fixed_ips.0.ip_address', {'fixed_ips': [{'ip_address': '10.0.0.1'}]}),
        ('fixed_ips.0.ip_address', {'fixed_ips': [{'ip_address': '10.0.0.255'}]}),
        ('fixed_ips.0.ip_address', {'fixed_ips': [{'ip_address': '10.7.0.3'}]}),
        ('fixed_ips.0.ip_address', {'fixed_ips': [{'ip_address': 3}]}),
        ('fixed_ips.0.ip_address', {'fixed_ips': [{'subnet_id': subnet['id'],
                                                   'ip_address': '10.5.0.3'}]}),
        ('fixed_ips.0.subnet_id', {'fixed_ips': [{'subnet_id': foreign['id']}]}),
        ('fixed_ips.0.subnet_id', {'fixed_ips': [{'subnet_id': 'nope'}]}),
        ('fixed_ips.1.ip_address', {'fixed_ips': [{'ip_address': '10.0.0.3'},
                                                  {'ip_address': '10.0.0.3'}]}),
    ]
    for field, kwargs in cases:
        with pytest.raises(exception.InvalidInput) as caught:
            networks.create_port(member_ctx, net['id'], **kwargs)
        assert caught.value.code == 400
        assert f"'{field}'" in caught.value.message, (field, caught.value.message)
    with pytest.raises(exception.Conflict, match='mac_address fa:16:3e:00:00:01'):
        networks.create_port(member_ctx, net['id'], mac_address='FA:16:3E:00:00:01')
    assert row_counts() == before
    # The same MAC is fine on another network.
    assert networks.create_port(member_ctx, elsewhere['id'], mac_address='fa:16:3e:00:00:01')


def test_update_port(networks: Manager, member_ctx: Any, net: dict[str, Any]) -> None:
    port = networks.create_port(member_ctx, net['id'])
    instance_id = str(uuid.uuid4())
    updated = networks.update_port(member_ctx, port['id'], device_id=instance_id,
                                   device_owner='compute:nova', binding_host_id='host1',
                                   status='ACTIVE', name='vm-port')
    assert (updated['device_id'], updated['device_owner'], updated['binding:host_id'],
            updated['status'], updated['name']) == (instance_id, 'compute:nova', 'host1',
                                                    'ACTIVE', 'vm-port')
    assert updated['mac_address'] == port['mac_address']
    assert [p['id'] for p in networks.list_ports(member_ctx, device_id=instance_id)] == [
        port['id']]
    assert networks.list_ports(member_ctx, device_owner='compute:nova')[0]['id'] == port['id']
    assert networks.list_ports(member_ctx, network_id=str(uuid.uuid4())) == []
    unbound = networks.update_port(member_ctx, port['id'], device_id='', device_owner='',
                                   binding_host_id='')
    assert (unbound['device_id'], unbound['binding:host_id'], unbound['name']) == (
        '', '', 'vm-port')
    for field, kwargs in (('status', {'status': 'UP'}), ('name', {'name': 1}),
                          ('admin_state_up', {'admin_state_up': 0})):
        with pytest.raises(exception.InvalidInput, match=f"'{field}'"):
            networks.update_port(member_ctx, port['id'], **kwargs)
    assert networks.get_port(member_ctx, port['id'])['status'] == 'ACTIVE'
    with pytest.raises(exception.InvalidInput, match="'device_id'"):
        networks.list_ports(member_ctx, device_id=5)
