"""QoS specs through the REST API: CRUD, keys, associations with volume types, policy."""

from __future__ import annotations

import uuid
from typing import Any

from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user

MISSING = '00000000-dead-beef-0000-000000000000'


def _unique(prefix: str = 'qos') -> str:
    return f'{prefix}-{uuid.uuid4().hex[:8]}'


def _create(admin: Client, **fields: Any) -> dict[str, Any]:
    response = admin.post('/qos-specs', {'qos_specs': {'name': _unique(), **fields}})
    assert response.status_int == 200, response.text
    return response.json['qos_specs']


def _create_type(admin: Client) -> dict[str, Any]:
    response = admin.post('/types', {'volume_type': {'name': _unique('type')}})
    assert response.status_int == 200, response.text
    return response.json['volume_type']


def test_create_show_list_delete(admin: Client) -> None:
    response = admin.post('/qos-specs', {'qos_specs': {
        'name': _unique(), 'consumer': 'front-end', 'read_iops_sec': '2000'}})
    assert response.status_int == 200, response.text
    created = response.json['qos_specs']
    assert created['consumer'] == 'front-end'
    assert created['specs'] == {'read_iops_sec': '2000'}
    assert [link['rel'] for link in response.json['links']] == ['self', 'bookmark']
    assert response.json['links'][0]['href'].endswith(f'/v3/{admin.project_id}/qos-specs/'
                                                      f'{created["id"]}')
    shown = admin.get(f'/qos-specs/{created["id"]}')
    assert shown.json['qos_specs'] == created
    assert created in admin.get('/qos-specs').json['qos_specs']
    assert admin.delete(f'/qos-specs/{created["id"]}').status_int == 202
    assert admin.get(f'/qos-specs/{created["id"]}').status_int == 404
    assert created not in admin.get('/qos-specs').json['qos_specs']


def test_consumer_defaults_to_back_end_and_is_checked(admin: Client) -> None:
    assert _create(admin)['consumer'] == 'back-end'
    assert _create(admin, consumer='both')['consumer'] == 'both'
    bad = admin.post('/qos-specs', {'qos_specs': {'name': _unique(), 'consumer': 'nowhere'}})
    assert bad.status_int == 400
    assert 'consumer' in bad.text


def test_bad_bodies_and_duplicate_names(admin: Client) -> None:
    assert admin.post('/qos-specs', {'qos_specs': {'consumer': 'both'}}).status_int == 400
    assert admin.post('/qos-specs', {'qos_specs': {'name': ''}}).status_int == 400
    assert admin.post('/qos-specs', {'qos_specs': {'name': 'n', 'k': 1}}).status_int == 400
    assert admin.post('/qos-specs', None).status_int == 400
    name = _create(admin)['name']
    assert admin.post('/qos-specs', {'qos_specs': {'name': name}}).status_int == 409


def test_set_and_unset_keys(admin: Client) -> None:
    specs_id = _create(admin, read_iops_sec='100')['id']
    response = admin.put(f'/qos-specs/{specs_id}', {'qos_specs': {'iops_bytes': '500'}})
    assert response.status_int == 200
    assert response.json == {'qos_specs': {'iops_bytes': '500'}}
    shown = admin.get(f'/qos-specs/{specs_id}').json['qos_specs']
    assert shown['specs'] == {'read_iops_sec': '100', 'iops_bytes': '500'}
    assert admin.put(f'/qos-specs/{specs_id}',
                     {'qos_specs': {'consumer': 'both'}}).status_int == 200
    assert admin.get(f'/qos-specs/{specs_id}').json['qos_specs']['consumer'] == 'both'
    assert admin.put(f'/qos-specs/{specs_id}',
                     {'qos_specs': {'consumer': 'x'}}).status_int == 400
    unset = admin.put(f'/qos-specs/{specs_id}/delete_keys', {'keys': ['iops_bytes']})
    assert unset.status_int == 202
    assert admin.get(f'/qos-specs/{specs_id}').json['qos_specs']['specs'] == {
        'read_iops_sec': '100'}
    assert admin.put(f'/qos-specs/{specs_id}/delete_keys',
                     {'keys': ['iops_bytes']}).status_int == 404
    assert admin.put(f'/qos-specs/{specs_id}/delete_keys', {'keys': 'x'}).status_int == 400
    assert admin.put(f'/qos-specs/{MISSING}', {'qos_specs': {'a': 'b'}}).status_int == 404


