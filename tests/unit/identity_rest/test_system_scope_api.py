"""System-scoped and unscoped tokens, system grants, role implications, /v3/auth/*."""

from __future__ import annotations

from typing import Any

from tests.unit.identity_rest.conftest import ADMIN_PASSWORD, PUBLIC_URL, IdentityEnv

TOKENS = '/v3/auth/tokens'


def _auth(name: str, password: str, scope: Any = None) -> dict[str, Any]:
    auth: dict[str, Any] = {'identity': {'methods': ['password'], 'password': {'user': {
        'name': name, 'domain': {'id': 'default'}, 'password': password}}}}
    if scope is not None:
        auth['scope'] = scope
    return {'auth': auth}


SYSTEM = {'system': {'all': True}}


def _system_token(env: IdentityEnv, name: str = 'admin',
                  password: str = ADMIN_PASSWORD) -> str:
    response = env.client.request('POST', TOKENS, _auth(name, password, SYSTEM))
    assert response.status_int == 201, response.text
    return response.headers['X-Subject-Token']


def test_bootstrap_admin_gets_a_system_token(env: IdentityEnv) -> None:
    response = env.client.request('POST', TOKENS, _auth('admin', ADMIN_PASSWORD, SYSTEM))
    assert response.status_int == 201, response.text
    token = response.json['token']
    assert token['system'] == {'all': True} and 'project' not in token
    assert [r['name'] for r in token['roles']] == ['admin', 'manager', 'member', 'reader']
    types = {entry['type'] for entry in token['catalog']}
    assert 'identity' in types and 'compute' in types
    for entry in token['catalog']:  # no endpoint left with an unfilled project template
        assert all('$(' not in e['url'] for e in entry['endpoints'])
    ctx = env.identity.context_from_token(response.headers['X-Subject-Token'])
    assert ctx.system_scope == 'all' and ctx.project_id is None and ctx.is_admin


def test_system_grants_by_api_and_a_system_reader(env: IdentityEnv) -> None:
    user = env.identity.create_user('auditor', 'default', 'auditor-password')
    reader = env.identity.find_role('reader')['id']
    path = f"/v3/system/users/{user['id']}/roles/{reader}"
    denied = env.client.request('POST', TOKENS, _auth('auditor', 'auditor-password', SYSTEM))
    assert denied.status_int == 401
    admin = _system_token(env)
    assert env.client.request('HEAD', path, token=admin).status_int == 404
    assert env.client.request('PUT', path, token=admin).status_int == 204
    assert env.client.request('HEAD', path, token=admin).status_int == 204
    listed = env.client.request('GET', f"/v3/system/users/{user['id']}/roles", token=admin)
    assert [r['id'] for r in listed.json['roles']] == [reader]
    token = _system_token(env, 'auditor', 'auditor-password')
    # A system reader reads the catalog records but may not change them.
    assert env.client.request('GET', '/v3/services', token=token).status_int == 200
    created = env.client.request('POST', '/v3/services',
                                 {'service': {'type': 'x-test', 'name': 'x'}}, token=token)
    assert created.status_int == 403
    # A project member is not a system reader.
    member = env.add_member('plain', 'proj-a')
    assert env.client.request('GET', '/v3/services',
                              token=member['token']).status_int == 403
    assert env.client.request('GET', '/v3/auth/system', token=token).json['system'] == [
        {'all': True}]
    assert env.client.request('DELETE', path, token=admin).status_int == 204
    assert env.client.request('GET', TOKENS, token=admin,
                              headers={'X-Subject-Token': token}).status_int == 404
    assert env.client.request('DELETE', path, token=admin).status_int == 404


