"""Network API: the description of networks, subnets and ports (standard-attr-description)."""

from __future__ import annotations

import sqlalchemy as sa

from nova_lite.db.models import network_extras
from tests.unit.network_rest.conftest import NetworkApi


def _create(api: NetworkApi, collection: str, key: str, **fields: object) -> dict:
    response = api.post(f'/v2.0/{collection}', {key: fields})
    assert response.status_int == 201, response.body
    return response.json[key]


def _stored(api: NetworkApi) -> dict[str, str]:
    with api.env.cloud.services.db.reader() as session:
        return {row.resource_id: row.description for row in
                session.scalars(sa.select(network_extras.ResourceDescription))}


def test_each_resource_keeps_its_description(api: NetworkApi) -> None:
    network = _create(api, 'networks', 'network', name='n', description='d1')
    subnet = _create(api, 'subnets', 'subnet', network_id=network['id'],
                     cidr='10.7.0.0/24', description='sub')
    port = _create(api, 'ports', 'port', network_id=network['id'], description='p')
    assert (network['description'], subnet['description'], port['description']) == \
        ('d1', 'sub', 'p')
    for collection, key, item, text in (('networks', 'network', network, 'd1'),
                                        ('subnets', 'subnet', subnet, 'sub'),
                                        ('ports', 'port', port, 'p')):
        assert api.get(f"/v2.0/{collection}/{item['id']}").json[key]['description'] == text
        listed = api.get(f"/v2.0/{collection}?id={item['id']}").json[collection]
        assert [found['description'] for found in listed] == [text]
        updated = api.put(f"/v2.0/{collection}/{item['id']}", {key: {'description': 'new'}})
        assert updated.status_int == 200, updated.body
        assert updated.json[key]['description'] == 'new'
        assert api.get(f"/v2.0/{collection}/{item['id']}").json[key]['description'] == 'new'


def test_undescribed_resources_show_empty_and_store_nothing(api: NetworkApi) -> None:
    network = _create(api, 'networks', 'network', name='plain')
    assert network['description'] == ''
    assert network['id'] not in _stored(api)
    api.put(f"/v2.0/networks/{network['id']}", {'network': {'description': 'x'}})
    assert _stored(api)[network['id']] == 'x'
    api.put(f"/v2.0/networks/{network['id']}", {'network': {'description': ''}})
    assert network['id'] not in _stored(api)


def test_deleting_a_network_forgets_its_descriptions(api: NetworkApi) -> None:
    network = _create(api, 'networks', 'network', name='n', description='net')
    subnet = _create(api, 'subnets', 'subnet', network_id=network['id'],
                     cidr='10.8.0.0/24', description='sub')
    # A DHCP port goes with its network (a user's port would make the delete a 409).
    port = _create(api, 'ports', 'port', network_id=network['id'], fixed_ips=[],
                   description='p', device_owner='network:dhcp')
    assert {network['id'], subnet['id'], port['id']} <= set(_stored(api))
    assert api.delete(f"/v2.0/networks/{network['id']}").status_int == 204
    assert not {network['id'], subnet['id'], port['id']} & set(_stored(api))


def test_a_too_long_description_is_refused(api: NetworkApi) -> None:
    network = _create(api, 'networks', 'network', name='n')
    response = api.put(f"/v2.0/networks/{network['id']}",
                       {'network': {'description': 'x' * 256}})
    assert response.status_int == 400
    assert 'description' in response.json['NeutronError']['message']


def test_the_extension_is_listed(api: NetworkApi) -> None:
    response = api.get('/v2.0/extensions/standard-attr-description')
    assert response.status_int == 200


def test_lists_filter_on_description(api: NetworkApi) -> None:
    described = _create(api, 'networks', 'network', name='a', description='blue')
    plain = _create(api, 'networks', 'network', name='b')
    for collection, key, network_id in (('subnets', 'subnet', described['id']),
                                        ('ports', 'port', described['id'])):
        extra = {'cidr': '10.5.0.0/24'} if key == 'subnet' else {'fixed_ips': []}
        item = _create(api, collection, key, network_id=network_id, description='blue',
                       **extra)
        listed = api.get(f'/v2.0/{collection}?description=blue').json[collection]
        assert [found['id'] for found in listed] == [item['id']]

    def names(query: str) -> list[str]:
        response = api.get(f'/v2.0/networks?{query}')
        assert response.status_int == 200, response.body
        return sorted(network['name'] for network in response.json['networks'])

    assert names('description=blue') == ['a']
    assert plain['name'] in names('description=')
    assert 'a' not in names('description=')
    assert names('description=blue&description=') == sorted({'a', *names('description=')})
