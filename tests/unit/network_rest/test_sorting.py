"""The sorting extension over the network REST API: ``sort_key``/``sort_dir`` pairs
order every list in its database query, id breaks ties, and the paging links
keep the order."""

from __future__ import annotations

import urllib.parse
from typing import Any

from tests.unit.network_rest.conftest import NetworkApi, neutron_error
from tests.unit.network_rest.test_l3 import _post

COLLECTIONS = ('networks', 'subnets', 'ports', 'routers', 'floatingips', 'security-groups',
               'security-group-rules', 'service-providers', 'subnetpools', 'address-scopes',
               'rbac-policies')


def _walk(api: NetworkApi, path: str, collection: str) -> tuple[list[dict[str, Any]], int]:
    """Every item of the list, following its next links; and the number of pages."""
    items: list[dict[str, Any]] = []
    url, pages = path, 0
    while url:
        response = api.get(url)
        assert response.status_int == 200, response.body
        pages += 1
        items += response.json[collection]
        links = response.json[f'{collection}_links']
        url = ''
        if links:
            parsed = urllib.parse.urlsplit(links[0]['href'])
            assert ('sort_key', 'name') in urllib.parse.parse_qsl(parsed.query)
            url = f'{parsed.path}?{parsed.query}'
    return items, pages


def test_sorted_pages_follow_the_sort_with_id_last(api: NetworkApi) -> None:
    names = ['b', 'a', 'c', 'a', 'b', 'a']
    created = [_post(api, 'networks', 'network', {'name': name}) for name in names]
    mine = {net['id'] for net in created}
    expected_desc = sorted(created, key=lambda net: net['id'])
    expected_desc.sort(key=lambda net: net['name'], reverse=True)
    walked, pages = _walk(api, '/v2.0/networks?sort_key=name&sort_dir=desc&limit=2',
                          'networks')
    assert [net['id'] for net in walked if net['id'] in mine] == [
        net['id'] for net in expected_desc]
    assert pages >= 3
    # Two pairs: name ascending, then id descending.
    listed = api.get('/v2.0/networks?sort_key=name&sort_dir=asc&sort_key=id&sort_dir=desc'
                     ).json['networks']
    expected = sorted(created, key=lambda net: net['id'], reverse=True)
    expected.sort(key=lambda net: net['name'])
    assert [net['id'] for net in listed if net['id'] in mine] == [
        net['id'] for net in expected]
    # Filters and fields go with the sort.
    only_a = api.get('/v2.0/networks?name=a&sort_key=id&sort_dir=desc&fields=id').json
    assert only_a['networks'] == [{'id': net_id} for net_id in sorted(
        (net['id'] for net in created if net['name'] == 'a'), reverse=True)]


def test_nullable_keys_other_lists_and_bad_parameters(api: NetworkApi) -> None:
    net = _post(api, 'networks', 'network', {'name': 'n'})
    subnets = [_post(api, 'subnets', 'subnet', {'network_id': net['id'], **body}) for body in (
        {'cidr': '10.7.2.0/24', 'gateway_ip': '10.7.2.9'},
        {'cidr': '10.7.1.0/24', 'gateway_ip': None},
        {'cidr': '10.7.3.0/24', 'gateway_ip': '10.7.3.1'})]
    for direction, order in (('asc', [1, 0, 2]), ('desc', [2, 0, 1])):
        ids, url = [], f'/v2.0/subnets?sort_key=gateway_ip&sort_dir={direction}&limit=1'
        while url:
            page = api.get(url).json
            ids += [subnet['id'] for subnet in page['subnets']
                    if subnet['network_id'] == net['id']]
            url = page['subnets_links'][0]['href'].split('9696', 1)[1] \
                if page['subnets_links'] else ''
        assert ids == [subnets[index]['id'] for index in order]
    for name, description in (('y', ''), ('x', 'b'), ('z', 'a')):
        _post(api, 'ports', 'port', {'network_id': net['id'], 'name': name,
                                     'description': description})
    listed = api.get('/v2.0/ports?sort_key=name&sort_dir=asc&fields=name').json['ports']
    assert [port['name'] for port in listed] == ['x', 'y', 'z']
    # description lives in its own table; pages after a marker still follow it.
    names, url = [], '/v2.0/ports?sort_key=description&sort_dir=desc&limit=1'
    while url:
        page = api.get(url).json
        names += [port['name'] for port in page['ports']]
        url = page['ports_links'][0]['href'].split('9696', 1)[1] if page['ports_links'] else ''
    assert names == ['x', 'z', 'y']
    groups = [_post(api, 'security-groups', 'security_group', {'name': name})
              for name in ('g2', 'g1')]
    listed = api.get('/v2.0/security-groups?sort_key=name&sort_dir=desc').json
    assert [group['name'] for group in listed['security_groups']] == ['g2', 'g1', 'default']
    assert len(groups) == 2
    rules = api.get('/v2.0/security-group-rules?sort_key=ethertype&sort_dir=desc'
                    '&sort_key=direction&sort_dir=asc').json['security_group_rules']
    keys = [(rule['ethertype'], rule['direction']) for rule in rules]
    assert keys == sorted(sorted(keys, key=lambda k: k[1]), key=lambda k: k[0], reverse=True)
    for name in ('p2', 'p3', 'p1'):
        _post(api, 'subnetpools', 'subnetpool', {'name': name,
                                                 'prefixes': [f'10.9{name[1]}.0.0/16']})
    pools = api.get('/v2.0/subnetpools?sort_key=name&sort_dir=desc').json['subnetpools']
    assert [pool['name'] for pool in pools] == ['p3', 'p2', 'p1']
    for collection in ('routers', 'floatingips', 'address-scopes', 'rbac-policies'):
        response = api.get(f'/v2.0/{collection}?sort_key=tenant_id&sort_dir=asc')
        assert response.status_int == 200
    # Bad sort parameters are a 400 naming them, on every list.
    for collection in COLLECTIONS:
        unknown = api.get(f'/v2.0/{collection}?sort_key=bogus&sort_dir=asc')
        assert unknown.status_int == 400, (collection, unknown.body)
        assert 'sort_key' in neutron_error(unknown)['message']
        bad_dir = api.get(f'/v2.0/{collection}?sort_key=name&sort_dir=up')
        assert bad_dir.status_int == 400
        assert 'sort_dir' in neutron_error(bad_dir)['message']
        unpaired = api.get(f'/v2.0/{collection}?sort_key=name')
        assert unpaired.status_int == 400
        assert 'sort_dir' in neutron_error(unpaired)['message']
    # Attributes that are not shown are no sort keys.
    for collection, key in (('routers', 'gw_port_id'), ('ports', 'binding_host_id'),
                            ('floatingips', 'floating_port_id'),
                            ('networks', 'dns_nameservers')):
        assert api.get(f'/v2.0/{collection}?sort_key={key}&sort_dir=asc').status_int == 400
