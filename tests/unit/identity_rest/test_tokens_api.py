"""Version documents and /v3/auth/*: issue, re-scope, validate, check, revoke."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.identity.conftest import row_counts
from tests.unit.identity_rest.conftest import ADMIN_PASSWORD, PUBLIC_URL, IdentityEnv

TOKENS = '/v3/auth/tokens'


def _password_auth(user: dict[str, Any], password: str,
                   scope: dict[str, Any] | None = None) -> dict[str, Any]:
    auth: dict[str, Any] = {'identity': {'methods': ['password'], 'password': {
        'user': {**user, 'password': password}}}}
    if scope is not None:
        auth['scope'] = scope
    return {'auth': auth}


def _admin_by_name(scope: dict[str, Any] | None = None) -> dict[str, Any]:
    return _password_auth({'name': 'admin', 'domain': {'name': 'Default'}}, ADMIN_PASSWORD,
                          scope)


def test_version_documents_need_no_token(env: IdentityEnv) -> None:
    doc = {'id': 'v3.14', 'status': 'stable', 'updated': '2020-04-07T00:00:00Z',
           'links': [{'rel': 'self', 'href': f'{PUBLIC_URL}/v3/'}],
           'media-types': [{'base': 'application/json',
                            'type': 'application/vnd.openstack.identity-v3+json'}]}
    for path in ('/v3', '/v3/'):
        response = env.client.request('GET', path)
        assert response.status_int == 200 and response.json == {'version': doc}
    response = env.client.request('GET', '/')
    assert response.status_int == 300 and response.json == {'versions': {'values': [doc]}}


def test_issue_by_names(env: IdentityEnv) -> None:
    response = env.client.request('POST', TOKENS, _admin_by_name(
        {'project': {'name': 'admin', 'domain': {'name': 'Default'}}}))
    assert response.status_int == 201
    token = response.json['token']
    assert response.headers['X-Subject-Token']
    assert token['methods'] == ['password'] and token['is_domain'] is False
    assert token['user'] == {'id': env.booted['user_id'], 'name': 'admin',
                             'domain': {'id': 'default', 'name': 'Default'},
                             'password_expires_at': None}
    assert token['project'] == {'id': env.booted['project_id'], 'name': 'admin',
                                'domain': {'id': 'default', 'name': 'Default'}}
    assert sorted(r['name'] for r in token['roles']) == ['admin', 'manager', 'member',
                                                          'reader']
    assert token['expires_at'].endswith('Z') and token['issued_at'].endswith('Z')
    assert len(token['audit_ids']) == 1
    identity = next(s for s in token['catalog'] if s['type'] == 'identity')
    assert identity['endpoints'][0]['url'] == 'http://127.0.0.1:5000/v3'
    assert identity['endpoints'][0]['interface'] == 'public'


def test_issue_by_ids_and_nocatalog(env: IdentityEnv) -> None:
    body = _password_auth({'id': env.booted['user_id']}, ADMIN_PASSWORD,
                          {'project': {'id': env.booted['project_id']}})
    response = env.client.request('POST', f'{TOKENS}?nocatalog', body)
    assert response.status_int == 201
    assert 'catalog' not in response.json['token']
    assert response.json['token']['project']['id'] == env.booted['project_id']


def test_unscoped_uses_default_project(env: IdentityEnv) -> None:
    response = env.client.request('POST', TOKENS, _admin_by_name())
    assert response.status_int == 201
    assert response.json['token']['project']['name'] == 'admin'


def test_without_scope_or_default_project_the_token_is_unscoped(env: IdentityEnv) -> None:
    env.identity.create_user('loner', 'default', 'loner-password')
    response = env.client.request('POST', TOKENS, _password_auth(
        {'name': 'loner', 'domain': {'id': 'default'}}, 'loner-password'))
    assert response.status_int == 201
    token = response.json['token']
    assert 'project' not in token and 'catalog' not in token and 'roles' not in token
    assert token['user']['name'] == 'loner'


def test_domain_scope_is_401(env: IdentityEnv) -> None:
    body = _password_auth({'name': 'admin', 'domain': {'id': 'default'}}, ADMIN_PASSWORD)
    body['auth']['scope'] = {'domain': {'id': 'default'}}
    response = env.client.request('POST', TOKENS, body)
    assert response.status_int == 401
    assert response.headers['WWW-Authenticate'] == f'Keystone uri="{PUBLIC_URL}"'


@pytest.mark.parametrize('user, password', [
    ({'name': 'admin', 'domain': {'name': 'Default'}}, 'wrong'),
    ({'name': 'nobody', 'domain': {'name': 'Default'}}, ADMIN_PASSWORD),
    ({'id': 'f' * 32}, ADMIN_PASSWORD),
])
def test_bad_credentials_401(env: IdentityEnv, user: dict[str, Any], password: str) -> None:
    response = env.client.request('POST', TOKENS, _password_auth(user, password))
    assert response.status_int == 401
    assert response.headers['WWW-Authenticate'] == f'Keystone uri="{PUBLIC_URL}"'
    assert response.json['error']['code'] == 401
    assert response.json['error']['title'] == 'Unauthorized'
    assert 'X-Subject-Token' not in response.headers


def test_scope_to_project_without_role_is_401(env: IdentityEnv) -> None:
    env.identity.create_project('elsewhere', 'default')
    response = env.client.request('POST', TOKENS, _admin_by_name(
        {'project': {'name': 'elsewhere', 'domain': {'id': 'default'}}}))
    assert response.status_int == 401


def test_unsupported_method_401(env: IdentityEnv) -> None:
    body = {'auth': {'identity': {'methods': ['totp'], 'totp': {}}}}
    assert env.client.request('POST', TOKENS, body).status_int == 401


@pytest.mark.parametrize('body, field', [
    ({}, 'auth'),
    ({'auth': {}}, 'auth.identity'),
    ({'auth': {'identity': {}}}, 'auth.identity.methods'),
    ({'auth': {'identity': {'methods': 'password'}}}, 'auth.identity.methods'),
    ({'auth': {'identity': {'methods': []}}}, 'auth.identity.methods'),
    ({'auth': {'identity': {'methods': ['password']}}}, 'auth.identity.password'),
    ({'auth': {'identity': {'methods': ['password', 'token'], 'token': {'id': 'x'},
                            'password': {'user': {'id': 'x', 'password': 'x'}}}}},
     'auth.identity.methods'),
    ({'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'admin', 'domain': {'name': 'Default'}}}}}}, 'auth.identity.password.user'
                                                              '.password'),
    ({'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'admin', 'password': 'x'}}}}}, 'user.domain'),
    ({'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 7, 'domain': {'name': 'Default'}, 'password': 'x'}}}}},
     'auth.identity.password.user.name'),
    ({'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'a' * 300, 'domain': {'name': 'Default'}, 'password': 'x'}}}}},
     'auth.identity.password.user.name'),
    ({'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'id': 'x', 'password': 'x', 'extra': 1}}}}}, 'auth.identity.password.user.extra'),
    ({'auth': {'identity': {'methods': ['token'], 'token': {}}}}, 'auth.identity.token.id'),
    ({'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'id': 'x', 'password': 'x'}}}, 'scope': {'project': {'name': 'admin'}}}},
     'scope.project.domain'),
])
def test_bad_auth_body_400(env: IdentityEnv, body: dict[str, Any], field: str) -> None:
    before = row_counts(env.services.db)
    response = env.client.request('POST', TOKENS, body)
    assert response.status_int == 400, response.text
    assert f"'{field}'" in response.json['error']['message']
    assert row_counts(env.services.db) == before


def test_non_json_and_wrong_content_type(env: IdentityEnv) -> None:
    assert env.client.request('POST', TOKENS, raw=b'{not json').status_int == 400
    assert env.client.request('POST', TOKENS, raw=b'auth=x',
                              content_type='text/plain').status_int == 415
    assert env.client.request('POST', TOKENS).status_int == 400
    assert env.client.request('POST', TOKENS,
                              raw=json.dumps({'auth': 'x' * 2_000_000}).encode()
                              ).status_int == 413


def test_token_method_rescopes(env: IdentityEnv) -> None:
    member = env.add_member('alice', 'proj-a')
    other = env.identity.create_project('proj-b', 'default')
    env.identity.assign_role(member['user']['id'], other['id'],
                             env.identity.find_role('reader')['id'])
    body = {'auth': {'identity': {'methods': ['token'], 'token': {'id': member['token']}},
                     'scope': {'project': {'id': other['id']}}}}
    response = env.client.request('POST', TOKENS, body)
    assert response.status_int == 201, response.text
    token = response.json['token']
    assert token['project']['name'] == 'proj-b' and token['user']['name'] == 'alice'
    assert token['methods'] == ['token', 'password']
    assert [r['name'] for r in token['roles']] == ['reader']
    original = env.identity.validate_token(member['token'])
    assert token['expires_at'] == original['expires_at']
    # Without a scope: the same project again.
    body = {'auth': {'identity': {'methods': ['token'], 'token': {'id': member['token']}}}}
    response = env.client.request('POST', TOKENS, body)
    assert response.status_int == 201 and response.json['token']['project']['name'] == 'proj-a'
    # No role on the admin project: 401; a bad token: 401.
    body['auth']['scope'] = {'project': {'id': env.booted['project_id']}}
    assert env.client.request('POST', TOKENS, body).status_int == 401
    body = {'auth': {'identity': {'methods': ['token'], 'token': {'id': 'garbage'}}}}
    assert env.client.request('POST', TOKENS, body).status_int == 401


def test_validate_check_revoke(env: IdentityEnv) -> None:
    member = env.add_member('bob', 'proj-b')
    subject = {'X-Subject-Token': member['token']}
    response = env.client.request('GET', TOKENS, token=env.admin_token, headers=subject)
    assert response.status_int == 200
    assert response.headers['X-Subject-Token'] == member['token']
    assert response.json['token']['user']['name'] == 'bob'
    assert response.json['token']['catalog']
    response = env.client.request('GET', f'{TOKENS}?nocatalog&allow_expired=1',
                                  token=env.admin_token, headers=subject)
    assert response.status_int == 200 and 'catalog' not in response.json['token']
    response = env.client.request('HEAD', TOKENS, token=env.admin_token, headers=subject)
    assert response.status_int == 200 and response.body == b''
    # The user may check its own token.
    own = env.client.request('GET', TOKENS, token=member['token'], headers=subject)
    assert own.status_int == 200
    assert env.client.request('DELETE', TOKENS, token=env.admin_token,
                              headers=subject).status_int == 204
    for method in ('GET', 'HEAD'):
        assert env.client.request(method, TOKENS, token=env.admin_token,
                                  headers=subject).status_int == 404
    assert env.client.request('DELETE', TOKENS, token=env.admin_token,
                              headers=subject).status_int == 404
    # The revoked token no longer authenticates its holder.
    response = env.client.request('GET', '/v3/auth/projects', token=member['token'])
    assert response.status_int == 401 and 'WWW-Authenticate' in response.headers


def test_member_cannot_validate_or_revoke_others(env: IdentityEnv) -> None:
    member = env.add_member('carol', 'proj-c')
    subject = {'X-Subject-Token': env.admin_token}
    for method in ('GET', 'HEAD', 'DELETE'):
        assert env.client.request(method, TOKENS, token=member['token'],
                                  headers=subject).status_int == 403
    assert env.client.request('GET', TOKENS, token=env.admin_token,
                              headers=subject).status_int == 200
    # A user revokes its own second token.
    second = env.client.login('carol', 'carol-password', 'proj-c')
    assert env.client.request('DELETE', TOKENS, token=member['token'],
                              headers={'X-Subject-Token': second}).status_int == 204


def test_service_user_validates_any_token(env: IdentityEnv) -> None:
    service_token = env.client.login('nova_lite', 'service-secret-P', 'service')
    member = env.add_member('dave', 'proj-d')
    response = env.client.request('GET', TOKENS, token=service_token,
                                  headers={'X-Subject-Token': member['token']})
    assert response.status_int == 200


def test_caller_token_errors(env: IdentityEnv) -> None:
    subject = {'X-Subject-Token': env.admin_token}
    assert env.client.request('GET', TOKENS, headers=subject).status_int == 401
    assert env.client.request('GET', TOKENS, token='bogus', headers=subject).status_int == 401
    response = env.client.request('GET', TOKENS, token=env.admin_token)
    assert response.status_int == 400 and 'X-Subject-Token' in response.json['error']['message']
    assert env.client.request('GET', TOKENS, token=env.admin_token,
                              headers={'X-Subject-Token': 'x' * 9000}).status_int == 404
    assert env.client.request('PUT', TOKENS, token=env.admin_token).status_int == 405


def test_auth_catalog_and_projects(env: IdentityEnv) -> None:
    member = env.add_member('erin', 'proj-e')
    response = env.client.request('GET', '/v3/auth/catalog', token=member['token'])
    assert response.status_int == 200
    volume = next(s for s in response.json['catalog'] if s['type'] == 'block-storage')
    assert volume['endpoints'][0]['url'].endswith(f"/v3/{member['project']['id']}")
    response = env.client.request('GET', '/v3/auth/projects', token=member['token'])
    assert [p['name'] for p in response.json['projects']] == ['proj-e']
    assert response.json['links']['next'] is None
    assert env.client.request('GET', '/v3/auth/projects').status_int == 401
