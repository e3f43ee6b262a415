"""Network API: tags of networks, subnets, ports, routers, floating IPs, security
groups and subnet pools (standard-attr-tag)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova_lite.db.models import network_tags
from nova_lite.network import taggable
from tests.unit.network_rest.conftest import NetworkApi, neutron_error


def _create(api: NetworkApi, collection: str, key: str, **fields: Any) -> dict[str, Any]:
    response = api.post(f'/v2.0/{collection}', {key: fields})
    assert response.status_int == 201, response.body
    return response.json[key]


def _stored(api: NetworkApi) -> set[tuple[str, str]]:
    with api.env.cloud.services.db.reader() as session:
        return {(row.resource_id, row.tag) for row in
                session.scalars(sa.select(network_tags.ResourceTag))}


def _resources(api: NetworkApi) -> dict[str, tuple[str, dict[str, Any]]]:
    """One resource of each tagged collection: collection -> (body key, body)."""
    network = _create(api, 'networks', 'network', name='n')
    external = _create(api, 'networks', 'network', name='ext', **{'router:external': True})
    _create(api, 'subnets', 'subnet', network_id=external['id'], cidr='172.24.4.0/24')
    subnet = _create(api, 'subnets', 'subnet', network_id=network['id'], cidr='10.9.0.0/24')
    return {
        'networks': ('network', network), 'subnets': ('subnet', subnet),
        'ports': ('port', _create(api, 'ports', 'port', network_id=network['id'])),
        'routers': ('router', _create(api, 'routers', 'router', name='r')),
        'floatingips': ('floatingip', _create(api, 'floatingips', 'floatingip',
                                              floating_network_id=external['id'])),
        'security-groups': ('security_group', _create(api, 'security-groups',
                                                      'security_group', name='sg')),
        'subnetpools': ('subnetpool', _create(api, 'subnetpools', 'subnetpool', name='p',
                                              prefixes=['10.200.0.0/16'])),
    }


def _every_collection_takes_tags_and_shows_them(api: NetworkApi) -> None:
    resources = _resources(api)
    assert set(resources) == set(taggable.TAGGABLE)
    for collection, (key, item) in resources.items():
        assert item['tags'] == [], collection
        path = f"/v2.0/{collection}/{item['id']}/tags"
        added = api.put(f'{path}/red', None)
        assert (added.status_int, added.body) == (201, b''), (collection, added.body)
        assert api.get(f'{path}/red').status_int == 204
        missing = api.get(f'{path}/blue')
        assert missing.status_int == 404
        assert neutron_error(missing)['type'] == 'TagNotFound'
        assert api.get(path).json == {'tags': ['red']}
        shown = api.get(f"/v2.0/{collection}/{item['id']}").json[key]
        assert shown['tags'] == ['red'], collection
        listed = api.get(f"/v2.0/{collection}?id={item['id']}").json
        assert [found['tags'] for found in next(iter(listed.values()))] == [['red']]
        replaced = api.put(path, {'tags': ['a', 'b', 'c']})
        assert replaced.status_int == 200
        assert sorted(replaced.json['tags']) == ['a', 'b', 'c']
        assert api.get(path).json == {'tags': ['a', 'b', 'c']}
        assert api.delete(f'{path}/a').status_int == 204
        assert api.delete(f'{path}/a').status_int == 404
        assert api.get(path).json == {'tags': ['b', 'c']}
        assert api.delete(path).status_int == 204
        assert api.get(path).json == {'tags': []}
    assert _stored(api) == set()


def _adding_a_tag_twice_keeps_one(api: NetworkApi) -> None:
    network = _create(api, 'networks', 'network', name='n')
    path = f"/v2.0/networks/{network['id']}/tags"
    assert api.put(f'{path}/x', None).status_int == 201
    assert api.put(f'{path}/x', None).status_int == 201
    assert api.get(path).json == {'tags': ['x']}
    emptied = api.put(path, {'tags': []})
    assert (emptied.status_int, emptied.json) == (200, {'tags': []})
    assert api.get(f"/v2.0/networks/{network['id']}").json['network']['tags'] == []


def _bad_tags_are_400_naming_the_field(api: NetworkApi) -> None:
    network = _create(api, 'networks', 'network', name='n')
    path = f"/v2.0/networks/{network['id']}/tags"
    for body in ({'tags': ['x' * 256]}, {'tags': ['a,b']}, {'tags': 'red'}, {'tags': [1]},
                 {'tags': ['dup', 'dup']}, {'other': []}, ['red']):
        response = api.put(path, body)
        assert response.status_int == 400, body
        assert 'tags' in neutron_error(response)['message'], body
    assert api.put(f"{path}/{'x' * 256}", None).status_int == 400
    assert api.put(f'{path}/a,b', None).status_int == 400
    assert api.put(path, {'tags': ['x' * 255]}).status_int == 200
    assert _stored(api) == {(network['id'], 'x' * 255)}


def _tags_in_the_path_are_url_decoded(api: NetworkApi) -> None:
    network = _create(api, 'networks', 'network', name='n')
    path = f"/v2.0/networks/{network['id']}/tags"
    for quoted in ('v1.2', 'a%20b', '%C3%BCn%C3%AF'):
        assert api.put(f'{path}/{quoted}', None).status_int == 201, quoted
        assert api.get(f'{path}/{quoted}').status_int == 204, quoted
    assert api.get(path).json['tags'] == ['a b', 'v1.2', '\u00fcn\u00ef']


def _unknown_or_invisible_resources_are_404(api: NetworkApi) -> None:
    missing = '2b1e2d6c-7c4e-4f55-9b7e-1f0f2b3c4d5e'
    for collection, kind in (('networks', 'NetworkNotFound'), ('ports', 'PortNotFound'),
                             ('routers', 'RouterNotFound')):
        response = api.put(f'/v2.0/{collection}/{missing}/tags', {'tags': ['a']})
        assert response.status_int == 404
        assert neutron_error(response)['type'] == kind
    router = _create(api, 'routers', 'router', name='private')
    other = api.user_token('other-project', 'other-user', ('member',))
    response = api.get(f"/v2.0/routers/{router['id']}/tags", token=other)
    assert response.status_int == 404
    assert api.put(f'/v2.0/unknown/{missing}/tags', {'tags': []}).status_int == 404


def _only_the_owner_changes_tags_of_a_shared_network(api: NetworkApi) -> None:
    network = _create(api, 'networks', 'network', name='shared', shared=True)
    path = f"/v2.0/networks/{network['id']}/tags"
    assert api.put(f'{path}/mine', None).status_int == 201
    other = api.user_token('other-project', 'other-user', ('member',))
    assert api.get(path, token=other).json == {'tags': ['mine']}
    for response in (api.put(f'{path}/theirs', None, token=other),
                     api.put(path, {'tags': []}, token=other),
                     api.delete(path, token=other), api.delete(f'{path}/mine', token=other)):
        assert response.status_int == 403
        assert neutron_error(response)['type'] == 'PolicyNotAuthorized'
    reader = api.user_token('reader-project', 'reader-user', ('reader',))
    private = _create(api, 'networks', 'network', name='p')
    assert api.get(f"/v2.0/networks/{private['id']}/tags", token=reader).status_int == 404
    assert api.get(path, token=reader).status_int == 200
    assert api.get(path).json == {'tags': ['mine']}


def _names(api: NetworkApi, query: str) -> list[str]:
    response = api.get(f'/v2.0/networks?{query}')
    assert response.status_int == 200, response.body
    return sorted(item['name'] for item in response.json['networks']
                  if item['name'] in ('rb', 'r', 'g', 'none'))  # not the env's own


def _networks_filter_on_tags(api: NetworkApi) -> None:
    for name, tags in (('rb', ['red', 'blue']), ('r', ['red']), ('g', ['green']), ('none', [])):
        network = _create(api, 'networks', 'network', name=name)
        api.put(f"/v2.0/networks/{network['id']}/tags", {'tags': tags})
    assert _names(api, 'tags=red') == ['r', 'rb']
    assert _names(api, 'tags=red,blue') == ['rb']
    assert _names(api, 'tags=red&tags=blue') == ['rb']
    assert _names(api, 'tags-any=blue,green') == ['g', 'rb']
    assert _names(api, 'not-tags=red,blue') == ['g', 'none', 'r']
    assert _names(api, 'not-tags-any=red,green') == ['none']
    assert _names(api, 'tags=red&not-tags=blue') == ['r']
    assert _names(api, 'tags=nothing') == []
    too_long = api.get(f"/v2.0/networks?tags={'x' * 256}")
    assert too_long.status_int == 400
    assert 'tags' in neutron_error(too_long)['message']


def _other_lists_filter_on_tags(api: NetworkApi) -> None:
    resources = _resources(api)
    for collection, (_key, item) in resources.items():
        api.put(f"/v2.0/{collection}/{item['id']}/tags/marked", None)
        response = api.get(f'/v2.0/{collection}?tags=marked')
        assert response.status_int == 200, (collection, response.body)
        assert [found['id'] for found in next(iter(response.json.values()))] == [item['id']]
        response = api.get(f'/v2.0/{collection}?not-tags-any=marked')
        assert item['id'] not in [found['id'] for found in next(iter(response.json.values()))]


def _deleting_resources_forgets_their_tags(api: NetworkApi) -> None:
    resources = _resources(api)
    for collection, (_key, item) in resources.items():
        api.put(f"/v2.0/{collection}/{item['id']}/tags", {'tags': ['t']})
    assert len(_stored(api)) == len(resources)
    # A user's port blocks its network's delete (neutron's NetworkInUse): it goes first.
    for collection in ('floatingips', 'routers', 'security-groups', 'subnetpools', 'ports'):
        assert api.delete(f"/v2.0/{collection}/{resources[collection][1]['id']}") \
            .status_int == 204
    network_id = resources['networks'][1]['id']
    assert api.delete(f'/v2.0/networks/{network_id}').status_int == 204
    assert _stored(api) == set()


def _deleting_a_subnet_or_port_forgets_its_tags(api: NetworkApi) -> None:
    network = _create(api, 'networks', 'network', name='n')
    subnet = _create(api, 'subnets', 'subnet', network_id=network['id'], cidr='10.3.0.0/24')
    port = _create(api, 'ports', 'port', network_id=network['id'], fixed_ips=[])
    for collection, item in (('subnets', subnet), ('ports', port), ('networks', network)):
        api.put(f"/v2.0/{collection}/{item['id']}/tags/t", None)
    assert api.delete(f"/v2.0/ports/{port['id']}").status_int == 204
    assert api.delete(f"/v2.0/subnets/{subnet['id']}").status_int == 204
    assert _stored(api) == {(network['id'], 't')}


def _the_extension_is_listed(api: NetworkApi) -> None:
    assert api.get('/v2.0/extensions/standard-attr-tag').status_int == 200



# Each test starts an embedded cloud (seconds): the checks above share three of them.

def test_tags_of_every_collection_live_and_die_with_their_resource(api: NetworkApi) -> None:
    _every_collection_takes_tags_and_shows_them(api)
    _deleting_resources_forgets_their_tags(api)
    _deleting_a_subnet_or_port_forgets_its_tags(api)
    _adding_a_tag_twice_keeps_one(api)


def test_bad_input_unknown_resources_and_the_extension(api: NetworkApi) -> None:
    _unknown_or_invisible_resources_are_404(api)
    _bad_tags_are_400_naming_the_field(api)
    _tags_in_the_path_are_url_decoded(api)
    _the_extension_is_listed(api)


def test_list_filters_and_policy(api: NetworkApi) -> None:
    _networks_filter_on_tags(api)
    _other_lists_filter_on_tags(api)
    _only_the_owner_changes_tags_of_a_shared_network(api)
