"""``/v3/policies``, ``/v3/OS-OAUTH1/consumers`` and ``/v3/OS-EP-FILTER/endpoint_groups``."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from nova_lite.db.models import identity_extensions as models
from tests.unit.identity_rest.conftest import PUBLIC_URL, IdentityEnv

V3 = f'{PUBLIC_URL}/v3'


def test_policy_crud(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    response = client.request('POST', '/v3/policies',
                              {'policy': {'type': 'application/json', 'blob': '{"a": 1}'}},
                              token=token)
    assert response.status_int == 201, response.text
    policy = response.json['policy']
    assert policy == {'id': policy['id'], 'type': 'application/json', 'blob': '{"a": 1}',
                      'links': {'self': f"{V3}/policies/{policy['id']}"}}
    response = client.request('PATCH', f"/v3/policies/{policy['id']}",
                              {'policy': {'type': 'text/plain'}}, token=token)
    assert response.status_int == 200
    assert response.json['policy']['type'] == 'text/plain'
    assert response.json['policy']['blob'] == '{"a": 1}'
    shown = client.request('GET', f"/v3/policies/{policy['id']}", token=token).json['policy']
    assert shown['type'] == 'text/plain'
    listed = client.request('GET', '/v3/policies?type=text/plain', token=token).json
    assert [p['id'] for p in listed['policies']] == [policy['id']]
    assert client.request('GET', '/v3/policies?type=other',
                          token=token).json['policies'] == []
    assert client.request('DELETE', f"/v3/policies/{policy['id']}",
                          token=token).status_int == 204
    assert client.request('GET', f"/v3/policies/{policy['id']}", token=token).status_int == 404
    assert client.request('DELETE', f"/v3/policies/{policy['id']}",
                          token=token).status_int == 404
    assert client.request('GET', f"/v3/policies/{'x' * 100}", token=token).status_int == 404


def test_policy_bad_input_and_rules(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    for body in ({'policy': {'type': 'x'}}, {'policy': {'blob': 'x'}},
                 {'policy': {'type': 'x', 'blob': 1}}, {'policy': {'type': 'x', 'blob': 'y',
                                                                  'other': 1}}, {}):
        response = client.request('POST', '/v3/policies', body, token=token)
        assert response.status_int == 400, body
        assert response.json['error']['code'] == 400
    created = client.request('POST', '/v3/policies', {'policy': {'type': 't', 'blob': 'b'}},
                             token=token).json['policy']
    assert client.request('PATCH', f"/v3/policies/{created['id']}", {'policy': {}},
                          token=token).status_int == 400
    member = env.add_member('pol-member', 'pol-project')
    assert client.request('POST', '/v3/policies', {'policy': {'type': 't', 'blob': 'b'}},
                          token=member['token']).status_int == 403
    assert client.request('DELETE', f"/v3/policies/{created['id']}",
                          token=member['token']).status_int == 403
    # Reading needs the reader rule, which a member meets.
    assert client.request('GET', '/v3/policies', token=member['token']).status_int == 200
    assert client.request('GET', '/v3/policies').status_int == 401


def test_consumer_secret_shown_once_and_stored_hashed(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    response = client.request('POST', '/v3/OS-OAUTH1/consumers',
                              {'consumer': {'description': 'first'}}, token=token)
    assert response.status_int == 201, response.text
    consumer = response.json['consumer']
    secret = consumer.pop('secret')
    assert len(secret) >= 32
    assert consumer == {'id': consumer['id'], 'description': 'first',
                        'links': {'self': f"{V3}/OS-OAUTH1/consumers/{consumer['id']}"}}
    with env.services.identity._db.reader() as session:
        row = session.get(models.OAuthConsumer, consumer['id'])
        assert row is not None
        assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in row.secret_hash
    store = env.identity.extensions.consumers
    assert store.check_secret(consumer['id'], secret)
    assert not store.check_secret(consumer['id'], secret + 'x')
    path = f"/v3/OS-OAUTH1/consumers/{consumer['id']}"
    shown = client.request('GET', path, token=token).json['consumer']
    assert shown == consumer
    assert client.request('PATCH', path, {'consumer': {'secret': 'mine'}},
                          token=token).status_int == 400
    updated = client.request('PATCH', path, {'consumer': {'description': 'second'}},
                             token=token)
    assert updated.status_int == 200 and updated.json['consumer']['description'] == 'second'
    assert 'secret' not in updated.json['consumer']
    bare = client.request('POST', '/v3/OS-OAUTH1/consumers', {'consumer': {}}, token=token)
    assert bare.status_int == 201 and bare.json['consumer']['description'] is None
    listed = client.request('GET', '/v3/OS-OAUTH1/consumers', token=token).json['consumers']
    assert {c['id'] for c in listed} == {consumer['id'], bare.json['consumer']['id']}
    assert all('secret' not in c for c in listed)
    assert client.request('DELETE', path, token=token).status_int == 204
    assert client.request('GET', path, token=token).status_int == 404
    member = env.add_member('oauth-member', 'oauth-project')
    assert client.request('POST', '/v3/OS-OAUTH1/consumers', {'consumer': {}},
                          token=member['token']).status_int == 403


def test_endpoint_group_crud_and_check(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    body = {'endpoint_group': {'name': 'g1', 'description': 'd1',
                               'filters': {'service_id': 'svc1', 'interface': 'public'}}}
    response = client.request('POST', '/v3/OS-EP-FILTER/endpoint_groups', body, token=token)
    assert response.status_int == 201, response.text
    group = response.json['endpoint_group']
    path = f"/v3/OS-EP-FILTER/endpoint_groups/{group['id']}"
    assert group == {'id': group['id'], 'name': 'g1', 'description': 'd1',
                     'filters': {'service_id': 'svc1', 'interface': 'public'},
                     'links': {'self': f'{V3}{path[3:]}'}}
    listed = client.request('GET', '/v3/OS-EP-FILTER/endpoint_groups', token=token).json
    assert listed['endpoint_groups'] == [group]
    assert client.request('GET', path, token=token).json['endpoint_group'] == group
    assert client.request('HEAD', path, token=token).status_int == 200
    updated = client.request('PATCH', path, {'endpoint_group': {
        'name': 'g2', 'filters': {'region_id': 'RegionOne'}}}, token=token)
    assert updated.status_int == 200
    assert updated.json['endpoint_group']['filters'] == {'region_id': 'RegionOne'}
    assert updated.json['endpoint_group']['description'] == 'd1'
    assert client.request('DELETE', path, token=token).status_int == 204
    assert client.request('HEAD', path, token=token).status_int == 404
    assert client.request('GET', path, token=token).status_int == 404


def test_endpoint_group_bad_filters(env: IdentityEnv) -> None:
    client, token = env.client, env.admin_token
    for filters in ({'color': 'red'}, {'interface': 'sideways'}, {}, {'service_id': 3}):
        response = client.request('POST', '/v3/OS-EP-FILTER/endpoint_groups', {
            'endpoint_group': {'name': 'g', 'filters': filters}}, token=token)
        assert response.status_int == 400, filters
    response = client.request('POST', '/v3/OS-EP-FILTER/endpoint_groups', {
        'endpoint_group': {'name': 'g', 'filters': {'color': 'red'}}}, token=token)
    assert 'filters.color' in response.json['error']['message']
    with env.services.identity._db.reader() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(
            models.EndpointGroup)) == 0
