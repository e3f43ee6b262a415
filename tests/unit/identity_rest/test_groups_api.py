"""Groups, memberships, group and domain grants, and role assignments over them."""

from __future__ import annotations

from typing import Any

from nova_lite.identity import grants
from tests.unit.identity_rest.conftest import ADMIN_PASSWORD, PUBLIC_URL, IdentityEnv


def _create(env: IdentityEnv, collection: str, body: dict[str, Any]) -> dict[str, Any]:
    key = collection[:-1]
    response = env.client.request('POST', f'/v3/{collection}', {key: body},
                                  token=env.admin_token)
    assert response.status_int == 201, response.text
    return response.json[key]


def grants_store(env: IdentityEnv) -> grants.GrantStore:
    return grants.GrantStore(env.services.db)


def _status(env: IdentityEnv, method: str, path: str, body: Any = None,
            token: str | None = None) -> int:
    return env.client.request(method, path, body, token=token or env.admin_token).status_int


def test_group_crud_and_filters(env: IdentityEnv) -> None:
    domain = _create(env, 'domains', {'name': 'd1'})
    group = _create(env, 'groups', {'name': 'g1', 'domain_id': domain['id'],
                                    'description': 'first', 'project_id': 'ignored'})
    assert group == {'id': group['id'], 'name': 'g1', 'domain_id': domain['id'],
                     'description': 'first',
                     'links': {'self': f"{PUBLIC_URL}/v3/groups/{group['id']}"}}
    other = _create(env, 'groups', {'name': 'g2'})
    assert other['domain_id'] == 'default'
    client, token = env.client, env.admin_token
    response = client.request('GET', f"/v3/groups?domain_id={domain['id']}", token=token)
    assert [g['id'] for g in response.json['groups']] == [group['id']]
    response = client.request('GET', '/v3/groups?name=g2', token=token)
    assert [g['id'] for g in response.json['groups']] == [other['id']]
    response = client.request('PATCH', f"/v3/groups/{group['id']}",
                              {'group': {'name': 'renamed'}}, token=token)
    assert response.status_int == 200
    assert response.json['group']['name'] == 'renamed'
    assert response.json['group']['description'] == 'first'
    assert client.request('GET', f"/v3/groups/{group['id']}",
                          token=token).json['group']['name'] == 'renamed'
    assert _status(env, 'POST', '/v3/groups', {'group': {'name': 'g2'}}) == 409
    assert _status(env, 'POST', '/v3/groups', {'group': {'name': 'x' * 256}}) == 400
    assert _status(env, 'POST', '/v3/groups',
                   {'group': {'name': 'g3', 'domain_id': 'nope'}}) == 404
    assert _status(env, 'DELETE', f"/v3/groups/{group['id']}") == 204
    assert _status(env, 'GET', f"/v3/groups/{group['id']}") == 404


def test_membership(env: IdentityEnv) -> None:
    group = _create(env, 'groups', {'name': 'g1'})
    user = _create(env, 'users', {'name': 'u1', 'password': 'pw', 'email': 'u1@example.org'})
    member = f"/v3/groups/{group['id']}/users/{user['id']}"
    assert _status(env, 'HEAD', member) == 404
    assert _status(env, 'PUT', member) == 204
    assert _status(env, 'PUT', member) == 204  # idempotent
    assert _status(env, 'HEAD', member) == 204
    response = env.client.request('GET', f"/v3/groups/{group['id']}/users",
                                  token=env.admin_token)
    assert response.json['users'] == [user]  # the same body as the create answered
    response = env.client.request('GET', f"/v3/users/{user['id']}/groups",
                                  token=env.admin_token)
    assert [g['id'] for g in response.json['groups']] == [group['id']]
    assert _status(env, 'PUT', f"/v3/groups/{group['id']}/users/nope") == 404
    assert _status(env, 'DELETE', member) == 204
    assert _status(env, 'DELETE', member) == 404
    assert env.client.request('GET', f"/v3/groups/{group['id']}/users",
                              token=env.admin_token).json['users'] == []


