"""/v3/credentials and EC2 credentials; blobs are encrypted at rest."""

from __future__ import annotations

import json

import sqlalchemy as sa

from nova_lite.db.models import identity_auth as auth_models
from nova_lite.identity import credentials
from tests.unit.identity_rest.conftest import IdentityEnv


def test_credentials_crud_and_encryption(env: IdentityEnv) -> None:
    member = env.add_member('creduser', 'cred-proj')
    user_id, project_id = member['user']['id'], member['project']['id']
    blob = json.dumps({'access': 'AK1', 'secret': 'SK1'})
    created = env.client.request('POST', '/v3/credentials', {'credential': {
        'user_id': user_id, 'project_id': project_id, 'type': 'ec2', 'blob': blob}},
        token=member['token'])
    assert created.status_int == 201, created.text
    cred = created.json['credential']
    assert cred['id'] == credentials.ec2_id('AK1') and json.loads(cred['blob']) == {
        'access': 'AK1', 'secret': 'SK1'}
    with env.services.db.reader() as session:
        stored = session.scalar(sa.select(auth_models.Credential.encrypted_blob))
    assert stored is not None and 'SK1' not in stored
    updated = env.client.request('PATCH', f"/v3/credentials/{cred['id']}", {'credential': {
        'blob': json.dumps({'access': 'AK1', 'secret': 'SK2'})}}, token=member['token'])
    assert json.loads(updated.json['credential']['blob'])['secret'] == 'SK2'
    assert updated.json['credential']['project_id'] == project_id
    totp = env.client.request('POST', '/v3/credentials', {'credential': {
        'user_id': user_id, 'type': 'totp', 'blob': 'abcdef'}}, token=env.admin_token)
    assert totp.status_int == 201
    other = env.add_member('snoop', 'cred-proj')
    assert env.client.request('GET', f"/v3/credentials/{cred['id']}",
                              token=other['token']).status_int == 404
    assert env.client.request('GET', '/v3/credentials',
                              token=other['token']).json['credentials'] == []
    mine = env.client.request('GET', '/v3/credentials?type=ec2', token=member['token'])
    assert [c['id'] for c in mine.json['credentials']] == [cred['id']]
    for bad in ({'user_id': user_id, 'type': 'ec2', 'blob': 'not json',
                 'project_id': project_id},
                {'user_id': user_id, 'type': 'ec2', 'blob': blob},
                {'user_id': user_id, 'type': 'ec2', 'blob': 7}):
        response = env.client.request('POST', '/v3/credentials', {'credential': bad},
                                      token=env.admin_token)
        assert response.status_int == 400, bad
    assert env.client.request('DELETE', f"/v3/credentials/{cred['id']}",
                              token=member['token']).status_int == 204
    assert env.client.request('GET', f"/v3/credentials/{cred['id']}",
                              token=env.admin_token).status_int == 404


def test_ec2_credentials(env: IdentityEnv) -> None:
    member = env.add_member('ec2user', 'ec2-proj')
    user_id = member['user']['id']
    path = f'/v3/users/{user_id}/credentials/OS-EC2'
    created = env.client.request('POST', path, {'tenant_id': member['project']['id']},
                                 token=member['token'])
    assert created.status_int == 201, created.text
    cred = created.json['credential']
    assert cred['user_id'] == user_id and cred['tenant_id'] == member['project']['id']
    assert cred['access'] and cred['secret']
    shown = env.client.request('GET', f"{path}/{cred['access']}", token=member['token'])
    assert shown.json['credential']['secret'] == cred['secret']
    listed = env.client.request('GET', path, token=member['token'])
    assert [c['access'] for c in listed.json['credentials']] == [cred['access']]
    other = env.add_member('ec2other', 'ec2-proj')
    assert env.client.request('GET', path, token=other['token']).status_int == 403
    assert env.client.request('DELETE', f"{path}/{cred['access']}",
                              token=member['token']).status_int == 204
    assert env.client.request('GET', f"{path}/{cred['access']}",
                              token=member['token']).status_int == 404
