"""Volume type encryption through the REST API: CRUD, one field, in-use types, policy."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from nova_lite.db.models import volume_qos as models
from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user, osc_create_body

LUKS = {'provider': 'luks', 'cipher': 'aes-xts-plain64', 'key_size': 256,
        'control_location': 'front-end'}


def _type(admin: Client) -> str:
    name = f'type-{uuid.uuid4().hex[:8]}'
    response = admin.post('/types', {'volume_type': {'name': name}})
    assert response.status_int == 200, response.text
    return str(response.json['volume_type']['id'])


def _encrypt(admin: Client, type_id: str, **fields: Any) -> dict[str, Any]:
    response = admin.post(f'/types/{type_id}/encryption', {'encryption': {**LUKS, **fields}})
    assert response.status_int == 200, response.text
    return response.json['encryption']


def test_create_show_update_delete(admin: Client) -> None:
    type_id = _type(admin)
    base = f'/types/{type_id}/encryption'
    assert admin.get(base).json == {}
    created = _encrypt(admin, type_id)
    assert created == {**LUKS, 'volume_type_id': type_id,
                       'encryption_id': created['encryption_id']}
    shown = admin.get(base).json
    assert {key: shown[key] for key in LUKS} == LUKS
    assert shown['encryption_id'] == created['encryption_id']
    assert shown['deleted'] is False and shown['deleted_at'] is None
    assert shown['created_at']
    assert admin.get(f'{base}/cipher').json == {'cipher': 'aes-xts-plain64'}
    assert admin.get(f'{base}/nope').status_int == 404
    change = {'provider': 'SomeProvider', 'key_size': 128, 'control_location': 'back-end'}
    updated = admin.put(f'{base}/{created["encryption_id"]}', {'encryption': change})
    assert updated.status_int == 200, updated.text
    assert updated.json == {'encryption': change}
    shown = admin.get(base).json
    assert {key: shown[key] for key in change} == change
    assert shown['cipher'] == 'aes-xts-plain64'
    assert shown['updated_at'] is not None
    assert admin.delete(f'{base}/{created["encryption_id"]}').status_int == 202
    assert admin.get(base).json == {}
    assert admin.delete(f'{base}/{created["encryption_id"]}').status_int == 404
    assert admin.put(f'{base}/x', {'encryption': change}).status_int == 404


def test_bad_input(admin: Client) -> None:
    type_id = _type(admin)
    base = f'/types/{type_id}/encryption'
    assert admin.post(base, {'encryption': {'provider': 'luks'}}).status_int == 400
    bad_location = admin.post(base, {'encryption': {**LUKS, 'control_location': 'middle'}})
    assert bad_location.status_int == 400 and 'control_location' in bad_location.text
    assert admin.post(base, {'encryption': {**LUKS, 'key_size': -1}}).status_int == 400
    assert admin.post(base, {'encryption': {**LUKS, 'key_size': 'big'}}).status_int == 400
    assert admin.post(base, {'encryption': {**LUKS, 'colour': 'red'}}).status_int == 400
    assert admin.post(base, None).status_int == 400
    assert _encrypt(admin, type_id, key_size='512')['key_size'] == 512
    assert admin.post(base, {'encryption': LUKS}).status_int == 400  # already encrypted
    assert admin.put(f'{base}/x', {'encryption': {}}).status_int == 400


def test_unknown_and_default_types(admin: Client) -> None:
    missing = '/types/00000000-dead-beef-0000-000000000000/encryption'
    assert admin.get(missing).status_int == 404
    assert admin.post(missing, {'encryption': LUKS}).status_int == 404
    assert admin.get('/types/__DEFAULT__/encryption').json == {}
    assert admin.post('/types/__DEFAULT__/encryption',
                      {'encryption': LUKS}).status_int == 400


def test_a_type_in_use_keeps_its_encryption(admin: Client) -> None:
    type_id = _type(admin)
    encryption_id = _encrypt(admin, type_id)['encryption_id']
    made = admin.post('/volumes', osc_create_body(name='enc', volume_type=type_id))
    assert made.status_int == 202, made.text
    base = f'/types/{type_id}/encryption'
    assert admin.put(f'{base}/{encryption_id}',
                     {'encryption': {'key_size': 128}}).status_int == 400
    assert admin.delete(f'{base}/{encryption_id}').status_int == 400
    assert admin.delete(f'/volumes/{made.json["volume"]["id"]}').status_int == 202


def test_deleting_a_type_drops_its_encryption(admin: Client, env: CloudEnv) -> None:
    type_id = _type(admin)
    _encrypt(admin, type_id)
    assert admin.delete(f'/types/{type_id}').status_int == 202
    assert admin.get(f'/types/{type_id}/encryption').status_int == 404
    with env.cloud.volumes.db.reader() as session:
        left = session.scalars(sa.select(models.VolumeTypeEncryption).where(
            models.VolumeTypeEncryption.volume_type_id == type_id)).all()
    assert left == []


def test_encryption_is_admin_only(admin: Client, app: Any, env: CloudEnv) -> None:
    type_id = _type(admin)
    member = make_user(env, app, ['member'])
    base = f'/types/{type_id}/encryption'
    assert member.get(base).status_int == 403
    assert member.post(base, {'encryption': LUKS}).status_int == 403
    assert member.delete(f'{base}/x').status_int == 403