def test_group_role_on_project_reaches_members_tokens(env: IdentityEnv) -> None:
    project = _create(env, 'projects', {'name': 'p1'})
    group = _create(env, 'groups', {'name': 'g1'})
    user = _create(env, 'users', {'name': 'u1', 'password': 'pw'})
    role = env.identity.find_role('member')
    grant = f"/v3/projects/{project['id']}/groups/{group['id']}/roles/{role['id']}"
    assert _status(env, 'HEAD', grant) == 404
    assert _status(env, 'PUT', grant) == 204
    assert _status(env, 'HEAD', grant) == 204
    roles = env.client.request('GET', f"/v3/projects/{project['id']}/groups/{group['id']}"
                               '/roles', token=env.admin_token).json['roles']
    assert [r['id'] for r in roles] == [role['id']]
    auth = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'id': user['id'], 'password': 'pw'}}}, 'scope': {'project': {'id': project['id']}}}}
    assert env.client.request('POST', '/v3/auth/tokens', auth).status_int == 401
    assert _status(env, 'PUT', f"/v3/groups/{group['id']}/users/{user['id']}") == 204
    response = env.client.request('POST', '/v3/auth/tokens', auth)
    assert response.status_int == 201
    assert role['id'] in [r['id'] for r in response.json['token']['roles']]
    token = response.headers['X-Subject-Token']
    # The member sees the project among its own, and may read it.
    assert _status(env, 'GET', f"/v3/projects/{project['id']}", token=token) == 200
    projects = env.client.request('GET', f"/v3/users/{user['id']}/projects",
                                  token=token).json['projects']
    assert [p['id'] for p in projects] == [project['id']]
    # Effective assignments: one per member, linked to the membership.
    response = env.client.request(
        'GET', f"/v3/role_assignments?effective&user.id={user['id']}&role.id={role['id']}",
        token=env.admin_token)
    (assignment,) = response.json['role_assignments']
    assert assignment['user'] == {'id': user['id']}
    assert assignment['scope'] == {'project': {'id': project['id']}}
    assert assignment['links']['membership'] == (
        f"{PUBLIC_URL}/v3/groups/{group['id']}/users/{user['id']}")
    response = env.client.request('GET', f"/v3/role_assignments?group.id={group['id']}"
                                  '&include_names', token=env.admin_token)
    (assignment,) = response.json['role_assignments']
    assert assignment['group'] == {'id': group['id'], 'name': 'g1',
                                   'domain': {'id': 'default', 'name': 'Default'}}
    assert assignment['role'] == {'id': role['id'], 'name': 'member'}
    # Revoking the group's grant removes the role: the member's token stops validating.
    assert _status(env, 'DELETE', grant) == 204
    assert _status(env, 'DELETE', grant) == 404
    response = env.client.request('GET', '/v3/auth/tokens', token=env.admin_token,
                                  headers={'X-Subject-Token': token})
    assert response.status_int == 404


def test_domain_grants_for_users_and_groups(env: IdentityEnv) -> None:
    domain = _create(env, 'domains', {'name': 'd1'})
    group = _create(env, 'groups', {'name': 'g1', 'domain_id': domain['id']})
    user = _create(env, 'users', {'name': 'u1', 'domain_id': domain['id']})
    role = env.identity.find_role('reader')
    for actor, actor_id in (('users', user['id']), ('groups', group['id'])):
        base = f"/v3/domains/{domain['id']}/{actor}/{actor_id}/roles"
        assert _status(env, 'HEAD', f"{base}/{role['id']}") == 404
        assert _status(env, 'PUT', f"{base}/{role['id']}") == 204
        assert _status(env, 'HEAD', f"{base}/{role['id']}") == 204
        roles = env.client.request('GET', base, token=env.admin_token).json['roles']
        assert [r['id'] for r in roles] == [role['id']]
        assert _status(env, 'PUT', f'{base}/nope') == 404
    store = grants_store(env)
    other = _create(env, 'users', {'name': 'u2'})
    assert store.domain_ids_for_user(user['id']) == {domain['id']}
    assert _status(env, 'PUT', f"/v3/groups/{group['id']}/users/{other['id']}") == 204
    assert store.domain_ids_for_user(other['id']) == {domain['id']}
    response = env.client.request('GET', f"/v3/role_assignments?scope.domain.id={domain['id']}",
                                  token=env.admin_token)
    kinds = sorted(next(k for k in a if k in ('user', 'group'))
                   for a in response.json['role_assignments'])
    assert kinds == ['group', 'user']
    base = f"/v3/domains/{domain['id']}/users/{user['id']}/roles/{role['id']}"
    assert _status(env, 'DELETE', base) == 204
    assert _status(env, 'HEAD', base) == 404