def test_unscoped_token_then_rescope(env: IdentityEnv) -> None:
    member = env.add_member('wanderer', 'proj-b')
    response = env.client.request('POST', TOKENS, _auth('wanderer', 'wanderer-password',
                                                        'unscoped'))
    assert response.status_int == 201, response.text
    unscoped = response.headers['X-Subject-Token']
    assert 'project' not in response.json['token']
    assert 'roles' not in response.json['token']
    projects = env.client.request('GET', '/v3/auth/projects', token=unscoped)
    assert [p['id'] for p in projects.json['projects']] == [member['project']['id']]
    # Domains it may scope to: those it holds a role on, not its projects' domains.
    domains = env.client.request('GET', '/v3/auth/domains', token=unscoped)
    assert domains.json['domains'] == []
    reader = env.identity.find_role('reader')['id']
    granted = env.client.request(
        'PUT', f"/v3/domains/default/users/{member['user']['id']}/roles/{reader}",
        token=_system_token(env))
    assert granted.status_int == 204
    domains = env.client.request('GET', '/v3/auth/domains', token=unscoped)
    assert [d['id'] for d in domains.json['domains']] == ['default']
    assert env.client.request('GET', '/v3/auth/catalog', token=unscoped).status_int == 403
    assert env.client.request('GET', '/v3/auth/system',
                              token=unscoped).json['system'] == []
    rescoped = env.client.request('POST', TOKENS, {'auth': {
        'identity': {'methods': ['token'], 'token': {'id': unscoped}},
        'scope': {'project': {'id': member['project']['id']}}}})
    assert rescoped.status_int == 201, rescoped.text
    body = rescoped.json['token']
    assert body['project']['id'] == member['project']['id']
    assert body['methods'] == ['token', 'password'] and body['catalog']
    nocatalog = env.client.request('POST', f'{TOKENS}?nocatalog', _auth(
        'wanderer', 'wanderer-password'))
    assert 'catalog' not in nocatalog.json['token']
    assert nocatalog.json['token']['project']['id'] == member['project']['id']


def test_default_project_without_a_role_gives_an_unscoped_token(env: IdentityEnv) -> None:
    project = env.identity.create_project('empty', 'default')
    env.identity.create_user('norole', 'default', 'norole-password',
                             default_project_id=project['id'])
    response = env.client.request('POST', TOKENS, _auth('norole', 'norole-password'))
    assert response.status_int == 201 and 'project' not in response.json['token']


def test_role_implications(env: IdentityEnv) -> None:
    admin = env.admin_token
    one = env.identity.create_role('one')['id']
    two = env.identity.create_role('two')['id']
    path = f'/v3/roles/{one}/implies/{two}'
    created = env.client.request('PUT', path, token=admin)
    assert created.status_int == 201, created.text
    inference = created.json['role_inference']
    assert inference['prior_role']['id'] == one and inference['implies']['id'] == two
    assert env.client.request('HEAD', path, token=admin).status_int == 204
    listed = env.client.request('GET', f'/v3/roles/{one}/implies', token=admin)
    assert [r['id'] for r in listed.json['role_inference']['implies']] == [two]
    every = env.client.request('GET', '/v3/role_inferences', token=admin).json
    assert any(r['prior_role']['name'] == 'admin' for r in every['role_inferences'])
    cycle = env.client.request('PUT', f'/v3/roles/{two}/implies/{one}', token=admin)
    assert cycle.status_int == 400
    member = env.add_member('implied', 'proj-c', role='one')
    roles = env.identity.validate_token(member['token'])['roles']
    assert sorted(r['name'] for r in roles) == ['one', 'two']
    assert env.client.request('DELETE', path, token=admin).status_int == 204
    assert env.client.request('GET', path, token=admin).status_int == 404
    roles = env.identity.validate_token(member['token'])['roles']
    assert [r['name'] for r in roles] == ['one']


