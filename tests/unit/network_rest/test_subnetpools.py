"""Subnet pools: CRUD, allocation of subnets from them, default pools, prefix ops."""

from __future__ import annotations

from typing import Any

from tests.unit.network_rest.conftest import NetworkApi, neutron_error


def _pool(api: NetworkApi, status: int = 201, token: str | None = None,
          **fields: Any) -> dict[str, Any]:
    body = {'name': 'pool', 'prefixes': ['10.10.0.0/16'], **fields}
    response = api.post('/v2.0/subnetpools', {'subnetpool': body}, token=token)
    assert response.status_int == status, response.body
    return response.json.get('subnetpool') or response.json


def _network(api: NetworkApi, token: str | None = None) -> str:
    response = api.post('/v2.0/networks', {'network': {'name': 'n'}}, token=token)
    assert response.status_int == 201, response.body
    return response.json['network']['id']


def _subnet(api: NetworkApi, network_id: str, **fields: Any) -> Any:
    return api.post('/v2.0/subnets', {'subnet': {'network_id': network_id, **fields}})


def test_crud_shows_neutron_s_fields(api: NetworkApi) -> None:
    pool = _pool(api, prefixes=['10.10.0.0/17', '10.10.128.0/17', '10.20.0.0/24'],
                 min_prefixlen='20', description='d')
    assert pool['prefixes'] == ['10.10.0.0/16', '10.20.0.0/24']  # merged
    assert (pool['ip_version'], pool['min_prefixlen'], pool['default_prefixlen'],
            pool['max_prefixlen']) == (4, 20, 20, 32)
    assert pool['shared'] is False and pool['is_default'] is False
    assert pool['default_quota'] is None and pool['address_scope_id'] is None
    assert pool['project_id'] == pool['tenant_id'] == api.env.ctx.project_id
    assert pool['description'] == 'd' and pool['revision_number'] == 1
    assert pool['created_at'] and pool['updated_at']
    shown = api.get(f"/v2.0/subnetpools/{pool['id']}").json['subnetpool']
    assert shown == pool
    updated = api.put(f"/v2.0/subnetpools/{pool['id']}",
                      {'subnetpool': {'name': 'renamed', 'default_prefixlen': 24,
                                      'prefixes': ['10.10.0.0/16', '10.20.0.0/24',
                                                   '10.30.0.0/16']}})
    assert updated.status_int == 200, updated.body
    assert updated.json['subnetpool']['name'] == 'renamed'
    assert updated.json['subnetpool']['default_prefixlen'] == 24
    # Prefixes only grow on update.
    shrink = api.put(f"/v2.0/subnetpools/{pool['id']}",
                     {'subnetpool': {'prefixes': ['10.10.0.0/16']}})
    assert shrink.status_int == 400
    assert neutron_error(shrink)['type'] == 'IllegalSubnetPoolPrefixUpdate'
    listed = api.get('/v2.0/subnetpools?name=renamed&ip_version=4').json['subnetpools']
    assert [item['id'] for item in listed] == [pool['id']]
    assert api.get('/v2.0/subnetpools?bogus=1').status_int == 400
    assert api.delete(f"/v2.0/subnetpools/{pool['id']}").status_int == 204
    missing = api.get(f"/v2.0/subnetpools/{pool['id']}")
    assert missing.status_int == 404
    assert neutron_error(missing)['type'] == 'SubnetPoolNotFound'
    _bad_input_is_400_naming_the_field(api)
    _paging(api)


def _bad_input_is_400_naming_the_field(api: NetworkApi) -> None:
    for fields, field in (({'prefixes': ['10.0.0.1/16']}, 'prefixes.0'),
                          ({'prefixes': ['10.0.0.0/16', 'fd00::/48']}, 'prefixes'),
                          ({'min_prefixlen': 24, 'max_prefixlen': 20}, 'min_prefixlen'),
                          ({'default_prefixlen': 8, 'min_prefixlen': 16}, 'default_prefixlen'),
                          ({'max_prefixlen': 33}, 'max_prefixlen')):
        body = {'name': 'x', 'prefixes': ['10.0.0.0/16'], **fields}
        response = api.post('/v2.0/subnetpools', {'subnetpool': body})
        assert response.status_int == 400, (fields, response.body)
        assert field in neutron_error(response)['message'], (fields, response.body)


