"""The JSON Home document advertises the identity extensions, as keystone's does."""

from __future__ import annotations

from tests.unit.identity_rest.conftest import IdentityEnv

BASE = 'https://docs.openstack.org/api/openstack-identity/3'


def test_json_home_at_v3_and_root(env: IdentityEnv) -> None:
    response = env.client.request('GET', '/v3', headers={'Accept': 'application/json-home'})
    assert response.status_int == 200
    assert response.content_type == 'application/json-home'
    resources = response.json['resources']
    assert resources[f'{BASE}/rel/policies'] == {'href': '/policies'}
    assert resources[f'{BASE}/ext/OS-EP-FILTER/1.0/rel/endpoint_groups'] == {
        'href': '/OS-EP-FILTER/endpoint_groups'}
    inherit = resources[f'{BASE}/ext/OS-INHERIT/1.0/rel/domain_user_role_inherited_to_projects']
    assert inherit['href-template'] == ('/OS-INHERIT/domains/{domain_id}/users/{user_id}'
                                        '/roles/{role_id}/inherited_to_projects')
    assert inherit['href-vars']['role_id'] == f'{BASE}/param/role_id'
    consumer = resources[f'{BASE}/ext/OS-OAUTH1/1.0/rel/consumer']
    assert consumer['href-vars'] == {
        'consumer_id': f'{BASE}/ext/OS-OAUTH1/1.0/param/consumer_id'}
    option = resources[f'{BASE}/rel/domain_config_option']['href-vars']
    assert option['group'] == f'{BASE}/param/config_group'
    root = env.client.request('GET', '/', headers={'Accept': 'application/json-home'})
    assert root.status_int == 200
    assert root.json['resources'][f'{BASE}/rel/policies'] == {'href': '/v3/policies'}


def test_plain_json_still_gets_the_version_document(env: IdentityEnv) -> None:
    response = env.client.request('GET', '/v3', headers={
        'Accept': 'application/json, application/json-home;q=0.5'})
    assert response.status_int == 200 and response.json['version']['status'] == 'stable'
    assert env.client.request('GET', '/').status_int == 300