def test_deleting_a_role_removes_its_grants(env: IdentityEnv) -> None:
    member = env.add_member('doomed', 'proj-d', role='reader')
    reader_grants = len(env.identity.list_role_assignments(user_id=member['user']['id']))
    role = env.identity.create_role('temporary')
    env.identity.assign_role(member['user']['id'], member['project']['id'], role['id'])
    env.identity.grant_system_role(member['user']['id'], role['id'])
    assert env.client.request('DELETE', f"/v3/roles/{role['id']}",
                              token=member['token']).status_int == 403
    assert env.client.request('DELETE', f"/v3/roles/{role['id']}",
                              token=env.admin_token).status_int == 204
    assert len(env.identity.list_role_assignments(
        user_id=member['user']['id'])) == reader_grants
    assert env.identity.list_system_roles(member['user']['id']) == []
    assert env.client.request('DELETE', f"/v3/roles/{role['id']}",
                              token=env.admin_token).status_int == 404


def test_effective_assignments_include_implied_roles(env: IdentityEnv) -> None:
    member = env.add_member('effective', 'proj-e')
    query = (f"/v3/role_assignments?user.id={member['user']['id']}"
             f"&scope.project.id={member['project']['id']}")
    direct = env.client.request('GET', query, token=env.admin_token).json
    assert [a['role']['id'] for a in direct['role_assignments']] == [
        env.identity.find_role('member')['id']]
    effective = env.client.request('GET', query + '&effective', token=env.admin_token).json
    assert sorted(a['role']['id'] for a in effective['role_assignments']) == sorted(
        env.identity.find_role(name)['id'] for name in ('member', 'reader'))


def test_system_grants_to_a_group_reach_its_members(env: IdentityEnv) -> None:
    admin = _system_token(env)
    user = env.identity.create_user('operator', 'default', 'operator-password')
    reader = env.identity.find_role('reader')['id']
    created = env.client.request('POST', '/v3/groups', {'group': {'name': 'operators'}},
                                 token=admin)
    assert created.status_int == 201, created.text
    group_id = created.json['group']['id']
    path = f'/v3/system/groups/{group_id}/roles/{reader}'
    assert env.client.request('HEAD', path, token=admin).status_int == 404
    assert env.client.request(
        'PUT', f"/v3/groups/{group_id}/users/{user['id']}", token=admin).status_int == 204
    assert env.client.request('POST', TOKENS, _auth('operator', 'operator-password',
                                                    SYSTEM)).status_int == 401
    assert env.client.request('PUT', path, token=admin).status_int == 204
    assert env.client.request('HEAD', path, token=admin).status_int == 204
    listed = env.client.request('GET', f'/v3/system/groups/{group_id}/roles', token=admin)
    assert [r['id'] for r in listed.json['roles']] == [reader]
    token = _system_token(env, 'operator', 'operator-password')
    validated = env.client.request('GET', TOKENS, token=admin,
                                   headers={'X-Subject-Token': token})
    assert [r['name'] for r in validated.json['token']['roles']] == ['reader']
    assigned = env.client.request(
        'GET', f'/v3/role_assignments?scope.system=all&group.id={group_id}', token=admin)
    assert assigned.json['role_assignments'] == [{
        'role': {'id': reader}, 'group': {'id': group_id}, 'scope': {'system': {'all': True}},
        'links': {'assignment': f'{PUBLIC_URL}/v3/system/groups/{group_id}/roles/{reader}'}}]
    assert env.client.request('DELETE', path, token=admin).status_int == 204
    assert env.client.request('GET', TOKENS, token=admin,
                              headers={'X-Subject-Token': token}).status_int == 404
    assert env.client.request('DELETE', path, token=admin).status_int == 404
    # A deleted group takes its system grants with it.
    assert env.client.request('PUT', path, token=admin).status_int == 204
    assert env.client.request('DELETE', f'/v3/groups/{group_id}', token=admin).status_int == 204
    assigned = env.client.request('GET', '/v3/role_assignments?scope.system=all', token=admin)
    assert [a for a in assigned.json['role_assignments'] if 'group' in a] == []
    unknown = env.client.request('PUT', f'/v3/system/groups/nope/roles/{reader}', token=admin)
    assert unknown.status_int == 404
