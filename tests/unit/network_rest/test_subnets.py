"""Network API: /v2.0/subnets end to end, and address exhaustion."""

from __future__ import annotations

from collections.abc import Callable

from tests.unit.network_rest.conftest import NetworkApi, neutron_error

LIST_KEYS = ('allocation_pools', 'dns_nameservers', 'host_routes', 'service_types', 'tags')


def _network(api: NetworkApi, name: str = 'n') -> str:
    response = api.post('/v2.0/networks', {'network': {'name': name}})
    assert response.status_int == 201, response.body
    return response.json['network']['id']


def _subnet(api: NetworkApi, **fields: object) -> dict:
    response = api.post('/v2.0/subnets', {'subnet': fields})
    assert response.status_int == 201, response.body
    return response.json['subnet']


def test_subnet_from_only_a_cidr(api: NetworkApi) -> None:
    network_id = _network(api)
    subnet = _subnet(api, network_id=network_id, cidr='192.168.10.0/24')
    assert subnet['gateway_ip'] == '192.168.10.1'
    assert subnet['allocation_pools'] == [{'start': '192.168.10.2', 'end': '192.168.10.254'}]
    assert subnet['ip_version'] == 4 and subnet['enable_dhcp'] is True
    assert subnet['network_id'] == network_id and subnet['name'] == ''
    for key in LIST_KEYS:
        assert isinstance(subnet[key], list), key
    assert subnet['ipv6_ra_mode'] is None and subnet['subnetpool_id'] is None
    network = api.get(f'/v2.0/networks/{network_id}').json['network']
    assert network['subnets'] == [subnet['id']]

    # OSC's `subnet create --gateway none`; the version comes from the cidr if not given.
    bare = _subnet(api, network_id=network_id, cidr='192.168.11.0/29', ip_version=4,
                   gateway_ip=None, name='bare', dns_nameservers=['192.0.2.53'])
    assert bare['gateway_ip'] is None
    assert bare['allocation_pools'] == [{'start': '192.168.11.1', 'end': '192.168.11.6'}]
    assert bare['dns_nameservers'] == ['192.0.2.53']
    six = _subnet(api, network_id=network_id, cidr='2001:db8::/64')
    assert six['ip_version'] == 6 and six['gateway_ip'] == '2001:db8::1'
    for key in LIST_KEYS:
        assert isinstance(six[key], list), key

    def listed(query: str) -> list[str]:
        response = api.get(f'/v2.0/subnets?{query}')
        assert response.status_int == 200, response.body
        return sorted(s['cidr'] for s in response.json['subnets'])

    assert listed(f'network_id={network_id}') == ['192.168.10.0/24', '192.168.11.0/29',
                                                  '2001:db8::/64']
    assert listed(f'network_id={network_id}&ip_version=6') == ['2001:db8::/64']
    assert listed('name=bare') == ['192.168.11.0/29']
    assert listed('cidr=192.168.10.0/24') == ['192.168.10.0/24']
    assert api.get('/v2.0/subnets?ip_version=four').status_int == 400
    shown = api.get(f"/v2.0/subnets/{subnet['id']}?fields=cidr&fields=gateway_ip").json
    assert shown == {'subnet': {'cidr': '192.168.10.0/24', 'gateway_ip': '192.168.10.1'}}
    assert neutron_error(api.get('/v2.0/subnets/bare'))['type'] == 'SubnetNotFound'


def test_update_and_delete(api: NetworkApi) -> None:
    network_id = _network(api)
    subnet = _subnet(api, network_id=network_id, cidr='10.9.0.0/24')
    response = api.put(f"/v2.0/subnets/{subnet['id']}", {'subnet': {
        'name': 'renamed', 'dns_nameservers': ['192.0.2.1', '192.0.2.2'],
        'allocation_pools': [{'start': '10.9.0.100', 'end': '10.9.0.110'}],
        'enable_dhcp': False}})
    assert response.status_int == 200, response.body
    updated = response.json['subnet']
    assert updated['name'] == 'renamed' and updated['enable_dhcp'] is False
    assert updated['dns_nameservers'] == ['192.0.2.1', '192.0.2.2']
    assert updated['allocation_pools'] == [{'start': '10.9.0.100', 'end': '10.9.0.110'}]
    assert api.get(f"/v2.0/subnets/{subnet['id']}").json['subnet'] == updated
    pool_with_gateway = api.put(f"/v2.0/subnets/{subnet['id']}", {'subnet': {
        'allocation_pools': [{'start': '10.9.0.1', 'end': '10.9.0.5'}]}})
    assert pool_with_gateway.status_int == 400
    assert 'allocation_pools.0' in neutron_error(pool_with_gateway)['message']

    port = api.post('/v2.0/ports', {'port': {'network_id': network_id}}).json['port']
    assert port['fixed_ips'][0]['ip_address'].startswith('10.9.0.1')  # from the new pool
    in_use = api.delete(f"/v2.0/subnets/{subnet['id']}")
    assert in_use.status_int == 409 and neutron_error(in_use)['type'] == 'SubnetInUse'
    assert api.delete(f"/v2.0/ports/{port['id']}").status_int == 204
    assert api.delete(f"/v2.0/subnets/{subnet['id']}").status_int == 204
    assert api.get(f"/v2.0/subnets/{subnet['id']}").status_int == 404
    assert api.get(f'/v2.0/networks/{network_id}').json['network']['subnets'] == []


def test_exhausted_subnet_is_409_and_writes_nothing(
        api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    network_id = _network(api)
    _subnet(api, network_id=network_id, cidr='10.7.0.0/30')  # gateway .1, one host .2
    first = api.post('/v2.0/ports', {'port': {'network_id': network_id}})
    assert first.json['port']['fixed_ips'][0]['ip_address'] == '10.7.0.2'
    before = counts()
    second = api.post('/v2.0/ports', {'port': {'network_id': network_id, 'name': 'late'}})
    assert second.status_int == 409
    assert neutron_error(second)['type'] == 'IpAddressGenerationFailure'
    assert counts() == before
    taken = api.post('/v2.0/ports', {'port': {'network_id': network_id,
                                              'fixed_ips': [{'ip_address': '10.7.0.2'}]}})
    assert taken.status_int == 409
    assert counts() == before
