"""Network API: bulk create of networks, subnets and ports (all or none)."""

from __future__ import annotations

from collections.abc import Callable

from tests.unit.network_rest.conftest import NetworkApi, neutron_error


def _network(api: NetworkApi, name: str = 'n') -> str:
    response = api.post('/v2.0/networks', {'network': {'name': name}})
    assert response.status_int == 201, response.body
    return response.json['network']['id']


def test_bulk_networks_are_created_and_listed(api: NetworkApi) -> None:
    response = api.post('/v2.0/networks', {'networks': [{'name': 'a'}, {'name': 'b'}]})
    assert response.status_int == 201, response.body
    created = response.json['networks']
    assert [net['name'] for net in created] == ['a', 'b']
    listed = {net['id'] for net in api.get('/v2.0/networks').json['networks']}
    assert {net['id'] for net in created} <= listed


def test_bulk_subnets_and_ports(api: NetworkApi) -> None:
    first, second = _network(api, 'a'), _network(api, 'b')
    response = api.post('/v2.0/subnets', {'subnets': [
        {'network_id': first, 'cidr': '10.1.0.0/24', 'ip_version': 4},
        {'network_id': second, 'cidr': '2001:db8::/64', 'ip_version': 6}]})
    assert response.status_int == 201, response.body
    subnets = response.json['subnets']
    assert [s['cidr'] for s in subnets] == ['10.1.0.0/24', '2001:db8::/64']
    response = api.post('/v2.0/ports', {'ports': [{'network_id': first, 'name': 'p1'},
                                                  {'network_id': second, 'name': 'p2'}]})
    assert response.status_int == 201, response.body
    ports = response.json['ports']
    assert [p['name'] for p in ports] == ['p1', 'p2']
    assert ports[0]['fixed_ips'][0]['subnet_id'] == subnets[0]['id']


def test_a_bad_item_creates_nothing(api: NetworkApi,
                                    counts: Callable[[], dict[str, int]]) -> None:
    before = counts()
    response = api.post('/v2.0/networks', {'networks': [{'name': 'ok'}, {'bogus': 1}]})
    assert response.status_int == 400
    assert 'networks.1' in neutron_error(response)['message']
    assert counts() == before


def test_a_failure_while_creating_undoes_the_created_ones(
        api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    network_id = _network(api)
    before = counts()
    # The second subnet overlaps the first: the first is deleted again.
    response = api.post('/v2.0/subnets', {'subnets': [
        {'network_id': network_id, 'cidr': '10.2.0.0/24'},
        {'network_id': network_id, 'cidr': '10.2.0.0/25'}]})
    assert response.status_int == 400, response.body
    assert counts() == before
    # A port on a network that does not exist: the first port is deleted again.
    api.post('/v2.0/subnets', {'subnet': {'network_id': network_id, 'cidr': '10.3.0.0/24'}})
    before = counts()
    response = api.post('/v2.0/ports', {'ports': [
        {'network_id': network_id},
        {'network_id': '00000000-0000-0000-0000-000000000000'}]})
    assert response.status_int == 404, response.body
    assert counts() == before


def test_bulk_body_shape(api: NetworkApi) -> None:
    assert api.post('/v2.0/networks', {'networks': []}).status_int == 400
    assert api.post('/v2.0/networks', {'networks': {'name': 'x'}}).status_int == 400
    response = api.post('/v2.0/networks', {'networks': [{'name': 'x'}], 'network': {}})
    assert response.status_int == 400
