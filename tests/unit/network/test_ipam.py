"""Subnet arithmetic: default gateway and pools, validation of given pools."""

from __future__ import annotations

import ipaddress

import pytest

from nova_lite.common import exception
from nova_lite.network import ipam


def _pools(cidr: str, version: int = 4) -> tuple[str, list[tuple[str, str]]]:
    network = ipam.parse_cidr(cidr, version)
    gateway = ipam.default_gateway(network)
    return str(gateway), [(str(a), str(b)) for a, b in ipam.default_pools(network, gateway)]


@pytest.mark.parametrize('cidr, gateway, pools, size', [
    ('10.0.0.0/24', '10.0.0.1', [('10.0.0.2', '10.0.0.254')], 253),
    ('192.168.5.8/29', '192.168.5.9', [('192.168.5.10', '192.168.5.14')], 5),
    ('172.16.0.4/30', '172.16.0.5', [('172.16.0.6', '172.16.0.6')], 1),
    ('10.1.0.0/28', '10.1.0.1', [('10.1.0.2', '10.1.0.14')], 13),
])
def test_default_gateway_and_pool(cidr: str, gateway: str, pools: list[tuple[str, str]],
                                  size: int) -> None:
    got_gateway, got_pools = _pools(cidr)
    assert got_gateway == gateway
    assert got_pools == pools
    count = sum(int(ipaddress.ip_address(b)) - int(ipaddress.ip_address(a)) + 1
                for a, b in got_pools)
    assert count == size


def test_ipv6_pool_keeps_last_address() -> None:
    gateway, pools = _pools('2001:db8::/125', 6)
    assert gateway == '2001:db8::1'
    assert pools == [('2001:db8::2', '2001:db8::7')]


def test_gateway_in_middle_splits_default_pool() -> None:
    network = ipam.parse_cidr('10.0.0.0/29', 4)
    gateway = ipam.validate_gateway('10.0.0.4', network)
    assert [(str(a), str(b)) for a, b in ipam.default_pools(network, gateway)] == [
        ('10.0.0.1', '10.0.0.3'), ('10.0.0.5', '10.0.0.6')]


@pytest.mark.parametrize('cidr, version, field, words', [
    ('10.0.0.1/24', 4, 'cidr', 'host bits set'),
    ('10.0.0.0/31', 4, 'cidr', 'too small'),
    ('10.0.0.7/32', 4, 'cidr', 'too small'),
    ('2001:db8::/127', 6, 'cidr', 'too small'),
    ('10.0.0.0', 4, 'cidr', 'not a CIDR'),
    ('10.0.0.0/33', 4, 'cidr', 'not a valid CIDR'),
    ('banana/24', 4, 'cidr', 'not a valid CIDR'),
    (None, 4, 'cidr', 'not a CIDR'),
    ('2001:db8::/64', 4, 'ip_version', 'IPv6'),
    ('10.0.0.0/24', 5, 'ip_version', '4 or 6'),
    ('10.0.0.0/24', True, 'ip_version', '4 or 6'),
])
def test_bad_cidrs(cidr: object, version: object, field: str, words: str) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        ipam.parse_cidr(cidr, version)
    assert caught.value.code == 400
    assert f"'{field}'" in caught.value.message
    assert words in caught.value.message


def test_explicit_pools_are_sorted_and_checked() -> None:
    network = ipam.parse_cidr('10.0.0.0/24', 4)
    gateway = ipam.default_gateway(network)
    pools = ipam.validate_pools([{'start': '10.0.0.100', 'end': '10.0.0.110'},
                                 {'start': '10.0.0.10', 'end': '10.0.0.10'}], network, gateway)
    assert [(str(a), str(b)) for a, b in pools] == [('10.0.0.10', '10.0.0.10'),
                                                    ('10.0.0.100', '10.0.0.110')]


@pytest.mark.parametrize('pools, field, words', [
    ([], 'allocation_pools', 'non-empty'),
    ('10.0.0.2-10.0.0.9', 'allocation_pools', 'non-empty list'),
    ([{'start': '10.0.0.2'}], 'allocation_pools.0', 'start and end'),
    ([{'start': '10.0.0.9', 'end': '10.0.0.2'}], 'allocation_pools.0', 'after end'),
    ([{'start': '10.0.1.2', 'end': '10.0.1.9'}], 'allocation_pools.0.start', 'outside'),
    ([{'start': '10.0.0.2', 'end': '10.0.0.255'}], 'allocation_pools.0.end', 'broadcast'),
    ([{'start': '10.0.0.0', 'end': '10.0.0.5'}], 'allocation_pools.0.start', 'network'),
    ([{'start': '10.0.0.1', 'end': '10.0.0.5'}], 'allocation_pools.0', 'gateway'),
    ([{'start': 'x', 'end': '10.0.0.5'}], 'allocation_pools.0.start', 'not an IP'),
    ([{'start': '::2', 'end': '10.0.0.5'}], 'allocation_pools.0.start', 'IPv4'),
    ([{'start': '10.0.0.2', 'end': '10.0.0.20'}, {'start': '10.0.0.20', 'end': '10.0.0.30'}],
     'allocation_pools.1', 'overlaps'),
])
def test_bad_explicit_pools(pools: object, field: str, words: str) -> None:
    network = ipam.parse_cidr('10.0.0.0/24', 4)
    with pytest.raises(exception.InvalidInput) as caught:
        ipam.validate_pools(pools, network, ipam.default_gateway(network))
    assert f"'{field}'" in caught.value.message
    assert words in caught.value.message


@pytest.mark.parametrize('gateway, words', [
    ('10.0.1.1', 'outside'), ('10.0.0.0', 'network address'),
    ('10.0.0.255', 'broadcast address'), ('fe80::1', 'IPv4'), (17, 'string')])
def test_bad_gateways(gateway: object, words: str) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        ipam.validate_gateway(gateway, ipam.parse_cidr('10.0.0.0/24', 4))
    assert "'gateway_ip'" in caught.value.message
    assert words in caught.value.message


def test_free_addresses_skips_taken_and_stops_at_limit() -> None:
    network = ipam.parse_cidr('10.0.0.0/24', 4)
    pools = ipam.default_pools(network, ipam.default_gateway(network))
    assert ipam.free_addresses(pools, {'10.0.0.2', '10.0.0.4'}, 3) == [
        '10.0.0.3', '10.0.0.5', '10.0.0.6']
    assert ipam.free_addresses(pools[:0], set(), 3) == []


def test_free_addresses_on_huge_ipv6_pool_is_lazy() -> None:
    network = ipam.parse_cidr('2001:db8::/64', 6)
    pools = ipam.default_pools(network, ipam.default_gateway(network))
    assert ipam.free_addresses(pools, {'2001:db8::2'}, 2) == ['2001:db8::3', '2001:db8::4']