def _paging(api: NetworkApi) -> None:
    ids = [_pool(api, name=f'p{index}', prefixes=[f'10.{index}.0.0/16'])['id']
           for index in range(3)]
    first = api.get('/v2.0/subnetpools?limit=2').json
    assert [item['id'] for item in first['subnetpools']] == ids[:2]
    assert first['subnetpools_links'][0]['rel'] == 'next'
    second = api.get(f'/v2.0/subnetpools?limit=2&marker={ids[1]}').json
    assert [item['id'] for item in second['subnetpools']] == ids[2:]


def test_subnets_take_the_first_free_cidr_of_the_asked_size(api: NetworkApi) -> None:
    pool = _pool(api, prefixes=['10.10.0.0/22'], default_prefixlen=24, min_prefixlen=23)
    network_id = _network(api)
    cidrs = []
    for fields in ({}, {'prefixlen': 23}, {'prefixlen': '24'}):
        response = _subnet(api, network_id, subnetpool_id=pool['id'], ip_version=4, **fields)
        assert response.status_int == 201, response.body
        subnet = response.json['subnet']
        assert subnet['subnetpool_id'] == pool['id']
        cidrs.append(subnet['cidr'])
    assert cidrs == ['10.10.0.0/24', '10.10.2.0/23', '10.10.1.0/24']
    assert subnet['gateway_ip'] == '10.10.1.1'
    full = _subnet(api, network_id, subnetpool_id=pool['id'])
    assert full.status_int == 409
    assert neutron_error(full)['type'] == 'SubnetAllocationError'
    too_small = _subnet(api, network_id, subnetpool_id=pool['id'], prefixlen=22)
    assert too_small.status_int == 400 and 'prefixlen' in neutron_error(too_small)['message']
    assert api.get(f"/v2.0/subnets?network_id={network_id}").json['subnets'][0][
        'subnetpool_id'] == pool['id']
    assert len(api.get(f"/v2.0/subnets?subnetpool_id={pool['id']}").json['subnets']) == 3
    in_use = api.delete(f"/v2.0/subnetpools/{pool['id']}")
    assert in_use.status_int == 409
    assert neutron_error(in_use)['type'] == 'SubnetPoolInUse'
    # Once its subnets are gone the pool may go, and their CIDRs are free again.
    for item in api.get(f"/v2.0/subnets?network_id={network_id}").json['subnets']:
        assert api.delete(f"/v2.0/subnets/{item['id']}").status_int == 204
    again = _subnet(api, network_id, subnetpool_id=pool['id'])
    assert again.json['subnet']['cidr'] == '10.10.0.0/24'


def test_explicit_cidr_is_checked_against_the_pool(api: NetworkApi) -> None:
    pool = _pool(api, prefixes=['10.10.0.0/16'], min_prefixlen=16)
    network_id = _network(api)
    ok = _subnet(api, network_id, subnetpool_id=pool['id'], cidr='10.10.5.0/24')
    assert ok.status_int == 201, ok.body
    assert ok.json['subnet']['subnetpool_id'] == pool['id']
    outside = _subnet(api, _network(api), subnetpool_id=pool['id'], cidr='10.99.0.0/24')
    assert outside.status_int == 409
    taken = _subnet(api, _network(api), subnetpool_id=pool['id'], cidr='10.10.5.0/25')
    assert taken.status_int == 409
    # The next allocation skips the explicit one.
    nxt = _subnet(api, _network(api), subnetpool_id=pool['id'], prefixlen=24)
    assert nxt.json['subnet']['cidr'] == '10.10.0.0/24'
    nxt = _subnet(api, _network(api), subnetpool_id=pool['id'], prefixlen=21)
    assert nxt.json['subnet']['cidr'] == '10.10.8.0/21'
    # A network's subnets of one IP version all come from one pool.
    mixed = _subnet(api, network_id, cidr='192.168.9.0/24')
    assert mixed.status_int == 400
    assert neutron_error(mixed)['type'] == 'NetworkSubnetPoolAffinityError'
    neither = _subnet(api, network_id, ip_version=4)
    assert neither.status_int == 400 and 'cidr' in neutron_error(neither)['message']
    unknown = _subnet(api, network_id, subnetpool_id='00000000-0000-0000-0000-000000000000')
    assert unknown.status_int == 404


