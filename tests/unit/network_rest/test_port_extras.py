"""Network API: port address pairs, DHCP options, address substring and filter validation."""

from __future__ import annotations

from tests.unit.network_rest.conftest import NetworkApi

OPTS = [{'opt_name': 'bootfile-name', 'opt_value': 'pxelinux.0'},
        {'opt_name': 'tftp-server', 'opt_value': '123.123.123.123'}]


def _port(api: NetworkApi, **fields: object) -> dict:
    network = api.post('/v2.0/networks', {'network': {'name': 'n'}}).json['network']
    api.post('/v2.0/subnets', {'subnet': {'network_id': network['id'], 'cidr': '10.9.0.0/24'}})
    response = api.post('/v2.0/ports', {'port': {'network_id': network['id'], **fields}})
    assert response.status_int == 201, response.body
    return response.json['port']


def _update(api: NetworkApi, port_id: str, **fields: object) -> dict:
    response = api.put(f'/v2.0/ports/{port_id}', {'port': fields})
    assert response.status_int == 200, response.body
    return response.json['port']


def test_address_pairs_are_stored_with_the_ports_mac_by_default(api: NetworkApi) -> None:
    port = _port(api, allowed_address_pairs=[{'ip_address': '10.9.0.50'},
                                             {'ip_address': '10.20.0.0/24',
                                              'mac_address': 'FA:16:3E:00:00:01'}])
    expected = [{'ip_address': '10.9.0.50', 'mac_address': port['mac_address']},
                {'ip_address': '10.20.0.0/24', 'mac_address': 'fa:16:3e:00:00:01'}]
    assert port['allowed_address_pairs'] == expected
    listed = api.get(f"/v2.0/ports?id={port['id']}").json['ports'][0]
    assert listed['allowed_address_pairs'] == expected
    replaced = _update(api, port['id'], allowed_address_pairs=[{'ip_address': '10.9.0.60'}])
    assert [pair['ip_address'] for pair in replaced['allowed_address_pairs']] == ['10.9.0.60']
    assert _update(api, port['id'], allowed_address_pairs=[])['allowed_address_pairs'] == []


def test_bad_address_pairs_are_refused(api: NetworkApi) -> None:
    port = _port(api)
    for pairs, field in (([{'ip_address': 'nope'}], 'ip_address'),
                         ([{'ip_address': '10.9.0.5', 'mac_address': 'zz'}], 'mac_address'),
                         ([{'ip_address': '10.9.0.5'}, {'ip_address': '10.9.0.5'}],
                          'allowed_address_pairs.1'),
                         ([{'ip_address': f'10.9.1.{n}'} for n in range(11)],
                          'allowed_address_pairs')):
        response = api.put(f"/v2.0/ports/{port['id']}",
                           {'port': {'allowed_address_pairs': pairs}})
        assert response.status_int == 400, pairs
        assert field in response.json['NeutronError']['message']


def test_address_pairs_need_port_security(api: NetworkApi) -> None:
    port = _port(api, allowed_address_pairs=[{'ip_address': '10.9.0.50'}])
    response = api.put(f"/v2.0/ports/{port['id']}",
                       {'port': {'port_security_enabled': False, 'security_groups': []}})
    assert response.status_int == 409, response.body
    off = _update(api, port['id'], port_security_enabled=False, security_groups=[],
                  allowed_address_pairs=[])
    assert off['port_security_enabled'] is False
    response = api.put(f"/v2.0/ports/{port['id']}",
                       {'port': {'allowed_address_pairs': [{'ip_address': '10.9.0.5'}]}})
    assert response.status_int == 409


def test_dhcp_options_are_stored_and_merged(api: NetworkApi) -> None:
    port = _port(api, extra_dhcp_opts=OPTS)
    assert sorted(opt['opt_name'] for opt in port['extra_dhcp_opts']) == \
        ['bootfile-name', 'tftp-server']
    assert all(opt['ip_version'] == 4 for opt in port['extra_dhcp_opts'])
    merged = _update(api, port['id'], extra_dhcp_opts=[
        {'opt_name': 'bootfile-name', 'opt_value': 'other.0'},
        {'opt_name': 'tftp-server', 'opt_value': None},
        {'opt_name': 'server-ip-address', 'opt_value': '2015::1', 'ip_version': 6}])
    assert {(opt['opt_name'], opt['opt_value'], opt['ip_version'])
            for opt in merged['extra_dhcp_opts']} == {('bootfile-name', 'other.0', 4),
                                                      ('server-ip-address', '2015::1', 6)}
    shown = api.get(f"/v2.0/ports/{port['id']}").json['port']
    assert shown['extra_dhcp_opts'] == merged['extra_dhcp_opts']


def test_a_nameless_dhcp_option_is_refused(api: NetworkApi) -> None:
    port = _port(api)
    response = api.put(f"/v2.0/ports/{port['id']}",
                       {'port': {'extra_dhcp_opts': [{'opt_name': ' ', 'opt_value': 'x'}]}})
    assert response.status_int == 400
    assert 'opt_name' in response.json['NeutronError']['message']


def test_ports_are_filtered_on_part_of_an_address(api: NetworkApi) -> None:
    network = api.post('/v2.0/networks', {'network': {'name': 'n'}}).json['network']
    subnet = api.post('/v2.0/subnets', {'subnet': {'network_id': network['id'],
                                                   'cidr': '10.9.0.0/24'}}).json['subnet']
    ids = {}
    for address in ('10.9.0.15', '10.9.0.27', '10.9.0.150'):
        response = api.post('/v2.0/ports', {'port': {
            'network_id': network['id'],
            'fixed_ips': [{'subnet_id': subnet['id'], 'ip_address': address}]}})
        ids[address] = response.json['port']['id']

    def found(part: str) -> set[str]:
        response = api.get(f'/v2.0/ports?fixed_ips=ip_address_substr%3D{part}')
        assert response.status_int == 200, response.body
        return {port['id'] for port in response.json['ports']}

    assert found('10.9.0.15') == {ids['10.9.0.15'], ids['10.9.0.150']}
    assert found('.27') == {ids['10.9.0.27']}
    assert found('%25') == set()  # a LIKE wildcard is matched literally
    empty = api.get('/v2.0/ports?fixed_ips=ip_address_substr%3D')
    assert empty.status_int == 400


def test_an_unknown_filter_is_refused(api: NetworkApi) -> None:
    for path in ('/v2.0/networks', '/v2.0/ports', '/v2.0/floatingips',
                 '/v2.0/security-groups', '/v2.0/service-providers'):
        response = api.get(f'{path}?invalid_filter=x')
        assert response.status_int == 400, path
        assert 'invalid_filter' in response.json['NeutronError']['message']
    paged = api.get('/v2.0/networks?limit=1&fields=id&sort_key=name&sort_dir=asc')
    assert paged.status_int == 200, paged.body
