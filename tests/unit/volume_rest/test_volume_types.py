"""Volume types through the REST API: CRUD, extra specs, private types and access."""

from __future__ import annotations

import uuid
from typing import Any

from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user, osc_create_body


def _unique(prefix: str = 'type') -> str:
    return f'{prefix}-{uuid.uuid4().hex[:8]}'


def _create_type(admin: Client, **fields: Any) -> dict[str, Any]:
    body = {'name': _unique(), **fields}
    response = admin.post('/types', {'volume_type': body})
    assert response.status_int == 200, response.text
    return response.json['volume_type']


def test_create_show_update_delete(admin: Client) -> None:
    created = _create_type(admin, description='fast', extra_specs={'k': 'v'})
    assert created['description'] == 'fast'
    assert created['extra_specs'] == {'k': 'v'}
    assert created['os-volume-type-access:is_public'] is True
    assert 'qos_specs_id' not in created
    shown = admin.get(f'/types/{created["id"]}').json['volume_type']
    assert shown == {**created, 'qos_specs_id': None}
    names = [t['name'] for t in admin.get('/types').json['volume_types']]
    assert '__DEFAULT__' in names and created['name'] in names
    new_name = _unique()
    updated = admin.put(f'/types/{created["id"]}',
                        {'volume_type': {'name': new_name, 'description': 'd2'}})
    assert updated.status_int == 200
    assert updated.json['volume_type']['name'] == new_name
    assert updated.json['volume_type']['description'] == 'd2'
    assert set(updated.json['volume_type']) == {'id', 'name', 'description', 'is_public',
                                                'extra_specs'}
    assert admin.delete(f'/types/{created["id"]}').status_int == 202
    assert admin.get(f'/types/{created["id"]}').status_int == 404
    assert admin.delete(f'/types/{created["id"]}').status_int == 404


def test_bad_names_and_duplicates(admin: Client) -> None:
    assert admin.post('/types', {'volume_type': {'name': ''}}).status_int == 400
    assert admin.post('/types', {'volume_type': {'description': 'x'}}).status_int == 400
    created = _create_type(admin)
    again = admin.post('/types', {'volume_type': {'name': created['name']}})
    assert again.status_int == 409
    assert admin.post('/types', {'volume_type': {'name': '__DEFAULT__'}}).status_int == 409


def test_the_default_type_still_works(admin: Client) -> None:
    assert admin.get('/types/default').json['volume_type']['name'] == '__DEFAULT__'
    response = admin.post('/volumes', osc_create_body(name=_unique('vol'),
                                                      volume_type='__DEFAULT__'))
    assert response.status_int == 202
    assert admin.delete('/types/__DEFAULT__').status_int == 400


def test_a_type_in_use_cannot_be_deleted(admin: Client) -> None:
    created = _create_type(admin)
    response = admin.post('/volumes', osc_create_body(name=_unique('vol'),
                                                      volume_type=created['id']))
    assert response.status_int == 202, response.text
    volume = response.json['volume']
    assert volume['volume_type'] == created['name']
    assert admin.delete(f'/types/{created["id"]}').status_int == 400
    assert admin.delete(f'/volumes/{volume["id"]}').status_int == 202


def test_extra_specs_crud(admin: Client) -> None:
    type_id = _create_type(admin)['id']
    base = f'/types/{type_id}/extra_specs'
    assert admin.post(base, {'extra_specs': {'a': '1', 'b': '2'}}).status_int == 200
    assert admin.get(base).json['extra_specs'] == {'a': '1', 'b': '2'}
    assert admin.get(f'{base}/a').json == {'a': '1'}
    assert admin.put(f'{base}/a', {'a': '9'}).json == {'a': '9'}
    assert admin.put(f'{base}/a', {'b': '9'}).status_int == 400
    assert admin.put(f'{base}/a', {'a': '9', 'b': '9'}).status_int == 400
    assert admin.put(f'{base}/a', None).status_int == 400
    assert admin.post(base, None).status_int == 400
    assert admin.post(base, {'extra_specs': 'x'}).status_int == 400
    assert admin.delete(f'{base}/a').status_int == 202
    assert admin.get(f'{base}/a').status_int == 404
    assert admin.delete(f'{base}/nope').status_int == 404
    assert admin.get('/types/00000000-dead-beef-0000-000000000000/extra_specs'
                     ).status_int == 404


