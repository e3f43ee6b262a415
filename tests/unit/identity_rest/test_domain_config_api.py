"""``/v3/domains/{domain_id}/config`` and ``/v3/domains/config/default``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.identity_rest.conftest import IdentityEnv

CUSTOM = {'identity': {'driver': 'ldap'},
          'ldap': {'url': 'ldap://myldap.com:389/',
                   'user_tree_dn': 'ou=Users,dc=my_new_root,dc=org'}}


def _domain(env: IdentityEnv, name: str = 'cfg-domain') -> str:
    response = env.client.request('POST', '/v3/domains', {'domain': {'name': name}},
                                  token=env.admin_token)
    assert response.status_int == 201
    return str(response.json['domain']['id'])


def test_defaults(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    config = client.request('GET', '/v3/domains/config/default', token=token).json['config']
    assert set(config) == {'identity', 'ldap'}
    assert config['identity'] == {'driver': 'sql', 'list_limit': None}
    assert 'password' not in config['ldap'] and config['ldap']['url'] == 'ldap://localhost'
    group = client.request('GET', '/v3/domains/config/ldap/default', token=token).json
    assert group == {'config': {'ldap': config['ldap']}}
    option = client.request('GET', '/v3/domains/config/identity/driver/default', token=token)
    assert option.json == {'config': {'driver': 'sql'}}
    assert client.request('GET', '/v3/domains/config/nova/default',
                          token=token).status_int == 403
    assert client.request('GET', '/v3/domains/config/identity/colour/default',
                          token=token).status_int == 403


def test_create_show_replace_delete(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    domain_id = _domain(env)
    path = f'/v3/domains/{domain_id}/config'
    assert client.request('GET', path, token=token).status_int == 404
    response = client.request('PUT', path, {'config': CUSTOM}, token=token)
    assert response.status_int == 201 and response.json == {'config': CUSTOM}
    assert client.request('GET', path, token=token).json == {'config': CUSTOM}
    assert client.request('GET', f'{path}/ldap', token=token).json == {
        'config': {'ldap': CUSTOM['ldap']}}
    assert client.request('GET', f'{path}/ldap/url', token=token).json == {
        'config': {'url': 'ldap://myldap.com:389/'}}
    assert client.request('GET', f'{path}/ldap/user', token=token).status_int == 404
    replaced = client.request('PUT', path, {'config': {'identity': {'driver': 'sql'}}},
                              token=token)
    assert replaced.status_int == 200
    assert replaced.json == {'config': {'identity': {'driver': 'sql'}}}
    assert client.request('GET', f'{path}/ldap', token=token).status_int == 404
    assert client.request('DELETE', path, token=token).status_int == 204
    assert client.request('GET', path, token=token).status_int == 404
    assert client.request('DELETE', path, token=token).status_int == 404
    assert client.request('GET', '/v3/domains/nope/config', token=token).status_int == 404


def test_update_groups_and_options(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    domain_id = _domain(env)
    path = f'/v3/domains/{domain_id}/config'
    client.request('PUT', path, {'config': CUSTOM}, token=token)
    response = client.request('PATCH', f'{path}/identity', {'config': {
        'identity': {'driver': 'd2', 'list_limit': 42}}}, token=token)
    assert response.status_int == 200
    assert response.json['config']['identity'] == {'driver': 'd2', 'list_limit': 42}
    assert response.json['config']['ldap'] == CUSTOM['ldap']
    response = client.request('PATCH', f'{path}/identity/driver',
                              {'config': {'driver': 'd3'}}, token=token)
    assert response.status_int == 200 and response.json['config']['identity']['driver'] == 'd3'
    # The body names another group / option than the URL: 403, as keystone.
    assert client.request('PATCH', f'{path}/identity', {'config': CUSTOM},
                          token=token).status_int == 403
    assert client.request('PATCH', f'{path}/identity/driver',
                          {'config': {'list_limit': 1}}, token=token).status_int == 403
    # Not configured yet: 404.
    assert client.request('PATCH', f'{path}/ldap/user', {'config': {'user': 'cn=x'}},
                          token=token).status_int == 404
    whole = client.request('PATCH', path, {'config': {'ldap': {'user': 'cn=x'}}}, token=token)
    assert whole.status_int == 200 and whole.json['config']['ldap']['user'] == 'cn=x'
    assert client.request('DELETE', f'{path}/identity/driver', token=token).status_int == 204
    assert client.request('GET', f'{path}/identity/driver', token=token).status_int == 404
    assert client.request('DELETE', f'{path}/identity/driver', token=token).status_int == 404
    assert client.request('DELETE', f'{path}/identity', token=token).status_int == 204
    assert client.request('GET', f'{path}/identity', token=token).status_int == 404
    assert client.request('GET', f'{path}/ldap/user', token=token).json == {
        'config': {'user': 'cn=x'}}


def test_sensitive_option_is_stored_not_shown(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    domain_id = _domain(env)
    path = f'/v3/domains/{domain_id}/config'
    response = client.request('PUT', path, {'config': {
        'ldap': {'url': 'ldap://x', 'password': 's3cret'}}}, token=token)
    assert response.json == {'config': {'ldap': {'url': 'ldap://x'}}}
    assert 's3cret' not in client.request('GET', path, token=token).text
    assert client.request('GET', f'{path}/ldap/password', token=token).status_int == 404


@pytest.mark.parametrize('body, status', [
    ({'config': {'nova': {'x': 1}}}, 403),
    ({'config': {'identity': {'colour': 'red'}}}, 403),
    ({'config': {}}, 403),
    ({'config': {'identity': {}}}, 403),
    ({'config': {'identity': {'driver': {'nested': 1}}}}, 403),
    ({'config': 'ldap'}, 400),
    ({'settings': {}}, 400),
])
def test_bad_configs(env: IdentityEnv, body: Any, status: int) -> None:
    domain_id = _domain(env)
    response = env.client.request('PUT', f'/v3/domains/{domain_id}/config', body,
                                  token=env.admin_token)
    assert response.status_int == status, response.text
    assert env.client.request('GET', f'/v3/domains/{domain_id}/config',
                              token=env.admin_token).status_int == 404


def test_config_rules(env: IdentityEnv) -> None:
    domain_id = _domain(env)
    member = env.add_member('cfg-member', 'cfg-project')
    path = f'/v3/domains/{domain_id}/config'
    assert env.client.request('PUT', path, {'config': CUSTOM},
                              token=member['token']).status_int == 403
    env.client.request('PUT', path, {'config': CUSTOM}, token=env.admin_token)
    assert env.client.request('DELETE', path, token=member['token']).status_int == 403
    assert env.client.request('GET', path, token=member['token']).status_int == 200