def test_group_writes_need_admin(env: IdentityEnv) -> None:
    member = env.add_member('alice', 'proj-a')
    assert _status(env, 'POST', '/v3/groups', {'group': {'name': 'g'}},
                   token=member['token']) == 403
    assert _status(env, 'GET', '/v3/groups', token=member['token']) == 403
    group = _create(env, 'groups', {'name': 'g1'})
    assert _status(env, 'PUT', f"/v3/groups/{group['id']}/users/{member['user']['id']}",
                   token=member['token']) == 403


def test_role_rename(env: IdentityEnv) -> None:
    role = _create(env, 'roles', {'name': 'auditor'})
    path = f"/v3/roles/{role['id']}"
    response = env.client.request('PATCH', path, {'role': {'name': 'inspector'}},
                                  token=env.admin_token)
    assert response.status_int == 200 and response.json['role']['name'] == 'inspector'
    assert env.client.request('GET', path, token=env.admin_token).json['role'][
        'name'] == 'inspector'
    assert _status(env, 'PATCH', path, {'role': {'name': 'member'}}) == 409
    assert _status(env, 'PATCH', path, {'role': {'name': ''}}) == 400
    member = env.identity.find_role('member')
    assert _status(env, 'PATCH', f"/v3/roles/{member['id']}",
                   {'role': {'name': 'other'}}) == 403
    assert _status(env, 'PATCH', '/v3/roles/nope', {'role': {'name': 'x'}}) == 404
    member_token = env.add_member('alice', 'proj-a')['token']
    assert _status(env, 'PATCH', path, {'role': {'name': 'y'}}, token=member_token) == 403


def test_domain_specific_roles(env: IdentityEnv) -> None:
    domain = _create(env, 'domains', {'name': 'd1'})
    role = _create(env, 'roles', {'name': 'd1-auditor', 'domain_id': domain['id']})
    assert role['domain_id'] == domain['id']
    listed = env.client.request('GET', f"/v3/roles?domain_id={domain['id']}",
                                token=env.admin_token).json['roles']
    assert listed == [role]
    global_roles = env.client.request('GET', '/v3/roles', token=env.admin_token).json['roles']
    assert role['id'] not in [r['id'] for r in global_roles]
    assert all(r['domain_id'] is None for r in global_roles)
    assert _status(env, 'POST', '/v3/roles',
                   {'role': {'name': 'x', 'domain_id': 'nope'}}) == 404
    # Granted, but neither in tokens nor in the effective assignments.
    project_id, user_id = env.booted['project_id'], env.booted['user_id']
    assert _status(env, 'PUT', f"/v3/projects/{project_id}/users/{user_id}/roles/"
                               f"{role['id']}") == 204
    response = env.client.request(
        'GET', f"/v3/role_assignments?effective&role.id={role['id']}", token=env.admin_token)
    assert response.json['role_assignments'] == []
    response = env.client.request('GET', f"/v3/role_assignments?role.id={role['id']}",
                                  token=env.admin_token)
    assert len(response.json['role_assignments']) == 1
    token = env.client.login('admin', ADMIN_PASSWORD, 'admin')
    body = env.client.request('GET', '/v3/auth/tokens', token=env.admin_token,
                              headers={'X-Subject-Token': token}).json['token']
    assert role['id'] not in [r['id'] for r in body['roles']]
    # Deleting the domain deletes its roles and their grants.
    assert _status(env, 'PATCH', f"/v3/domains/{domain['id']}",
                   {'domain': {'enabled': False}}) == 200
    assert _status(env, 'DELETE', f"/v3/domains/{domain['id']}") == 204
    assert _status(env, 'GET', f"/v3/roles/{role['id']}") == 404