def test_private_type_access(admin: Client, app: Any, env: CloudEnv) -> None:
    private = _create_type(admin, **{'os-volume-type-access:is_public': False})
    member = make_user(env, app, ['member'])
    assert member.get(f'/types/{private["id"]}').status_int == 404
    assert private['id'] not in [t['id'] for t in member.get('/types').json['volume_types']]
    denied = member.post('/volumes', osc_create_body(name=_unique('vol'),
                                                     volume_type=private['id']))
    assert denied.status_int == 404
    action = f'/types/{private["id"]}/action'
    add = {'addProjectAccess': {'project': member.project_id}}
    assert admin.post(action, add).status_int == 202
    assert admin.post(action, add).status_int == 409
    assert admin.post(action, {'frobnicate': {'project': 'p'}}).status_int == 400
    access = admin.get(f'/types/{private["id"]}/os-volume-type-access').json
    assert access['volume_type_access'] == [
        {'volume_type_id': private['id'], 'project_id': member.project_id}]
    assert member.get(f'/types/{private["id"]}').status_int == 200
    made = member.post('/volumes', osc_create_body(name=_unique('vol'),
                                                   volume_type=private['id']))
    assert made.status_int == 202, made.text
    remove = {'removeProjectAccess': {'project': member.project_id}}
    assert admin.post(action, remove).status_int == 202
    assert member.get(f'/types/{private["id"]}').status_int == 404


def test_members_cannot_manage_types(admin: Client, app: Any, env: CloudEnv) -> None:
    member = make_user(env, app, ['member'])
    assert member.post('/types', {'volume_type': {'name': _unique()}}).status_int == 403
    type_id = _create_type(admin)['id']
    assert member.delete(f'/types/{type_id}').status_int == 403
    assert member.post(f'/types/{type_id}/extra_specs',
                       {'extra_specs': {'a': '1'}}).status_int == 403


def test_retype(admin: Client) -> None:
    first, second = _create_type(admin), _create_type(admin)
    response = admin.post('/volumes', osc_create_body(name=_unique('vol'),
                                                      volume_type=first['id']))
    volume = response.json['volume']
    action = f'/volumes/{volume["id"]}/action'
    retype = {'os-retype': {'new_type': second['id'], 'migration_policy': 'never'}}
    assert admin.post(action, retype).status_int == 202
    assert admin.get(f'/volumes/{volume["id"]}').json['volume']['volume_type'] == \
        second['name']
    unknown = {'os-retype': {'new_type': 'no-such-type'}}
    assert admin.post(action, unknown).status_int == 404
    assert admin.post(action, {'os-retype': {}}).status_int == 400
    assert admin.delete(f'/types/{first["id"]}').status_int == 202


def test_members_cannot_manage_access(admin: Client, app: Any, env: CloudEnv) -> None:
    member = make_user(env, app, ['member'])
    private = _create_type(admin, **{'os-volume-type-access:is_public': False})
    add = {'addProjectAccess': {'project': member.project_id}}
    assert member.post(f'/types/{private["id"]}/action', add).status_int == 403
    assert member.get(f'/types/{private["id"]}/os-volume-type-access').status_int == 403
    public = _create_type(admin)
    assert admin.get(f'/types/{public["id"]}/os-volume-type-access').status_int == 404
    listed = admin.get('/types?is_public=false').json['volume_types']
    assert [t['id'] for t in listed if t['id'] in (private['id'], public['id'])] == [
        private['id']]
