"""Network API: a subnet's host routes, and changing its gateway and DNS servers."""

from __future__ import annotations

from collections.abc import Callable

from tests.unit.network_rest.conftest import NetworkApi, neutron_error

ROUTES_V4 = [{'destination': '10.20.0.0/32', 'nexthop': '10.100.1.1'}]
ROUTES_V6 = [{'destination': '2001::/64', 'nexthop': '2003::1'}]


def _network(api: NetworkApi) -> str:
    response = api.post('/v2.0/networks', {'network': {'name': 'n'}})
    assert response.status_int == 201, response.body
    return response.json['network']['id']


def _subnet(api: NetworkApi, **fields: object) -> dict:
    response = api.post('/v2.0/subnets', {'subnet': fields})
    assert response.status_int == 201, response.body
    return response.json['subnet']


def test_routes_are_stored_shown_and_replaced(api: NetworkApi) -> None:
    network_id = _network(api)
    subnet = _subnet(api, network_id=network_id, cidr='10.100.0.0/16',
                     host_routes=ROUTES_V4, dns_nameservers=['7.8.8.8'],
                     allocation_pools=[{'start': '10.100.0.10', 'end': '10.100.0.20'}])
    assert subnet['host_routes'] == ROUTES_V4
    shown = api.get(f"/v2.0/subnets/{subnet['id']}").json['subnet']
    assert shown['host_routes'] == ROUTES_V4
    new_routes = [{'destination': '10.20.0.0/32', 'nexthop': '10.100.1.2'},
                  {'destination': '0.0.0.0/0', 'nexthop': '10.100.0.254'}]
    response = api.put(f"/v2.0/subnets/{subnet['id']}", {'subnet': {
        'host_routes': new_routes, 'dns_nameservers': ['7.8.8.8', '7.8.4.4'],
        'gateway_ip': '10.100.0.2', 'enable_dhcp': True, 'name': 'New_subnet'}})
    assert response.status_int == 200, response.body
    updated = response.json['subnet']
    assert updated['host_routes'] == new_routes
    assert updated['dns_nameservers'] == ['7.8.8.8', '7.8.4.4']
    assert updated['gateway_ip'] == '10.100.0.2' and updated['name'] == 'New_subnet'
    listed = api.get(f'/v2.0/subnets?network_id={network_id}').json['subnets']
    assert listed[0]['host_routes'] == new_routes
    cleared = api.put(f"/v2.0/subnets/{subnet['id']}",
                      {'subnet': {'host_routes': [], 'gateway_ip': None}}).json['subnet']
    assert cleared['host_routes'] == [] and cleared['gateway_ip'] is None


def test_ipv6_routes(api: NetworkApi) -> None:
    subnet = _subnet(api, network_id=_network(api), cidr='2003::/64', ip_version=6,
                     host_routes=ROUTES_V6)
    assert subnet['host_routes'] == ROUTES_V6


def test_bad_routes_are_refused_and_change_nothing(api: NetworkApi,
                                                   counts: Callable[[], dict[str, int]]
                                                   ) -> None:
    network_id = _network(api)
    subnet = _subnet(api, network_id=network_id, cidr='10.30.0.0/24', host_routes=ROUTES_V4)
    before = counts()
    bad = [([{'destination': 'nowhere', 'nexthop': '10.30.0.9'}], 'host_routes.0.destination'),
           ([{'destination': '10.1.0.0/16', 'nexthop': '10.30.0'}], 'host_routes.0.nexthop'),
           ([{'destination': '2001::/64', 'nexthop': '10.30.0.9'}], 'host_routes.0.destination'),
           (ROUTES_V4 * 2, 'host_routes.1'),
           ([{'destination': f'10.{i}.0.0/16', 'nexthop': '10.30.0.9'} for i in range(21)],
            'host_routes')]
    for routes, field in bad:
        response = api.put(f"/v2.0/subnets/{subnet['id']}", {'subnet': {'host_routes': routes}})
        assert response.status_int == 400, (routes, response.body)
        assert f"'{field}'" in neutron_error(response)['message']
        response = api.post('/v2.0/subnets', {'subnet': {
            'network_id': network_id, 'cidr': '10.31.0.0/24', 'host_routes': routes}})
        assert response.status_int == 400, (routes, response.body)
    assert counts() == before
    shown = api.get(f"/v2.0/subnets/{subnet['id']}").json['subnet']
    assert shown['host_routes'] == ROUTES_V4


def test_gateway_update_checks(api: NetworkApi) -> None:
    network_id = _network(api)
    subnet = _subnet(api, network_id=network_id, cidr='10.40.0.0/24',
                     allocation_pools=[{'start': '10.40.0.10', 'end': '10.40.0.20'}])
    path = f"/v2.0/subnets/{subnet['id']}"
    assert api.put(path, {'subnet': {'gateway_ip': '10.40.0.15'}}).status_int == 409
    assert api.put(path, {'subnet': {'gateway_ip': '10.41.0.1'}}).status_int == 400
    assert api.get(path).json['subnet']['gateway_ip'] == '10.40.0.1'
    # The gateway of a port (a router's interface) cannot move.
    router = api.post('/v2.0/routers', {'router': {'name': 'r'}})
    assert router.status_int == 201, router.body
    added = api.put(f"/v2.0/routers/{router.json['router']['id']}/add_router_interface",
                    {'subnet_id': subnet['id']})
    assert added.status_int == 200, added.body
    assert api.put(path, {'subnet': {'gateway_ip': '10.40.0.2'}}).status_int == 409
    assert api.put(path, {'subnet': {'gateway_ip': '10.40.0.1'}}).status_int == 200
