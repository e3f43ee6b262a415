"""Projects, users, roles, grants, role assignments, domains and the catalog records."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.identity.conftest import row_counts
from tests.unit.identity_rest.conftest import PUBLIC_URL, IdentityEnv


def _find(env: IdentityEnv, collection: str, name: str) -> dict[str, Any]:
    """What openstacksdk's find does: GET by name (must be 404), then list ?name=."""
    client = env.client
    assert client.request('GET', f'/v3/{collection}/{name}',
                          token=env.admin_token).status_int == 404
    response = client.request('GET', f'/v3/{collection}?name={name}', token=env.admin_token)
    assert response.status_int == 200
    (item,) = response.json[collection]
    return item


def test_osc_like_project_user_role_flow(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    response = client.request('POST', '/v3/projects', {'project': {
        'name': 'p1', 'enabled': True, 'description': 'first'}}, token=token)
    assert response.status_int == 201
    project = response.json['project']
    assert project == {'id': project['id'], 'name': 'p1', 'domain_id': 'default',
                       'enabled': True, 'description': 'first', 'parent_id': 'default',
                       'is_domain': False, 'tags': [], 'options': {},
                       'links': {'self': f"{PUBLIC_URL}/v3/projects/{project['id']}"}}
    assert _find(env, 'projects', 'p1')['id'] == project['id']
    response = client.request('POST', '/v3/users', {'user': {
        'name': 'u1', 'password': 'x', 'enabled': True,
        'default_project_id': project['id']}}, token=token)
    assert response.status_int == 201
    user = response.json['user']
    assert user['default_project_id'] == project['id'] and user['domain_id'] == 'default'
    assert user['password_expires_at'] is None and 'password' not in user
    role = _find(env, 'roles', 'member')
    assert _find(env, 'users', 'u1')['id'] == user['id']
    grant = f"/v3/projects/{project['id']}/users/{user['id']}/roles/{role['id']}"
    assert client.request('HEAD', grant, token=token).status_int == 404
    assert client.request('PUT', grant, token=token).status_int == 204
    assert client.request('PUT', grant, token=token).status_int == 204  # idempotent
    assert client.request('HEAD', grant, token=token).status_int == 204
    response = client.request('GET', f"/v3/projects/{project['id']}/users/{user['id']}/roles",
                              token=token)
    assert [r['name'] for r in response.json['roles']] == ['member']
    # The new user can log in to p1 (its default project) with the password.
    assert client.login('u1', 'x')
    response = client.request(
        'GET', f"/v3/role_assignments?scope.project.id={project['id']}&include_names=True"
               '&effective=False', token=token)
    assert response.json['role_assignments'] == [{
        'role': {'id': role['id'], 'name': 'member'},
        'user': {'id': user['id'], 'name': 'u1',
                 'domain': {'id': 'default', 'name': 'Default'}},
        'scope': {'project': {'id': project['id'], 'name': 'p1',
                              'domain': {'id': 'default', 'name': 'Default'}}},
        'links': {'assignment': f'{PUBLIC_URL}{grant}'}}]
    assert client.request('DELETE', grant, token=token).status_int == 204
    assert client.request('DELETE', grant, token=token).status_int == 404
    assert client.request('DELETE', f"/v3/users/{user['id']}", token=token).status_int == 204
    assert client.request('GET', f"/v3/users/{user['id']}", token=token).status_int == 404
    assert client.request('DELETE', f"/v3/projects/{project['id']}",
                          token=token).status_int == 204
    assert client.request('DELETE', f"/v3/projects/{project['id']}",
                          token=token).status_int == 404


def test_lists_filters_and_links(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    response = client.request('GET', '/v3/projects?domain_id=default&fields=x', token=token)
    assert [p['name'] for p in response.json['projects']] == ['admin', 'service']
    assert response.json['links'] == {
        'self': f'{PUBLIC_URL}/v3/projects?domain_id=default&fields=x',
        'previous': None, 'next': None}
    assert client.request('GET', '/v3/projects?name=nope',
                          token=token).json['projects'] == []
    assert client.request('GET', '/v3/projects?enabled=maybe', token=token).status_int == 400
    assert [u['name'] for u in client.request('GET', '/v3/users',
                                              token=token).json['users']] == ['admin',
                                                                               'nova_lite']
    names = [r['name'] for r in client.request('GET', '/v3/roles', token=token).json['roles']]
    assert names == ['admin', 'manager', 'member', 'reader', 'service']
    role_id = env.booted['roles']['reader']
    response = client.request('GET', f'/v3/role_assignments?role.id={role_id}', token=token)
    assert [(a['user']['id'], a['role']['id']) for a in response.json['role_assignments']] == [
        (env.booted['user_id'], role_id)]
    assert 'name' not in response.json['role_assignments'][0]['user']
    assert client.request('GET', '/v3/role_assignments?group.id=g',
                          token=token).json['role_assignments'] == []


def test_update_project_and_user(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    member = env.add_member('ann', 'proj-ann')
    project_url = f"/v3/projects/{member['project']['id']}"
    response = client.request('PATCH', project_url, {'project': {'description': 'new'}},
                              token=token)
    assert response.status_int == 200 and response.json['project']['description'] == 'new'
    response = client.request('PATCH', project_url, {'project': {'enabled': False}},
                              token=token)
    assert response.json['project']['enabled'] is False
    # A disabled project's tokens stop working.
    assert client.request('GET', '/v3/auth/projects',
                          token=member['token']).status_int == 401
    client.request('PATCH', project_url, {'project': {'enabled': True}}, token=token)
    user_url = f"/v3/users/{member['user']['id']}"
    response = client.request('PATCH', user_url, {'user': {'password': 'fresh'}}, token=token)
    assert response.status_int == 200
    assert client.login('ann', 'fresh', 'proj-ann')
    other = env.identity.create_project('proj-other', 'default')
    response = client.request('PATCH', user_url, {'user': {'default_project_id': other['id']}},
                              token=token)
    assert response.json['user']['default_project_id'] == other['id']
    response = client.request('PATCH', user_url, {'user': {'enabled': False}}, token=token)
    assert response.json['user']['enabled'] is False
    response = client.request('POST', '/v3/auth/tokens', {'auth': {'identity': {
        'methods': ['password'], 'password': {'user': {
            'name': 'ann', 'domain': {'id': 'default'}, 'password': 'fresh'}}}}})
    assert response.status_int == 401


def test_roles_and_domains(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    response = client.request('POST', '/v3/roles', {'role': {'name': 'auditor'}}, token=token)
    assert response.status_int == 201
    role = response.json['role']
    assert role['links']['self'] == f"{PUBLIC_URL}/v3/roles/{role['id']}"
    assert client.request('GET', f"/v3/roles/{role['id']}",
                          token=token).json['role']['name'] == 'auditor'
    assert client.request('POST', '/v3/roles', {'role': {'name': 'auditor'}},
                          token=token).status_int == 409
    assert client.request('GET', '/v3/domains/default',
                          token=token).json['domain']['name'] == 'Default'
    assert _find(env, 'domains', 'Default')['id'] == 'default'
    response = client.request('POST', '/v3/domains', {'domain': {'name': 'Other'}},
                              token=token)
    assert response.status_int == 201
    response = client.request('POST', '/v3/projects', {'project': {
        'name': 'p-other', 'domain_id': response.json['domain']['id']}}, token=token)
    assert response.status_int == 201


def test_catalog_records(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    regions = client.request('GET', '/v3/regions', token=token).json['regions']
    assert [r['id'] for r in regions] == ['RegionOne']
    assert client.request('GET', '/v3/regions/RegionOne', token=token).status_int == 200
    assert client.request('GET', '/v3/regions/Nowhere', token=token).status_int == 404
    services = client.request('GET', '/v3/services', token=token).json['services']
    assert sorted(s['type'] for s in services) == ['block-storage', 'compute', 'identity',
                                                   'image', 'network']
    identity = next(s for s in services if s['type'] == 'identity')
    endpoints = client.request('GET', f"/v3/endpoints?service_id={identity['id']}",
                               token=token).json['endpoints']
    assert [e['url'] for e in endpoints] == ['http://127.0.0.1:5000/v3']


def test_member_policy(env: IdentityEnv) -> None:
    client = env.client
    member = env.add_member('mia', 'proj-mia')
    other = env.add_member('ned', 'proj-ned')
    token = member['token']
    before = row_counts(env.services.db)
    forbidden = [('POST', '/v3/projects', {'project': {'name': 'nope'}}),
                 ('POST', '/v3/users', {'user': {'name': 'nope', 'password': 'x'}}),
                 ('POST', '/v3/roles', {'role': {'name': 'nope'}}),
                 ('POST', '/v3/domains', {'domain': {'name': 'nope'}}),
                 ('GET', '/v3/projects', None), ('GET', '/v3/users', None),
                 ('GET', '/v3/roles', None), ('GET', '/v3/services', None),
                 ('GET', '/v3/role_assignments', None),
                 ('PATCH', f"/v3/projects/{member['project']['id']}",
                  {'project': {'enabled': False}}),
                 ('DELETE', f"/v3/projects/{member['project']['id']}", None),
                 ('PATCH', f"/v3/users/{member['user']['id']}", {'user': {'enabled': False}}),
                 ('DELETE', f"/v3/users/{other['user']['id']}", None),
                 ('PUT', f"/v3/projects/{member['project']['id']}/users/{member['user']['id']}"
                         f"/roles/{env.booted['roles']['admin']}", None)]
    for method, path, body in forbidden:
        response = client.request(method, path, body, token=token)
        assert response.status_int == 403, (method, path, response.status_int)
        assert response.json['error']['code'] == 403
    assert row_counts(env.services.db) == before
    # A user reads itself and its own project; others are 404.
    assert client.request('GET', f"/v3/users/{member['user']['id']}",
                          token=token).json['user']['name'] == 'mia'
    assert client.request('GET', f"/v3/users/{other['user']['id']}",
                          token=token).status_int == 404
    assert client.request('GET', f"/v3/projects/{member['project']['id']}",
                          token=token).status_int == 200
    assert client.request('GET', f"/v3/projects/{other['project']['id']}",
                          token=token).status_int == 404
    response = client.request('GET', f"/v3/users/{member['user']['id']}/projects",
                              token=token)
    assert [p['name'] for p in response.json['projects']] == ['proj-mia']
    assert client.request('GET', f"/v3/users/{other['user']['id']}/projects",
                          token=token).status_int == 404
    response = client.request('GET', f"/v3/role_assignments?user.id={member['user']['id']}",
                              token=token)
    assert len(response.json['role_assignments']) == 1
    assert client.request('GET', f"/v3/role_assignments?user.id={other['user']['id']}",
                          token=token).status_int == 403
    assert client.request('GET', '/v3/domains', token=token).status_int == 200
    assert client.request('GET', '/v3/regions', token=token).status_int == 200


def test_project_visible_through_any_role(env: IdentityEnv) -> None:
    member = env.add_member('olga', 'proj-olga')
    second = env.identity.create_project('proj-second', 'default')
    env.identity.assign_role(member['user']['id'], second['id'],
                             env.identity.find_role('reader')['id'])
    assert env.client.request('GET', f"/v3/projects/{second['id']}",
                              token=member['token']).status_int == 200


NAME_300 = 'n' * 300


@pytest.mark.parametrize('method, path, body, field', [
    ('POST', '/v3/projects', {}, 'project'),
    ('POST', '/v3/projects', {'project': {}}, 'project.name'),
    ('POST', '/v3/projects', {'project': {'name': 5}}, 'project.name'),
    ('POST', '/v3/projects', {'project': {'name': NAME_300}}, 'project.name'),
    ('POST', '/v3/projects', {'project': {'name': '  '}}, 'project.name'),
    ('POST', '/v3/projects', {'project': {'name': 'a', 'bogus': 1}}, 'project.bogus'),
    ('POST', '/v3/projects', {'project': {'name': 'a', 'enabled': 'yes'}}, 'project.enabled'),
    ('POST', '/v3/projects', {'project': {'name': 'a', 'is_domain': 'yes'}},
     'project.is_domain'),
    ('POST', '/v3/projects', {'project': {'name': 'a', 'is_domain': True,
                                          'parent_id': 'default'}}, 'project.parent_id'),
    ('POST', '/v3/projects', {'project': {'name': 'a', 'parent_id': 5}},
     'project.parent_id'),
    ('POST', '/v3/projects', {'project': {'name': 'a', 'tags': ['t/u']}}, 'project.tags.0'),
    ('POST', '/v3/projects', {'project': {'name': 'x' * 65}}, 'project.name'),
    ('POST', '/v3/projects', [1], '<body>'),
    ('POST', '/v3/users', {'user': {'name': 'x' * 256}}, 'user.name'),
    ('POST', '/v3/users', {'user': {'name': 'a', 'password': ''}}, 'user.password'),
    ('POST', '/v3/users', {'user': {'name': 'a', 'password': 'x' * 5000}}, 'user.password'),
    ('POST', '/v3/users', {'user': {'name': 'a', 'password': 'x', 'email': 5}},
     'user.email'),
    ('POST', '/v3/users', {'user': {'name': 'a', 'password': 'x',
                                    'default_project_id': 'x' * 65}},
     'user.default_project_id'),
    ('POST', '/v3/roles', {'role': {'name': None}}, 'role.name'),
    ('POST', '/v3/domains', {'domain': {'name': 'd', 'enabled': 'no'}}, 'domain.enabled'),
    ('POST', '/v3/domains', {'domain': {'name': 'd' * 65}}, 'domain.name'),
    ('PATCH', '/v3/projects/{project_id}', {'project': {'name': 'x' * 65}}, 'project.name'),
    ('PATCH', '/v3/projects/{project_id}', {'project': {'domain_id': 'x'}},
     'project.domain_id'),
    ('PATCH', '/v3/projects/{project_id}', {'project': {'enabled': 1}}, 'project.enabled'),
    ('PATCH', '/v3/users/{user_id}', {'user': {'password': 7}}, 'user.password'),
    ('PATCH', '/v3/users/{user_id}', {'user': {'name': ''}}, 'user.name'),
    ('PATCH', '/v3/users/{user_id}', {'user': {'domain_id': 'x'}}, 'user.domain_id'),
])
def test_bad_bodies_400(env: IdentityEnv, method: str, path: str, body: Any,
                        field: str) -> None:
    path = path.format(project_id=env.booted['project_id'], user_id=env.booted['user_id'])
    before = row_counts(env.services.db)
    response = env.client.request(method, path, body, token=env.admin_token)
    assert response.status_int == 400, response.text
    assert f"'{field}'" in response.json['error']['message']
    assert row_counts(env.services.db) == before


def test_other_client_errors(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    before = row_counts(env.services.db)
    assert client.request('POST', '/v3/projects', raw=b'{', token=token).status_int == 400
    assert client.request('POST', '/v3/projects', raw=b'<p/>', content_type='text/xml',
                          token=token).status_int == 415
    assert client.request('POST', '/v3/projects', {'project': {'name': 'admin'}},
                          token=token).status_int == 409
    assert client.request('POST', '/v3/users', {'user': {
        'name': 'z', 'password': 'x', 'domain_id': 'nowhere'}}, token=token).status_int == 404
    assert client.request('POST', '/v3/users', {'user': {
        'name': 'z', 'password': 'x', 'default_project_id': 'f' * 32}},
        token=token).status_int == 404
    assert client.request('GET', f"/v3/projects/{'x' * 100}", token=token).status_int == 404
    assert client.request('GET', '/v3/projects/%00', token=token).status_int == 404
    assert client.request('PUT', f"/v3/projects/{env.booted['project_id']}/users/"
                                 f"{env.booted['user_id']}/roles/nope",
                          token=token).status_int == 404
    assert client.request('GET', '/v3/projects').status_int == 401
    assert client.request('GET', '/v3/projects', token='bad').status_int == 401
    assert client.request('PUT', '/v3/projects', token=token).status_int == 405
    assert client.request('GET', '/v3/nothing', token=token).status_int == 404
    assert row_counts(env.services.db) == before
