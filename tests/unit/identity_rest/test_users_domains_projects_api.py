"""User attributes and password changes, domain update/delete, project rename and tags."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from tests.unit.identity_rest.conftest import IdentityEnv


def _create(env: IdentityEnv, collection: str, body: dict[str, Any]) -> dict[str, Any]:
    key = collection[:-1]
    response = env.client.request('POST', f'/v3/{collection}', {key: body},
                                  token=env.admin_token)
    assert response.status_int == 201, response.text
    return response.json[key]


def _request(env: IdentityEnv, method: str, path: str, body: Any = None,
             token: str | None = None) -> Any:
    return env.client.request(method, path, body, token=token or env.admin_token)


def _auth(env: IdentityEnv, user_id: str, password: str) -> Any:
    return env.client.request('POST', '/v3/auth/tokens', {'auth': {'identity': {
        'methods': ['password'], 'password': {'user': {'id': user_id, 'password': password}}},
        'scope': {'project': {'id': env.booted['project_id']}}}})


def test_user_attributes_are_kept_and_updated(env: IdentityEnv) -> None:
    user = _create(env, 'users', {'name': 'u1', 'password': 'pw', 'email': 'u1@example.org',
                                  'description': 'first', 'project_id': 'p', 'enabled': False})
    assert user['email'] == 'u1@example.org' and user['description'] == 'first'
    assert user['project_id'] == 'p' and user['enabled'] is False
    project = _create(env, 'projects', {'name': 'p2'})
    change = {'name': 'u2', 'description': 'second', 'email': 'u2@example.org',
              'project_id': project['id'], 'enabled': True}
    response = _request(env, 'PATCH', f"/v3/users/{user['id']}", {'user': change})
    assert response.status_int == 200
    shown = _request(env, 'GET', f"/v3/users/{user['id']}").json['user']
    for body in (response.json['user'], shown):
        assert {k: body[k] for k in change} == change
    listed = _request(env, 'GET', '/v3/users?name=u2').json['users']
    assert listed == [shown]
    assert _request(env, 'PATCH', f"/v3/users/{user['id']}",
                    {'user': {'name': 'admin'}}).status_int == 409


def test_user_without_password_cannot_authenticate(env: IdentityEnv) -> None:
    user = _create(env, 'users', {'name': 'nopw'})
    assert _auth(env, user['id'], 'anything').status_int == 401


def test_change_own_password(env: IdentityEnv) -> None:
    member = env.add_member('alice', 'proj-a')
    user_id, token = member['user']['id'], member['token']
    path = f'/v3/users/{user_id}/password'
    wrong = {'user': {'original_password': 'nope', 'password': 'new-pw'}}
    assert _request(env, 'POST', path, wrong, token=token).status_int == 401
    missing = {'user': {'password': 'new-pw'}}
    response = _request(env, 'POST', path, missing, token=token)
    assert response.status_int == 400 and 'user.original_password' in response.text
    right = {'user': {'original_password': 'alice-password', 'password': 'new-pw'}}
    assert _request(env, 'POST', path, right, token=token).status_int == 204
    # The old token is revoked, the old password refused, the new one accepted.
    response = env.client.request('GET', '/v3/auth/tokens', token=env.admin_token,
                                  headers={'X-Subject-Token': token})
    assert response.status_int == 404
    assert env.client.request('POST', '/v3/auth/tokens', {'auth': {'identity': {
        'methods': ['password'], 'password': {'user': {
            'id': user_id, 'password': 'alice-password'}}}}}).status_int == 401
    assert env.client.login('alice', 'new-pw', 'proj-a')
    # Another user's password: the original one is the authority, as in keystone.
    other = env.add_member('bob', 'proj-a')
    alice = env.client.login('alice', 'new-pw', 'proj-a')
    path = f"/v3/users/{other['user']['id']}/password"
    body = {'user': {'original_password': 'guess', 'password': 'x'}}
    assert _request(env, 'POST', path, body, token=alice).status_int == 401
    body = {'user': {'original_password': 'bob-password', 'password': 'bob-new'}}
    assert _request(env, 'POST', path, body, token=env.admin_token).status_int == 204
    assert env.client.login('bob', 'bob-new', 'proj-a')
    assert _request(env, 'POST', '/v3/users/nope/password', body).status_int == 404


def test_domain_update_and_delete_cascades(env: IdentityEnv) -> None:
    domain = _create(env, 'domains', {'name': 'd1', 'description': 'one'})
    path = f"/v3/domains/{domain['id']}"
    response = _request(env, 'PATCH', path, {'domain': {'name': 'd2', 'description': 'two'}})
    assert response.status_int == 200
    assert (response.json['domain']['name'], response.json['domain']['description']) == (
        'd2', 'two')
    project = _create(env, 'projects', {'name': 'p', 'domain_id': domain['id'],
                                        'tags': ['a']})
    user = _create(env, 'users', {'name': 'u', 'domain_id': domain['id'], 'email': 'e'})
    group = _create(env, 'groups', {'name': 'g', 'domain_id': domain['id']})
    role_id = env.identity.find_role('member')['id']
    for grant in (f"/v3/projects/{project['id']}/users/{user['id']}/roles/{role_id}",
                  f"/v3/projects/{project['id']}/groups/{group['id']}/roles/{role_id}",
                  f"/v3/domains/{domain['id']}/users/{user['id']}/roles/{role_id}",
                  f"/v3/groups/{group['id']}/users/{user['id']}"):
        assert _request(env, 'PUT', grant).status_int == 204
    response = _request(env, 'DELETE', path)
    assert response.status_int == 403 and 'disable it first' in response.text
    assert _request(env, 'PATCH', path, {'domain': {'enabled': False}}).status_int == 200
    assert _request(env, 'DELETE', path).status_int == 204
    assert _request(env, 'GET', path).status_int == 404
    with env.services.db.reader() as session:
        for model in (group_models.Group, group_models.GroupMembership,
                      group_models.GroupProjectGrant, group_models.DomainGrant,
                      group_models.ProjectTag, group_models.UserAttributes):
            assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(models.RoleAssignment)
                              .where(models.RoleAssignment.user_id == user['id'])) == 0
        assert session.get(models.Project, project['id']) is None
        assert session.get(models.User, user['id']) is None
    assert _request(env, 'DELETE', '/v3/domains/default').status_int == 403
    assert _request(env, 'DELETE', '/v3/domains/nope').status_int == 404


def test_disabled_domain_on_create(env: IdentityEnv) -> None:
    domain = _create(env, 'domains', {'name': 'off', 'enabled': False})
    assert domain['enabled'] is False


def test_project_rename_and_tags(env: IdentityEnv) -> None:
    project = _create(env, 'projects', {'name': 'p1', 'tags': ['blue', 'red']})
    assert sorted(project['tags']) == ['blue', 'red']
    path = f"/v3/projects/{project['id']}"
    response = _request(env, 'PATCH', path, {'project': {'name': 'p2', 'tags': ['green']}})
    assert response.status_int == 200
    assert (response.json['project']['name'], response.json['project']['tags']) == (
        'p2', ['green'])
    assert _request(env, 'PUT', f'{path}/tags/yellow', {}).status_int == 201
    assert _request(env, 'GET', f'{path}/tags/yellow').status_int == 204
    assert _request(env, 'HEAD', f'{path}/tags/none').status_int == 404
    assert _request(env, 'GET', f'{path}/tags').json['tags'] == ['green', 'yellow']
    response = _request(env, 'PUT', f'{path}/tags', {'tags': ['a', 'b']})
    assert response.status_int == 200 and response.json['tags'] == ['a', 'b']
    assert _request(env, 'PUT', f'{path}/tags', {'tags': ['a,b']}).status_int == 400
    other = _create(env, 'projects', {'name': 'p3', 'tags': ['a']})

    def listed(query: str) -> set[str]:
        names = {p['name'] for p in _request(env, 'GET', f'/v3/projects?{query}')
                 .json['projects']}
        return names & {'p2', 'p3'}

    assert listed('tags=a,b') == {'p2'}
    assert listed('tags-any=a,b') == {'p2', 'p3'}
    assert listed('not-tags=a,b') == {'p3'}
    assert listed('not-tags-any=b') == {'p3'}
    assert _request(env, 'DELETE', f'{path}/tags/a').status_int == 204
    assert _request(env, 'DELETE', f'{path}/tags/a').status_int == 404
    assert _request(env, 'DELETE', f'{path}/tags').status_int == 204
    assert _request(env, 'GET', f'{path}/tags').json['tags'] == []
    assert _request(env, 'PATCH', path, {'project': {'name': 'p3'}}).status_int == 409
    assert other['tags'] == ['a']


def test_project_tag_writes_need_admin(env: IdentityEnv) -> None:
    member = env.add_member('alice', 'proj-a')
    path = f"/v3/projects/{member['project']['id']}/tags"
    assert _request(env, 'GET', path, token=member['token']).status_int == 200
    assert _request(env, 'PUT', f'{path}/x', {}, token=member['token']).status_int == 403


def test_project_hierarchy(env: IdentityEnv) -> None:
    domain = _create(env, 'domains', {'name': 'd1'})
    root = _create(env, 'projects', {'name': 'root', 'domain_id': domain['id']})
    assert root['parent_id'] == domain['id']
    child = _create(env, 'projects', {'name': 'child', 'parent_id': root['id']})
    assert (child['parent_id'], child['domain_id']) == (root['id'], domain['id'])
    assert _request(env, 'GET', f"/v3/projects/{child['id']}").json['project'][
        'parent_id'] == root['id']
    listed = _request(env, 'GET', f"/v3/projects?parent_id={root['id']}").json['projects']
    assert [p['id'] for p in listed] == [child['id']]
    assert _request(env, 'POST', '/v3/projects', {'project': {
        'name': 'x', 'parent_id': root['id'], 'domain_id': 'default'}}).status_int == 400
    assert _request(env, 'POST', '/v3/projects', {'project': {
        'name': 'x', 'parent_id': 'nope'}}).status_int == 404
    response = _request(env, 'DELETE', f"/v3/projects/{root['id']}")
    assert response.status_int == 403 and 'not a leaf' in response.text
    assert _request(env, 'DELETE', f"/v3/projects/{child['id']}").status_int == 204
    assert _request(env, 'DELETE', f"/v3/projects/{root['id']}").status_int == 204


def test_user_patch_with_the_whole_user_body(env: IdentityEnv) -> None:
    """What Tempest's disable_user sends: the user as listed, with enabled false."""
    user = _create(env, 'users', {'name': 'u1', 'password': 'pw', 'email': 'e@x'})
    response = _request(env, 'PATCH', f"/v3/users/{user['id']}",
                        {'user': {**user, 'enabled': False}})
    assert response.status_int == 200, response.text
    assert response.json['user'] == {**user, 'enabled': False}
    assert _auth(env, user['id'], 'pw').status_int == 401
    response = _request(env, 'PATCH', f"/v3/users/{user['id']}",
                        {'user': {**user, 'id': 'other'}})
    assert response.status_int == 400 and "'user.id'" in response.text