def test_associate_disassociate(admin: Client) -> None:
    specs_id = _create(admin)['id']
    types = [_create_type(admin) for _ in range(3)]
    for volume_type in types:
        assert admin.get(f'/qos-specs/{specs_id}/associate?vol_type_id='
                         f'{volume_type["id"]}').status_int == 202
    linked = admin.get(f'/qos-specs/{specs_id}/associations').json['qos_associations']
    assert sorted(a['id'] for a in linked) == sorted(t['id'] for t in types)
    assert {a['association_type'] for a in linked} == {'volume_type'}
    shown = admin.get(f'/types/{types[0]["id"]}').json['volume_type']
    assert shown['qos_specs_id'] == specs_id
    listed = {t['id']: t for t in admin.get('/types').json['volume_types']}
    assert listed[types[1]['id']]['qos_specs_id'] == specs_id
    # a type has one QoS spec: another one cannot take it
    other = _create(admin)['id']
    taken = admin.get(f'/qos-specs/{other}/associate?vol_type_id={types[0]["id"]}')
    assert taken.status_int == 400
    assert admin.get(f'/qos-specs/{specs_id}/disassociate?vol_type_id='
                     f'{types[0]["id"]}').status_int == 202
    linked = admin.get(f'/qos-specs/{specs_id}/associations').json['qos_associations']
    assert types[0]['id'] not in [a['id'] for a in linked]
    assert admin.get(f'/types/{types[0]["id"]}').json['volume_type']['qos_specs_id'] is None
    assert admin.get(f'/qos-specs/{specs_id}/disassociate_all').status_int == 202
    assert admin.get(f'/qos-specs/{specs_id}/associations').json['qos_associations'] == []


def test_associate_needs_existing_spec_and_type(admin: Client) -> None:
    specs_id = _create(admin)['id']
    type_id = _create_type(admin)['id']
    assert admin.get(f'/qos-specs/{specs_id}/associate').status_int == 400
    assert admin.get(f'/qos-specs/{specs_id}/associate?vol_type_id={MISSING}'
                     ).status_int == 404
    assert admin.get(f'/qos-specs/{MISSING}/associate?vol_type_id={type_id}'
                     ).status_int == 404
    assert admin.get(f'/qos-specs/{MISSING}/associations').status_int == 404
    assert admin.get(f'/qos-specs/{MISSING}/disassociate_all').status_int == 404


def test_delete_in_use_needs_force(admin: Client) -> None:
    specs_id = _create(admin)['id']
    type_id = _create_type(admin)['id']
    admin.get(f'/qos-specs/{specs_id}/associate?vol_type_id={type_id}')
    assert admin.delete(f'/qos-specs/{specs_id}').status_int == 400
    assert admin.delete(f'/qos-specs/{specs_id}?force=False').status_int == 400
    assert admin.delete(f'/qos-specs/{specs_id}?force=maybe').status_int == 400
    assert admin.get(f'/qos-specs/{specs_id}').status_int == 200
    assert admin.delete(f'/qos-specs/{specs_id}?force=True').status_int == 202
    assert admin.get(f'/qos-specs/{specs_id}').status_int == 404
    assert admin.get(f'/types/{type_id}').json['volume_type']['qos_specs_id'] is None
    assert admin.delete(f'/qos-specs/{specs_id}').status_int == 404


def test_deleting_a_type_drops_its_association(admin: Client) -> None:
    specs_id = _create(admin)['id']
    type_id = _create_type(admin)['id']
    admin.get(f'/qos-specs/{specs_id}/associate?vol_type_id={type_id}')
    assert admin.delete(f'/types/{type_id}').status_int == 202
    assert admin.get(f'/qos-specs/{specs_id}/associations').json['qos_associations'] == []
    assert admin.delete(f'/qos-specs/{specs_id}').status_int == 202


def test_qos_specs_are_admin_only(admin: Client, app: Any, env: CloudEnv) -> None:
    specs_id = _create(admin)['id']
    type_id = _create_type(admin)['id']
    admin.get(f'/qos-specs/{specs_id}/associate?vol_type_id={type_id}')
    member = make_user(env, app, ['member'])
    assert member.get('/qos-specs').status_int == 403
    assert member.get(f'/qos-specs/{specs_id}').status_int == 403
    assert member.post('/qos-specs', {'qos_specs': {'name': _unique()}}).status_int == 403
    assert member.delete(f'/qos-specs/{specs_id}').status_int == 403
    assert member.get(f'/qos-specs/{specs_id}/associate?vol_type_id={type_id}'
                      ).status_int == 403
    # and only admins see which QoS spec a type has
    assert 'qos_specs_id' not in member.get(f'/types/{type_id}').json['volume_type']
