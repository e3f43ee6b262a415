"""Network API: IPv6 subnet modes (ipv6_ra_mode, ipv6_address_mode) and the EUI-64
addresses of slaac and dhcpv6-stateless subnets, end to end."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from nova_lite.network import ipv6_modes
from tests.unit.network_rest.conftest import NetworkApi, neutron_error

MAC = 'fa:16:3e:12:34:56'
EUI64 = '2001:db8:0:1:f816:3eff:fe12:3456'


def _post(api: NetworkApi, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(f'/v2.0/{path}', {key: body})
    assert response.status_int == 201, response.body
    return response.json[key]


def _network(api: NetworkApi) -> str:
    return _post(api, 'networks', 'network', {'name': 'v6'})['id']


def _subnet(api: NetworkApi, network_id: str, cidr: str = '2001:db8:0:1::/64',
            **fields: Any) -> dict[str, Any]:
    version = ipaddress.ip_network(cidr).version
    return _post(api, 'subnets', 'subnet', {'network_id': network_id, 'cidr': cidr,
                                            'ip_version': version, **fields})


def _port(api: NetworkApi, network_id: str, **fields: Any) -> dict[str, Any]:
    return _post(api, 'ports', 'port', {'network_id': network_id, **fields})


def _addresses(port: dict[str, Any]) -> dict[str, str]:
    return {ip['subnet_id']: ip['ip_address'] for ip in port['fixed_ips']}


def test_eui64_follows_rfc_4291() -> None:
    assert ipv6_modes.eui64_address(ipaddress.IPv6Network('2001:db8:0:1::/64'), MAC) == EUI64
    # The universal/local bit is flipped, both ways.
    assert ipv6_modes.eui64_address(ipaddress.IPv6Network('fd00::/64'),
                                    '02:00:00:00:00:01') == 'fd00::ff:fe00:1'


def _auto_address_subnet_gives_eui64_addresses(api: NetworkApi, mode: str) -> None:
    network_id = _network(api)
    subnet = _subnet(api, network_id, ipv6_ra_mode=mode, ipv6_address_mode=mode)
    assert (subnet['ipv6_ra_mode'], subnet['ipv6_address_mode']) == (mode, mode)
    shown = api.get(f"/v2.0/subnets/{subnet['id']}").json['subnet']
    assert (shown['ipv6_ra_mode'], shown['ipv6_address_mode']) == (mode, mode)
    port = _port(api, network_id, mac_address=MAC)
    assert port['fixed_ips'] == [{'subnet_id': subnet['id'], 'ip_address': EUI64}]
    # Naming only the subnet gives the same address; fixed_ips [] still gives it.
    other = _port(api, network_id, mac_address='fa:16:3e:00:00:01',
                  fixed_ips=[{'subnet_id': subnet['id']}])
    assert _addresses(other) == {subnet['id']: '2001:db8:0:1:f816:3eff:fe00:1'}
    bare = _port(api, network_id, mac_address='fa:16:3e:00:00:02', fixed_ips=[])
    assert _addresses(bare) == {subnet['id']: '2001:db8:0:1:f816:3eff:fe00:2'}
    listed = api.get(f'/v2.0/subnets?ipv6_address_mode={mode}').json['subnets']
    assert [s['id'] for s in listed] == [subnet['id']]


def _address_mode_alone_and_ra_mode_alone(api: NetworkApi) -> None:
    network_id = _network(api)
    slaac = _subnet(api, network_id, ipv6_address_mode='slaac')
    assert (slaac['ipv6_ra_mode'], slaac['ipv6_address_mode']) == (None, 'slaac')
    stateful = _subnet(api, network_id, cidr='2001:db8:0:2::/64',
                       ipv6_ra_mode='dhcpv6-stateful')
    port = _port(api, network_id, mac_address=MAC)
    addresses = _addresses(port)
    assert addresses[slaac['id']] == EUI64
    # The stateful subnet draws from its allocation pool.
    pool = stateful['allocation_pools'][0]
    assert (int(ipaddress.ip_address(pool['start']))
            <= int(ipaddress.ip_address(addresses[stateful['id']]))
            <= int(ipaddress.ip_address(pool['end'])))


def _ipv4_and_slaac_subnets_give_both_addresses(api: NetworkApi) -> None:
    network_id = _network(api)
    v4 = _subnet(api, network_id, cidr='10.7.0.0/24')
    slaac = _subnet(api, network_id, ipv6_ra_mode='slaac', ipv6_address_mode='slaac')
    assert v4['ipv6_ra_mode'] is None and v4['ipv6_address_mode'] is None
    port = _port(api, network_id, mac_address=MAC)
    assert _addresses(port)[slaac['id']] == EUI64
    assert _addresses(port)[v4['id']].startswith('10.7.0.')
    # An explicit IPv4 address still comes with the SLAAC one.
    other = _port(api, network_id, mac_address='fa:16:3e:00:00:01',
                  fixed_ips=[{'ip_address': '10.7.0.50'}])
    assert _addresses(other) == {v4['id']: '10.7.0.50',
                                 slaac['id']: '2001:db8:0:1:f816:3eff:fe00:1'}


def _new_slaac_subnet_reaches_existing_ports_but_router_interfaces(
        api: NetworkApi) -> None:
    network_id = _network(api)
    v4 = _subnet(api, network_id, cidr='10.8.0.0/24')
    port = _port(api, network_id, mac_address=MAC)
    router = _post(api, 'routers', 'router', {'name': 'r'})
    added = api.put(f"/v2.0/routers/{router['id']}/add_router_interface",
                    {'subnet_id': v4['id']})
    assert added.status_int == 200, added.body
    slaac = _subnet(api, network_id, ipv6_ra_mode='slaac', ipv6_address_mode='slaac')
    shown = api.get(f"/v2.0/ports/{port['id']}").json['port']
    assert _addresses(shown) == {v4['id']: port['fixed_ips'][0]['ip_address'],
                                 slaac['id']: EUI64}
    interface = api.get(f"/v2.0/ports/{added.json['port_id']}").json['port']
    assert _addresses(interface) == {v4['id']: '10.8.0.1'}


def _explicit_address_on_auto_subnet_is_refused(
        api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    network_id = _network(api)
    slaac = _subnet(api, network_id, ipv6_ra_mode='slaac', ipv6_address_mode='slaac')
    before = counts()
    response = api.post('/v2.0/ports', {'port': {'network_id': network_id, 'fixed_ips': [
        {'subnet_id': slaac['id'], 'ip_address': '2001:db8:0:1::5'}]}})
    assert response.status_int == 400
    message = neutron_error(response)['message']
    assert "'fixed_ips.0.ip_address'" in message and 'automatic addresses' in message
    assert counts() == before
    port = _port(api, network_id, mac_address=MAC)
    response = api.put(f"/v2.0/ports/{port['id']}", {'port': {'fixed_ips': [
        {'ip_address': '2001:db8:0:1::6'}]}})
    assert response.status_int == 400
    assert "'fixed_ips.0.ip_address'" in neutron_error(response)['message']


def _router_interface_on_slaac_subnet_holds_the_gateway(api: NetworkApi) -> None:
    network_id = _network(api)
    slaac = _subnet(api, network_id, ipv6_ra_mode='slaac', ipv6_address_mode='slaac')
    router = _post(api, 'routers', 'router', {'name': 'r'})
    added = api.put(f"/v2.0/routers/{router['id']}/add_router_interface",
                    {'subnet_id': slaac['id']})
    assert added.status_int == 200, added.body
    interface = api.get(f"/v2.0/ports/{added.json['port_id']}").json['port']
    assert interface['fixed_ips'] == [{'subnet_id': slaac['id'],
                                       'ip_address': '2001:db8:0:1::1'}]
    # The interface keeps the subnet in use; other ports' addresses do not.
    _port(api, network_id, mac_address=MAC)
    response = api.delete(f"/v2.0/subnets/{slaac['id']}")
    assert response.status_int == 409
    removed = api.put(f"/v2.0/routers/{router['id']}/remove_router_interface",
                      {'subnet_id': slaac['id']})
    assert removed.status_int == 200, removed.body
    assert api.delete(f"/v2.0/subnets/{slaac['id']}").status_int == 204


def _external_ra_subnet_cannot_be_a_router_interface(api: NetworkApi) -> None:
    network_id = _network(api)
    subnet = _subnet(api, network_id, ipv6_address_mode='slaac')
    router = _post(api, 'routers', 'router', {'name': 'r'})
    response = api.put(f"/v2.0/routers/{router['id']}/add_router_interface",
                       {'subnet_id': subnet['id']})
    assert response.status_int == 400
    assert "'subnet_id'" in neutron_error(response)['message']


def _port_update_keeps_the_eui64_address_and_delete_frees_it(
        api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    network_id = _network(api)
    v4 = _subnet(api, network_id, cidr='10.9.0.0/24')
    slaac = _subnet(api, network_id, ipv6_ra_mode='slaac', ipv6_address_mode='slaac')
    start = counts()
    port = _port(api, network_id, mac_address=MAC)
    updated = api.put(f"/v2.0/ports/{port['id']}", {'port': {'fixed_ips': [
        {'subnet_id': v4['id'], 'ip_address': '10.9.0.77'}]}})
    assert updated.status_int == 200, updated.body
    assert _addresses(updated.json['port']) == {v4['id']: '10.9.0.77', slaac['id']: EUI64}
    assert api.delete(f"/v2.0/ports/{port['id']}").status_int == 204
    assert counts() == start
    # The same MAC gets the same address again: nothing was left behind.
    again = _port(api, network_id, mac_address=MAC)
    assert _addresses(again)[slaac['id']] == EUI64


def _deleting_auto_subnet_takes_its_addresses_from_ports(api: NetworkApi) -> None:
    network_id = _network(api)
    v4 = _subnet(api, network_id, cidr='10.10.0.0/24')
    stateless = _subnet(api, network_id, ipv6_ra_mode='dhcpv6-stateless',
                        ipv6_address_mode='dhcpv6-stateless')
    port = _port(api, network_id, mac_address=MAC)
    assert stateless['id'] in _addresses(port)
    assert api.delete(f"/v2.0/subnets/{stateless['id']}").status_int == 204
    shown = api.get(f"/v2.0/ports/{port['id']}").json['port']
    assert _addresses(shown) == {v4['id']: port['fixed_ips'][0]['ip_address']}
    # A pool subnet with an address in use still cannot go.
    assert api.delete(f"/v2.0/subnets/{v4['id']}").status_int == 409
    # Nor can the network while the port is on it (neutron's NetworkInUse).
    response = api.delete(f'/v2.0/networks/{network_id}')
    assert response.status_int == 409
    assert 'ports still in use on the network' in neutron_error(response)['message']


def _stateful_subnet_allocates_from_its_pool_and_takes_fixed_ips(api: NetworkApi) -> None:
    network_id = _network(api)
    subnet = _subnet(api, network_id, ipv6_ra_mode='dhcpv6-stateful',
                     ipv6_address_mode='dhcpv6-stateful')
    port = _port(api, network_id, mac_address=MAC)
    assert _addresses(port)[subnet['id']] != EUI64
    fixed = _port(api, network_id, fixed_ips=[{'subnet_id': subnet['id'],
                                                'ip_address': '2001:db8:0:1::99'}])
    assert _addresses(fixed) == {subnet['id']: '2001:db8:0:1::99'}
    again = api.post('/v2.0/ports', {'port': {'network_id': network_id, 'fixed_ips': [
        {'subnet_id': subnet['id'], 'ip_address': '2001:db8:0:1::99'}]}})
    assert again.status_int == 409
    assert neutron_error(again)['type'] == 'IpAddressAlreadyAllocated'


def _bad_modes_are_400_naming_the_field(
        api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    network_id = _network(api)
    subnet = _subnet(api, network_id, ipv6_ra_mode='slaac', ipv6_address_mode='slaac')
    before = counts()

    def sub(cidr: str = '2001:db8:0:2::/64', **fields: Any) -> dict[str, Any]:
        version = ipaddress.ip_network(cidr).version
        return {'subnet': {'network_id': network_id, 'cidr': cidr, 'ip_version': version,
                           **fields}}

    cases = [
        (sub('10.11.0.0/24', ipv6_ra_mode='slaac'), "'ipv6_ra_mode'"),
        (sub('10.11.0.0/24', ipv6_address_mode='dhcpv6-stateful'), "'ipv6_address_mode'"),
        (sub(ipv6_ra_mode='slaac', ipv6_address_mode='dhcpv6-stateful'),
         "'ipv6_address_mode'"),
        (sub(ipv6_ra_mode='dhcpv6-stateful', ipv6_address_mode='dhcpv6-stateless'),
         "'ipv6_address_mode'"),
        (sub(ipv6_ra_mode='eui'), 'ipv6_ra_mode'),
        (sub(ipv6_address_mode='slaac', enable_dhcp=False), "'ipv6_address_mode'"),
        (sub('2001:db8:1::/56', ipv6_address_mode='slaac'), "'cidr'"),
    ]
    for body, text in cases:
        response = api.post('/v2.0/subnets', body)
        assert response.status_int == 400, (body, response.body)
        assert text in neutron_error(response)['message'], body
    for body in ({'subnet': {'ipv6_ra_mode': 'slaac'}},
                 {'subnet': {'ipv6_address_mode': None}}):
        response = api.put(f"/v2.0/subnets/{subnet['id']}", body)
        assert response.status_int == 400
        assert 'read-only' in neutron_error(response)['message']
    response = api.put(f"/v2.0/subnets/{subnet['id']}", {'subnet': {'enable_dhcp': False}})
    assert response.status_int == 400
    assert "'enable_dhcp'" in neutron_error(response)['message']
    assert counts() == before
    # A stateful subnet may be any size; no mode on IPv4 shows null.
    stateful = _subnet(api, network_id, cidr='2001:db8:1::/56',
                       ipv6_address_mode='dhcpv6-stateful')
    assert stateful['ipv6_ra_mode'] is None


# One cloud per test (setting one up is most of the time): each scenario works on
# its own network.

def test_subnet_modes_and_the_addresses_they_give(
        api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    for mode in ('slaac', 'dhcpv6-stateless'):
        _auto_address_subnet_gives_eui64_addresses(api, mode)
    _address_mode_alone_and_ra_mode_alone(api)
    _ipv4_and_slaac_subnets_give_both_addresses(api)
    _stateful_subnet_allocates_from_its_pool_and_takes_fixed_ips(api)
    _bad_modes_are_400_naming_the_field(api, counts)


def test_router_interfaces_on_ipv6_subnets(api: NetworkApi) -> None:
    _new_slaac_subnet_reaches_existing_ports_but_router_interfaces(api)
    _router_interface_on_slaac_subnet_holds_the_gateway(api)
    _external_ra_subnet_cannot_be_a_router_interface(api)


def test_eui64_addresses_through_port_and_subnet_changes(
        api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    _explicit_address_on_auto_subnet_is_refused(api, counts)
    _port_update_keeps_the_eui64_address_and_delete_frees_it(api, counts)
    _deleting_auto_subnet_takes_its_addresses_from_ports(api)
