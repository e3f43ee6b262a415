"""Catalog administration: regions, services and endpoints through the API."""

from __future__ import annotations

from tests.unit.identity_rest.conftest import IdentityEnv


def test_regions(env: IdentityEnv) -> None:
    admin, client = env.admin_token, env.client
    parent = client.request('PUT', '/v3/regions/Parent', {'region': {'description': 'p'}},
                            token=admin)
    assert parent.status_int == 201 and parent.json['region']['id'] == 'Parent'
    assert client.request('PUT', '/v3/regions/Parent', {'region': {}},
                          token=admin).status_int == 409
    child = client.request('POST', '/v3/regions', {'region': {
        'description': 'c', 'parent_region_id': 'Parent'}}, token=admin)
    assert child.status_int == 201, child.text
    child_id = child.json['region']['id']
    listed = client.request('GET', '/v3/regions?parent_region_id=Parent', token=admin)
    assert [r['id'] for r in listed.json['regions']] == [child_id]
    assert client.request('POST', '/v3/regions', {'region': {'parent_region_id': 'nope'}},
                          token=admin).status_int == 404
    cycle = client.request('PATCH', '/v3/regions/Parent',
                           {'region': {'parent_region_id': child_id}}, token=admin)
    assert cycle.status_int == 400
    updated = client.request('PATCH', f'/v3/regions/{child_id}',
                             {'region': {'description': 'changed'}}, token=admin)
    assert updated.json['region']['description'] == 'changed'
    assert client.request('DELETE', '/v3/regions/Parent', token=admin).status_int == 409
    assert client.request('DELETE', f'/v3/regions/{child_id}', token=admin).status_int == 204
    assert client.request('GET', f'/v3/regions/{child_id}', token=admin).status_int == 404
    member = env.add_member('regionuser', 'region-proj')
    assert client.request('POST', '/v3/regions', {'region': {}},
                          token=member['token']).status_int == 403


def test_services_and_endpoints_feed_the_catalog(env: IdentityEnv) -> None:
    admin, client = env.admin_token, env.client
    created = client.request('POST', '/v3/services', {'service': {
        'type': 'object-store', 'name': 'swift', 'description': 'objects'}}, token=admin)
    assert created.status_int == 201, created.text
    service = created.json['service']
    assert service['enabled'] is True and service['description'] == 'objects'
    endpoint = client.request('POST', '/v3/endpoints', {'endpoint': {
        'service_id': service['id'], 'interface': 'public', 'region': 'NewRegion',
        'url': 'http://swift.example.com:8080/v1/AUTH_$(project_id)s'}}, token=admin)
    assert endpoint.status_int == 201, endpoint.text
    endpoint_id = endpoint.json['endpoint']['id']
    assert client.request('GET', '/v3/regions/NewRegion', token=admin).status_int == 200
    catalog = client.request('GET', '/v3/auth/catalog', token=admin).json['catalog']
    swift = next(entry for entry in catalog if entry['type'] == 'object-store')
    assert swift['endpoints'][0]['url'].endswith(f"AUTH_{env.booted['project_id']}")
    for bad in ({'interface': 'sideways'}, {'enabled': 'True'}, {'url': 'ftp://x'}):
        response = client.request('PATCH', f'/v3/endpoints/{endpoint_id}',
                                  {'endpoint': bad}, token=admin)
        assert response.status_int == 400, bad
        assert next(iter(bad)) in response.json['error']['message']
    disabled = client.request('PATCH', f'/v3/endpoints/{endpoint_id}',
                              {'endpoint': {'enabled': False}}, token=admin)
    assert disabled.json['endpoint']['enabled'] is False
    catalog = client.request('GET', '/v3/auth/catalog', token=admin).json['catalog']
    assert next(e for e in catalog if e['type'] == 'object-store')['endpoints'] == []
    renamed = client.request('PATCH', f"/v3/services/{service['id']}",
                             {'service': {'type': 'object-store-2'}}, token=admin)
    assert renamed.json['service']['type'] == 'object-store-2'
    filtered = client.request('GET', '/v3/endpoints?interface=public&service_id='
                              + service['id'], token=admin)
    assert [e['id'] for e in filtered.json['endpoints']] == [endpoint_id]
    assert client.request('POST', '/v3/endpoints', {'endpoint': {
        'service_id': 'f' * 32, 'interface': 'public', 'url': 'http://x'}},
        token=admin).status_int == 400
    assert client.request('DELETE', f"/v3/services/{service['id']}",
                          token=admin).status_int == 204
    assert client.request('GET', f'/v3/endpoints/{endpoint_id}', token=admin).status_int == 404
    assert client.request('DELETE', '/v3/regions/NewRegion', token=admin).status_int == 204