def test_default_pools(api: NetworkApi) -> None:
    member = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    assert _pool(api, 403, token=member, is_default=True)['NeutronError']['type'] \
        == 'PolicyNotAuthorized'
    assert _pool(api, 403, token=member, shared=True)
    default = _pool(api, is_default=True, shared=True, default_prefixlen=26,
                    prefixes=['172.16.0.0/16'])
    second = _pool(api, 400, is_default=True, prefixes=['172.17.0.0/16'])
    assert 'Only one default may exist per IP family' in second['NeutronError']['message']
    assert _pool(api, is_default=True, prefixes=['fd00::/48'])['ip_version'] == 6
    other = _pool(api, prefixes=['172.18.0.0/16'])
    assert api.put(f"/v2.0/subnetpools/{other['id']}",
                   {'subnetpool': {'is_default': True}}).status_int == 400
    network_id = _network(api, token=member)
    response = api.post('/v2.0/subnets', {'subnet': {
        'network_id': network_id, 'use_default_subnetpool': True, 'ip_version': 4}},
        token=member)
    assert response.status_int == 201, response.body
    assert response.json['subnet']['cidr'] == '172.16.0.0/26'
    assert response.json['subnet']['subnetpool_id'] == default['id']
    # The member sees the shared pool but may not change it.
    assert api.get(f"/v2.0/subnetpools/{default['id']}", token=member).status_int == 200
    assert api.put(f"/v2.0/subnetpools/{default['id']}", {'subnetpool': {'name': 'x'}},
                   token=member).status_int == 403
    both = _subnet(api, _network(api), use_default_subnetpool=True, subnetpool_id=other['id'])
    assert both.status_int == 400
    v6 = _subnet(api, _network(api), use_default_subnetpool=True, ip_version=6)
    assert v6.status_int == 201, v6.body
    assert (v6.json['subnet']['cidr'], v6.json['subnet']['gateway_ip']) == ('fd00::/64',
                                                                           'fd00::1')


def test_prefix_ops(api: NetworkApi) -> None:
    pool = _pool(api, prefixes=['10.10.0.0/24'], default_prefixlen=26, min_prefixlen=24)
    url = f"/v2.0/subnetpools/{pool['id']}"
    added = api.put(f'{url}/add_prefixes', {'prefixes': ['10.10.1.0/24', '10.50.0.0/24']})
    assert added.status_int == 200, added.body
    assert added.json == {'prefixes': ['10.10.0.0/23', '10.50.0.0/24']}
    subnet = _subnet(api, _network(api), subnetpool_id=pool['id'])
    assert subnet.json['subnet']['cidr'] == '10.10.0.0/26'
    in_use = api.put(f'{url}/remove_prefixes', {'prefixes': ['10.10.0.0/24']})
    assert in_use.status_int == 400
    assert neutron_error(in_use)['type'] == 'IllegalSubnetPoolPrefixUpdate'
    removed = api.put(f'{url}/remove_prefixes', {'prefixes': ['10.10.1.0/24', '10.50.0.0/24']})
    assert removed.json == {'prefixes': ['10.10.0.0/24']}
    assert api.get(url).json['subnetpool']['prefixes'] == ['10.10.0.0/24']
    assert api.put(f'{url}/add_prefixes', {'prefixes': ['nope']}).status_int == 400
    _quota_counts_the_project_s_addresses(api)


def _quota_counts_the_project_s_addresses(api: NetworkApi) -> None:
    pool = _pool(api, prefixes=['10.20.0.0/16'], default_prefixlen=28, default_quota=32)
    network_id = _network(api)
    for _ in range(2):
        assert _subnet(api, network_id, subnetpool_id=pool['id']).status_int == 201
    over = _subnet(api, network_id, subnetpool_id=pool['id'])
    assert over.status_int == 409
    assert neutron_error(over)['type'] == 'SubnetPoolQuotaExceeded'
