"""An overlapping subnet is answered in neutron's words, so Tempest's helpers try the next CIDR."""

from __future__ import annotations

import ipaddress

from tests.unit.network_rest.conftest import NetworkApi


def _network(api: NetworkApi) -> str:
    response = api.post('/v2.0/networks', {'network': {'name': 'overlap'}})
    assert response.status_int == 201, response.body
    return response.json['network']['id']


def test_overlap_is_neutron_s_invalid_input(api: NetworkApi) -> None:
    network_id = _network(api)
    first = api.post('/v2.0/subnets', {'subnet': {'network_id': network_id, 'ip_version': 4,
                                                  'cidr': '10.100.0.0/28'}})
    assert first.status_int == 201, first.body
    response = api.post('/v2.0/subnets', {'subnet': {'network_id': network_id, 'ip_version': 4,
                                                     'cidr': '10.100.0.0/28'}})
    assert response.status_int == 400
    assert response.json == {'NeutronError': {
        'type': 'InvalidInput', 'detail': '',
        'message': ('Invalid input for operation: Requested subnet with cidr: 10.100.0.0/28 '
                    f'for network: {network_id} overlaps with another subnet.')}}


def test_tempest_s_create_subnet_loop_finds_the_next_free_cidr(api: NetworkApi) -> None:
    """What tempest.api.network.base.create_subnet does: /28s of 10.100.0.0/16 in order,
    the next one after each 400 that says 'overlaps with another subnet'."""
    network_id = _network(api)
    for taken in ('10.100.0.0/28', '10.100.0.16/28'):
        response = api.post('/v2.0/subnets', {'subnet': {'network_id': network_id,
                                                         'cidr': taken, 'ip_version': 4}})
        assert response.status_int == 201, response.body
    tried = []
    for cidr in ipaddress.ip_network('10.100.0.0/16').subnets(new_prefix=28):
        tried.append(str(cidr))
        response = api.post('/v2.0/subnets', {'subnet': {
            'network_id': network_id, 'cidr': str(cidr), 'ip_version': 4,
            'gateway_ip': str(cidr.network_address + 1)}})
        if response.status_int == 400:
            assert 'overlaps with another subnet' in response.json['NeutronError']['message']
            continue
        assert response.status_int == 201, response.body
        break
    assert tried == ['10.100.0.0/28', '10.100.0.16/28', '10.100.0.32/28']
    assert response.json['subnet']['cidr'] == '10.100.0.32/28'
