"""Group types, groups and group snapshots through the REST API (microversions 3.11+)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user

MISSING = '00000000-dead-beef-0000-000000000000'
V = {'OpenStack-API-Version': 'volume 3.20'}


def _unique(prefix: str) -> str:
    return f'{prefix}-{uuid.uuid4().hex[:8]}'


def _type(admin: Client) -> dict[str, Any]:
    response = admin.post('/types', {'volume_type': {'name': _unique('vt')}})
    assert response.status_int == 200, response.text
    return response.json['volume_type']


def _group_type(admin: Client, **fields: Any) -> dict[str, Any]:
    response = admin.post('/group_types', {'group_type': {'name': _unique('gt'), **fields}},
                          headers=V)
    assert response.status_int == 202, response.text
    return response.json['group_type']


def _group(client: Client, group_type: str, volume_type: str) -> dict[str, Any]:
    response = client.post('/groups', {'group': {
        'group_type': group_type, 'volume_types': [volume_type], 'name': _unique('g')}},
        headers=V)
    assert response.status_int == 202, response.text
    return client.get(f'/groups/{response.json["group"]["id"]}', headers=V).json['group']


def _volume(client: Client, volume_type: str, group_id: str) -> dict[str, Any]:
    response = client.post('/volumes', {'volume': {
        'size': 1, 'volume_type': volume_type, 'group_id': group_id}}, headers=V)
    assert response.status_int == 202, response.text
    return response.json['volume']


def test_routes_are_404_below_their_microversion(admin: Client) -> None:
    assert admin.get('/group_types').status_int == 404
    old = {'OpenStack-API-Version': 'volume 3.10'}
    assert admin.get('/group_types', headers=old).status_int == 404
    assert admin.get('/groups', headers={'OpenStack-API-Version': 'volume 3.12'}
                     ).status_int == 404
    assert admin.get('/group_snapshots', headers={'OpenStack-API-Version': 'volume 3.13'}
                     ).status_int == 404
    assert admin.get('/group_types', headers={'OpenStack-API-Version': 'volume 3.11'}
                     ).status_int == 200


def test_group_type_crud_and_specs(admin: Client) -> None:
    created = _group_type(admin, description='d', group_specs={'k1': 'v1'}, is_public=True)
    assert created['group_specs'] == {'k1': 'v1'} and created['is_public'] is True
    path = f'/group_types/{created["id"]}'
    duplicate = admin.post('/group_types', {'group_type': {'name': created['name']}},
                           headers=V)
    assert duplicate.status_int == 409
    updated = admin.put(path, {'group_type': {'name': created['name'] + 'x',
                                              'description': 'new'}}, headers=V)
    assert updated.status_int == 200 and updated.json['group_type']['description'] == 'new'
    specs = admin.post(path + '/group_specs', {'group_specs': {'k2': 'v2'}}, headers=V)
    assert specs.status_int == 202 and specs.json == {'group_specs': {'k2': 'v2'}}
    assert admin.get(path + '/group_specs', headers=V).json['group_specs'] == {
        'k1': 'v1', 'k2': 'v2'}
    item = admin.put(path + '/group_specs/k2', {'k2': 'v3'}, headers=V)
    assert item.status_int == 200 and item.json == {'k2': 'v3'}
    assert admin.put(path + '/group_specs/k2', {'k1': 'x'}, headers=V).status_int == 400
    assert admin.get(path + '/group_specs/k2', headers=V).json == {'k2': 'v3'}
    assert admin.delete(path + '/group_specs/k2', headers=V).status_int == 202
    assert admin.get(path + '/group_specs/k2', headers=V).status_int == 404
    assert admin.delete(path, headers=V).status_int == 202
    assert admin.get(path, headers=V).status_int == 404


def test_group_type_list_filters_and_sorts(admin: Client) -> None:
    public = _group_type(admin, name='a-' + _unique('gt'), is_public=True)
    private = _group_type(admin, name='b-' + _unique('gt'), is_public=False)

    def names(query: str) -> list[str]:
        response = admin.get('/group_types' + query, headers=V)
        assert response.status_int == 200, response.text
        return [kind['name'] for kind in response.json['group_types']]

    every = names('?is_public=None&sort=name:desc')
    assert every.index(private['name']) < every.index(public['name'])
    assert public['name'] not in names('?is_public=false')
    assert private['name'] in names('?is_public=false')
    assert private['name'] not in names('')
    assert admin.get('/group_types?is_public=maybe', headers=V).status_int == 400


def test_group_type_policy_and_default(admin: Client, app: Any, env: CloudEnv) -> None:
    member = make_user(env, app, ['member'])
    kind = _group_type(admin, group_specs={'secret': 'x'})
    shown = member.get(f'/group_types/{kind["id"]}', headers=V)
    assert shown.status_int == 200 and 'group_specs' not in shown.json['group_type']
    assert member.post('/group_types', {'group_type': {'name': _unique('gt')}},
                       headers=V).status_int == 403
    assert member.get(f'/group_types/{kind["id"]}/group_specs', headers=V).status_int == 403
    assert admin.get('/group_types/default', headers=V).status_int == 404


def test_group_lifecycle_with_volumes(admin: Client, env: CloudEnv) -> None:
    volume_type, kind = _type(admin), _group_type(admin)
    group = _group(admin, kind['id'], volume_type['id'])
    assert group['status'] == 'available'
    assert group['volume_types'] == [volume_type['id']] and group['group_type'] == kind['id']
    assert 'project_id' not in group
    volume = _volume(admin, volume_type['id'], group['id'])
    assert volume['group_id'] == group['id']
    assert 'group_id' not in admin.get(f'/volumes/{volume["id"]}').json['volume']
    # A group type in use cannot be deleted.
    assert admin.delete(f'/group_types/{kind["id"]}', headers=V).status_int == 400
    # Another type than the group's is refused.
    wrong = admin.post('/volumes', {'volume': {'size': 1, 'group_id': group['id']}},
                       headers=V)
    assert wrong.status_int == 400
    path = f'/groups/{group["id"]}'
    assert admin.put(path, {'group': {'remove_volumes': volume['id'], 'name': 'n2'}},
                     headers=V).status_int == 202
    assert admin.get(f'/volumes/{volume["id"]}', headers=V).json['volume']['group_id'] is None
    assert admin.get(path, headers=V).json['group']['name'] == 'n2'
    assert admin.put(path, {'group': {'add_volumes': volume['id']}},
                     headers=V).status_int == 202
    assert admin.get(f'/volumes/{volume["id"]}', headers=V).json['volume']['group_id'] \
        == group['id']
    listed = admin.get('/groups/detail', headers=V).json['groups']
    assert group['id'] in [item['id'] for item in listed]
    assert 'volumes' not in group and 'replication_status' not in group
    later = admin.get(path + '?list_volume=true',
                      headers={'OpenStack-API-Version': 'volume 3.38'}).json['group']
    assert later['volumes'] == [volume['id']] and later['replication_status'] == 'disabled'
    assert 'volumes' not in admin.get(path, headers={
        'OpenStack-API-Version': 'volume 3.25'}).json['group']
    # Not empty: delete needs delete-volumes; with it the volume goes too.
    assert admin.post(path + '/action', {'delete': {'delete-volumes': False}},
                      headers=V).status_int == 400
    assert admin.post(path + '/action', {'delete': {'delete-volumes': True}},
                      headers=V).status_int == 202
    assert admin.get(path, headers=V).status_int == 404
    assert admin.get(f'/volumes/{volume["id"]}').status_int == 404
    assert admin.delete(f'/group_types/{kind["id"]}', headers=V).status_int == 202


def test_group_reset_status_is_admin_and_3_20(admin: Client, app: Any,
                                              env: CloudEnv) -> None:
    volume_type, kind = _type(admin), _group_type(admin)
    group = _group(admin, kind['id'], volume_type['id'])
    path = f'/groups/{group["id"]}/action'
    body = {'reset_status': {'status': 'error'}}
    assert admin.post(path, body, headers={'OpenStack-API-Version': 'volume 3.19'}
                      ).status_int == 404
    assert admin.post(path, body, headers=V).status_int == 202
    assert admin.get(f'/groups/{group["id"]}', headers=V).json['group']['status'] == 'error'
    assert admin.post(path, {'reset_status': {'status': 'bogus'}}, headers=V).status_int == 400
    member = make_user(env, app, ['member'])
    own = _group(member, kind['id'], volume_type['id'])
    assert member.post(f'/groups/{own["id"]}/action', body, headers=V).status_int == 403
    assert member.get(f'/groups/{group["id"]}', headers=V).status_int == 404
    assert admin.post(f'/groups/{own["id"]}/action', {'delete': {}},
                      headers=V).status_int == 202


def test_group_snapshot_and_create_from_source(admin: Client) -> None:
    volume_type, kind = _type(admin), _group_type(admin)
    group = _group(admin, kind['id'], volume_type['id'])
    volume = _volume(admin, volume_type['id'], group['id'])
    response = admin.post('/group_snapshots', {'group_snapshot': {
        'group_id': group['id'], 'name': 'gs'}}, headers=V)
    assert response.status_int == 202, response.text
    gs = response.json['group_snapshot']
    assert gs['group_type_id'] == kind['id']
    shown = admin.get(f'/group_snapshots/{gs["id"]}', headers=V).json['group_snapshot']
    assert shown['status'] == 'available' and shown['group_id'] == group['id']
    members = [snap for snap in admin.get('/snapshots/detail').json['snapshots']
               if snap['volume_id'] == volume['id']]
    assert len(members) == 1
    # A member snapshot goes only with its group snapshot.
    assert admin.delete(f'/snapshots/{members[0]["id"]}').status_int == 400
    # A group with group snapshots cannot be deleted.
    assert admin.post(f'/groups/{group["id"]}/action', {'delete': {'delete-volumes': True}},
                      headers=V).status_int == 400
    for source in ({'group_snapshot_id': gs['id']}, {'source_group_id': group['id']}):
        made = admin.post('/groups/action', {'create-from-src': {**source, 'name': 'copy'}},
                          headers=V)
        assert made.status_int == 202, made.text
        copy_id = made.json['group']['id']
        copy = admin.get(f'/groups/{copy_id}', headers=V).json['group']
        assert copy['status'] == 'available'
        copies = [vol for vol in admin.get('/volumes/detail', headers=V).json['volumes']
                  if vol['group_id'] == copy_id]
        assert len(copies) == 1 and copies[0]['status'] == 'available'
        assert admin.post(f'/groups/{copy_id}/action', {'delete': {'delete-volumes': True}},
                          headers=V).status_int == 202
    both = admin.post('/groups/action', {'create-from-src': {
        'group_snapshot_id': gs['id'], 'source_group_id': group['id']}}, headers=V)
    assert both.status_int == 400
    reset = admin.post(f'/group_snapshots/{gs["id"]}/action',
                       {'reset_status': {'status': 'error'}}, headers=V)
    assert reset.status_int == 202
    assert admin.delete(f'/group_snapshots/{gs["id"]}', headers=V).status_int == 202
    assert admin.get(f'/group_snapshots/{gs["id"]}', headers=V).status_int == 404
    assert admin.get(f'/snapshots/{members[0]["id"]}').status_int == 404
    assert admin.post(f'/groups/{group["id"]}/action', {'delete': {'delete-volumes': True}},
                      headers=V).status_int == 202


def test_bad_input_is_400(admin: Client) -> None:
    assert admin.post('/groups', {'group': {'group_type': 'x'}}, headers=V).status_int == 400
    missing = admin.post('/groups', {'group': {'group_type': MISSING,
                                               'volume_types': [MISSING]}}, headers=V)
    assert missing.status_int == 404
    assert admin.post('/group_snapshots', {'group_snapshot': {'group_id': MISSING}},
                      headers=V).status_int == 404
    assert admin.put(f'/groups/{MISSING}', {'group': {}}, headers=V).status_int == 400