def test_domain_as_an_is_domain_project(env: IdentityEnv) -> None:
    project = _create(env, 'projects', {'name': 'dp', 'is_domain': True,
                                        'description': 'a domain'})
    assert (project['is_domain'], project['domain_id'], project['parent_id']) == (
        True, None, None)
    domains = _request(env, 'GET', '/v3/domains').json['domains']
    assert project['id'] in [d['id'] for d in domains]
    listed = _request(env, 'GET', '/v3/projects?is_domain=true').json['projects']
    assert project in listed and all(p['is_domain'] for p in listed)
    plain = _request(env, 'GET', '/v3/projects').json['projects']
    assert project['id'] not in [p['id'] for p in plain]
    path = f"/v3/projects/{project['id']}"
    assert _request(env, 'GET', path).json['project'] == project
    assert _request(env, 'DELETE', path).status_int == 403  # enabled
    response = _request(env, 'PATCH', path, {'project': {'enabled': False}})
    assert response.status_int == 200 and response.json['project']['enabled'] is False
    assert _request(env, 'GET', f"/v3/domains/{project['id']}").json['domain'][
        'enabled'] is False
    assert _request(env, 'DELETE', path).status_int == 204
    assert _request(env, 'GET', f"/v3/domains/{project['id']}").status_int == 404
    member = env.add_member('alice', 'proj-a')
    assert _request(env, 'GET', '/v3/projects/default',
                    token=member['token']).status_int == 404
