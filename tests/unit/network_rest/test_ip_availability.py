"""Network API: /v2.0/network-ip-availabilities (network-ip-availability)."""

from __future__ import annotations

from tests.unit.network_rest.conftest import NetworkApi

PATH = '/v2.0/network-ip-availabilities'


def _network_with_ports(api: NetworkApi, name: str, ports: int) -> dict:
    network = api.post('/v2.0/networks', {'network': {'name': name}}).json['network']
    subnet = api.post('/v2.0/subnets', {'subnet': {
        'network_id': network['id'], 'cidr': '10.30.0.0/24', 'name': 's4',
        'allocation_pools': [{'start': '10.30.0.10', 'end': '10.30.0.19'},
                             {'start': '10.30.0.100', 'end': '10.30.0.104'}]}}).json['subnet']
    for _ in range(ports):
        assert api.post('/v2.0/ports', {'port': {'network_id': network['id']}}).status_int \
            == 201
    return {'network': network, 'subnet': subnet}


def test_counts_pools_and_allocations(api: NetworkApi) -> None:
    made = _network_with_ports(api, 'counted', 3)
    network_id = made['network']['id']
    shown = api.get(f'{PATH}/{network_id}')
    assert shown.status_int == 200, shown.body
    body = shown.json['network_ip_availability']
    assert (body['network_name'], body['total_ips'], body['used_ips']) == ('counted', 15, 3)
    assert body['subnet_ip_availability'] == [{
        'subnet_id': made['subnet']['id'], 'subnet_name': 's4', 'cidr': '10.30.0.0/24',
        'ip_version': 4, 'total_ips': 15, 'used_ips': 3}]
    listed = api.get(f'{PATH}?network_name=counted').json['network_ip_availabilities']
    assert [item['network_id'] for item in listed] == [network_id]
    assert api.get(f'{PATH}?network_id={network_id}&ip_version=6').json == {
        'network_ip_availabilities': []}


def test_members_see_nothing(api: NetworkApi) -> None:
    made = _network_with_ports(api, 'hidden', 0)
    member = api.user_token('ipa-project', 'ipa-user', ('member',))
    listed = api.get(PATH, token=member)
    assert listed.status_int == 200
    assert listed.json == {'network_ip_availabilities': []}
    assert api.get(f"{PATH}/{made['network']['id']}", token=member).status_int == 404


def test_unknown_network_and_filter(api: NetworkApi) -> None:
    missing = api.get(f'{PATH}/0b0e2c3c-8d2c-4b9d-9a11-2e2a5b0f3a10')
    assert missing.status_int == 404
    assert missing.json['NeutronError']['type'] == 'NetworkNotFound'
    assert api.get(f'{PATH}?bogus=1').status_int == 400
    assert api.get(f'{PATH}?sort_key=bogus&sort_dir=asc').status_int == 400


def test_the_list_sorts(api: NetworkApi) -> None:
    for name, ports in (('b-net', 1), ('a-net', 2), ('c-net', 0)):
        _network_with_ports(api, name, ports)
    names = [item['network_name'] for item in api.get(
        f'{PATH}?sort_key=network_name&sort_dir=desc').json['network_ip_availabilities']]
    assert [name for name in names if name.endswith('-net')] == ['c-net', 'b-net', 'a-net']
    used = api.get(f'{PATH}?sort_key=used_ips&sort_dir=asc').json['network_ip_availabilities']
    assert [item['used_ips'] for item in used] == sorted(item['used_ips'] for item in used)
    assert api.get(f'{PATH}?ip_version=x').status_int == 400
