"""``/v3/OS-INHERIT``: inherited grants, their role assignments, and tokens."""

from __future__ import annotations

from typing import Any

from tests.unit.identity_rest.conftest import PUBLIC_URL, IdentityEnv

V3 = f'{PUBLIC_URL}/v3'


def _setup(env: IdentityEnv) -> dict[str, Any]:
    identity = env.identity
    project = identity.create_project('inh-project', 'default')
    user = identity.create_user('inh-user', 'default', 'inh-user-password')
    role = identity.create_role('inh-role')
    return {'project': project, 'user': user, 'role': role}


def _domain_grant(refs: dict[str, Any], domain_id: str = 'default') -> str:
    return (f"/v3/OS-INHERIT/domains/{domain_id}/users/{refs['user']['id']}/roles/"
            f"{refs['role']['id']}/inherited_to_projects")


def test_domain_user_grant_lifecycle(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    refs = _setup(env)
    path = _domain_grant(refs)
    assert client.request('HEAD', path, token=token).status_int == 404
    assert client.request('PUT', path, token=token).status_int == 204
    assert client.request('PUT', path, token=token).status_int == 204  # idempotent
    assert client.request('HEAD', path, token=token).status_int == 204
    listed = client.request(
        'GET', f"/v3/OS-INHERIT/domains/default/users/{refs['user']['id']}/roles"
               '/inherited_to_projects', token=token)
    assert listed.status_int == 200
    assert [r['id'] for r in listed.json['roles']] == [refs['role']['id']]
    # The grant gives no role on the domain's projects directly...
    direct = client.request(
        'GET', f"/v3/projects/{refs['project']['id']}/users/{refs['user']['id']}/roles",
        token=token)
    assert direct.json['roles'] == []
    # ... but a token on any project of the domain carries the role.
    user_token = client.login('inh-user', 'inh-user-password', 'inh-project')
    body = client.request('GET', '/v3/auth/tokens', token=token,
                          headers={'X-Subject-Token': user_token}).json['token']
    assert [r['name'] for r in body['roles']] == ['inh-role']
    assert client.request('DELETE', path, token=token).status_int == 204
    assert client.request('DELETE', path, token=token).status_int == 404
    # Revoked: the token no longer validates (no role left on the project).
    assert client.request('GET', '/v3/auth/tokens', token=token,
                          headers={'X-Subject-Token': user_token}).status_int == 404


def test_role_assignments_rows(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    refs = _setup(env)
    path = _domain_grant(refs)
    client.request('PUT', path, token=token)
    user_id, role_id = refs['user']['id'], refs['role']['id']
    rows = client.request('GET', f'/v3/role_assignments?user.id={user_id}',
                          token=token).json['role_assignments']
    assert rows == [{'role': {'id': role_id}, 'user': {'id': user_id},
                     'scope': {'domain': {'id': 'default'},
                               'OS-INHERIT:inherited_to': 'projects'},
                     'links': {'assignment': f'{PUBLIC_URL}{path}'}}]
    only_inherited = client.request(
        'GET', '/v3/role_assignments?scope.OS-INHERIT:inherited_to=projects',
        token=token).json['role_assignments']
    assert [r['user']['id'] for r in only_inherited] == [user_id]
    by_domain = client.request('GET', '/v3/role_assignments?scope.domain.id=default',
                               token=token).json['role_assignments']
    assert len(by_domain) == 1
    project_id = refs['project']['id']
    effective = client.request(
        'GET', f'/v3/role_assignments?scope.project.id={project_id}&user.id={user_id}'
               '&effective', token=token).json['role_assignments']
    assert effective == [{'role': {'id': role_id}, 'user': {'id': user_id},
                          'scope': {'project': {'id': project_id}},
                          'links': {'assignment': f'{PUBLIC_URL}{path}'}}]
    not_effective = client.request(
        'GET', f'/v3/role_assignments?scope.project.id={project_id}&user.id={user_id}',
        token=token).json['role_assignments']
    assert not_effective == []
    named = client.request('GET', f'/v3/role_assignments?user.id={user_id}&include_names',
                           token=token).json['role_assignments']
    assert named[0]['role']['name'] == 'inh-role'
    assert named[0]['user']['name'] == 'inh-user'
    assert named[0]['scope']['domain']['name'] == 'Default'
    client.request('DELETE', path, token=token)
    assert client.request(
        'GET', f'/v3/role_assignments?scope.project.id={project_id}&user.id={user_id}'
               '&effective', token=token).json['role_assignments'] == []


def test_project_user_grant_and_unknown_references(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    refs = _setup(env)
    user_id, role_id, project_id = refs['user']['id'], refs['role']['id'], refs['project']['id']
    path = (f'/v3/OS-INHERIT/projects/{project_id}/users/{user_id}/roles/{role_id}'
            '/inherited_to_projects')
    assert client.request('PUT', path, token=token).status_int == 204
    assert client.request('HEAD', path, token=token).status_int == 204
    # A grant inherited from a project gives nothing on the project itself.
    assert client.request('POST', '/v3/auth/tokens', {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'id': user_id, 'password': 'inh-user-password'}}},
        'scope': {'project': {'id': project_id}}}}).status_int == 401
    assert client.request('DELETE', path, token=token).status_int == 204
    for bad in (path.replace(user_id, 'nobody'), path.replace(role_id, 'norole'),
                path.replace(project_id, 'noproject'), path.replace(role_id, 'r' * 80)):
        assert client.request('PUT', bad, token=token).status_int == 404, bad
    # Groups are unknown until a group backend is connected.
    group_path = (f'/v3/OS-INHERIT/domains/default/groups/g1/roles/{role_id}'
                  '/inherited_to_projects')
    assert client.request('PUT', group_path, token=token).status_int == 404


def test_grant_rules(env: IdentityEnv) -> None:
    client = env.client
    refs = _setup(env)
    member = env.add_member('inh-member', 'inh-member-project')
    path = _domain_grant(refs)
    assert client.request('PUT', path, token=member['token']).status_int == 403
    own = (f"/v3/OS-INHERIT/domains/default/users/{member['user']['id']}/roles/"
           f"{refs['role']['id']}/inherited_to_projects")
    assert client.request('PUT', own, token=member['token']).status_int == 403
    # A user may check its own grants (the check_grant rule).
    assert client.request('HEAD', own, token=member['token']).status_int == 404
    assert client.request('HEAD', path, token=member['token']).status_int == 403


def test_user_projects_include_inherited_ones(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    refs = _setup(env)
    user_id = refs['user']['id']
    path = f'/v3/users/{user_id}/projects'
    assert client.request('GET', path, token=token).json['projects'] == []
    client.request('PUT', _domain_grant(refs), token=token)
    names = [p['name'] for p in client.request('GET', path, token=token).json['projects']]
    assert names == ['admin', 'inh-project', 'service']  # every project of the domain
    user_token = client.login('inh-user', 'inh-user-password', 'inh-project')
    mine = client.request('GET', '/v3/auth/projects', token=user_token)
    assert 'inh-project' in [p['name'] for p in mine.json['projects']]
    client.request('DELETE', _domain_grant(refs), token=token)
    assert client.request('GET', path, token=token).json['projects'] == []
