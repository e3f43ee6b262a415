"""Application credentials: create, list, show, delete, and tokens issued with them."""

from __future__ import annotations

import datetime
from typing import Any

from tests.unit.identity.conftest import row_counts
from tests.unit.identity_rest.conftest import IdentityEnv

TOKENS = '/v3/auth/tokens'


def _app_cred_auth(**spec: Any) -> dict[str, Any]:
    return {'auth': {'identity': {'methods': ['application_credential'],
                                  'application_credential': spec}}}


def _create(env: IdentityEnv, member: dict[str, Any], **spec: Any) -> Any:
    path = f"/v3/users/{member['user']['id']}/application_credentials"
    return env.client.request('POST', path, {'application_credential': spec},
                              token=member['token'])


def test_create_authenticate_list_delete(env: IdentityEnv) -> None:
    member = env.add_member('appuser', 'app-proj')
    created = _create(env, member, name='ci', description='for CI')
    assert created.status_int == 201, created.text
    cred = created.json['application_credential']
    assert cred['project_id'] == member['project']['id'] and cred['secret']
    assert sorted(r['name'] for r in cred['roles']) == ['member', 'reader']
    assert cred['unrestricted'] is False and cred['expires_at'] is None
    user_id = member['user']['id']
    shown = env.client.request(
        'GET', f"/v3/users/{user_id}/application_credentials/{cred['id']}",
        token=member['token'])
    assert shown.status_int == 200 and 'secret' not in shown.json['application_credential']
    by_id = env.client.request('POST', TOKENS, _app_cred_auth(id=cred['id'],
                                                              secret=cred['secret']))
    assert by_id.status_int == 201, by_id.text
    token = by_id.json['token']
    assert token['project']['id'] == member['project']['id']
    assert token['methods'] == ['application_credential']
    assert token['application_credential'] == {'id': cred['id'], 'name': 'ci',
                                               'restricted': True}
    by_name = env.client.request('POST', TOKENS, _app_cred_auth(
        name='ci', secret=cred['secret'], user={'id': user_id}))
    assert by_name.status_int == 201, by_name.text
    wrong = env.client.request('POST', TOKENS, _app_cred_auth(id=cred['id'], secret='no'))
    assert wrong.status_int == 401
    # A restricted credential's token may not create another credential.
    nested = _create(env, {**member, 'token': by_id.headers['X-Subject-Token']}, name='n')
    assert nested.status_int == 403
    assert _create(env, member, name='ci').status_int == 409
    listed = env.client.request('GET', f'/v3/users/{user_id}/application_credentials?name=ci',
                                token=member['token'])
    assert [c['id'] for c in listed.json['application_credentials']] == [cred['id']]
    deleted = env.client.request(
        'DELETE', f"/v3/users/{user_id}/application_credentials/{cred['id']}",
        token=member['token'])
    assert deleted.status_int == 204
    assert env.client.request('GET', TOKENS, token=env.admin_token, headers={
        'X-Subject-Token': by_id.headers['X-Subject-Token']}).status_int == 404


def test_roles_secret_and_expiry(env: IdentityEnv) -> None:
    member = env.add_member('roleuser', 'role-proj')
    expires = (datetime.datetime.utcnow() + datetime.timedelta(hours=1)).isoformat()
    created = _create(env, member, name='narrow', secret='my-own-secret',
                      roles=[{'name': 'reader'}], expires_at=expires)
    assert created.status_int == 201, created.text
    cred = created.json['application_credential']
    assert cred['secret'] == 'my-own-secret' and cred['expires_at'] == expires
    token = env.client.request('POST', TOKENS, _app_cred_auth(id=cred['id'],
                                                              secret='my-own-secret'))
    assert [r['name'] for r in token.json['token']['roles']] == ['reader']
    assert _create(env, member, name='too-much', roles=[{'name': 'admin'}]).status_int == 403
    past = (datetime.datetime.utcnow() - datetime.timedelta(hours=1)).isoformat()
    assert _create(env, member, name='old', expires_at=past).status_int == 400
    other = env.add_member('someone', 'role-proj')
    foreign = env.client.request(
        'POST', f"/v3/users/{member['user']['id']}/application_credentials",
        {'application_credential': {'name': 'x'}}, token=other['token'])
    assert foreign.status_int == 403


def test_losing_the_role_or_the_user_invalidates(env: IdentityEnv) -> None:
    member = env.add_member('loser', 'lose-proj')
    cred = _create(env, member, name='c').json['application_credential']
    issued = env.client.request('POST', TOKENS, _app_cred_auth(id=cred['id'],
                                                               secret=cred['secret']))
    token = issued.headers['X-Subject-Token']
    identity = env.identity
    identity.unassign_role(member['user']['id'], member['project']['id'],
                           identity.find_role('member')['id'])
    assert env.client.request('GET', TOKENS, token=env.admin_token,
                              headers={'X-Subject-Token': token}).status_int == 404
    assert env.client.request('POST', TOKENS, _app_cred_auth(
        id=cred['id'], secret=cred['secret'])).status_int == 401
    before = row_counts(env.services.db)
    identity.delete_user(member['user']['id'])
    assert row_counts(env.services.db)['users'] == before['users'] - 1
    assert env.client.request('POST', TOKENS, _app_cred_auth(
        id=cred['id'], secret=cred['secret'])).status_int == 401
