"""Volume actions through the REST API: the admin's, the image ones, and PUT of one
metadata key."""

from __future__ import annotations

import uuid
from typing import Any

from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user, osc_create_body


def _create(client: Client) -> dict[str, Any]:
    response = client.post('/volumes', osc_create_body(name=f'va-{uuid.uuid4().hex[:8]}'))
    assert response.status_int == 202, response.text
    return response.json['volume']


def _action(client: Client, volume_id: str, body: Any) -> Any:
    return client.post(f'/volumes/{volume_id}/action', body)


def test_reset_status_sets_validated_statuses(admin: Client, env: CloudEnv) -> None:
    volume = _create(admin)
    for status in ('error', 'available', 'maintenance'):
        response = _action(admin, volume['id'], {'os-reset_status': {'status': status}})
        assert response.status_int == 202, response.text
        assert admin.get(f'/volumes/{volume["id"]}').json['volume']['status'] == status
    response = _action(admin, volume['id'],
                       {'os-reset_status': {'migration_status': 'error'}})
    assert response.status_int == 202
    shown = admin.get(f'/volumes/{volume["id"]}').json['volume']
    assert shown['migration_status'] == shown['os-vol-mig-status-attr:migstat'] == 'error'
    for bad, field in (({'status': 'nope'}, 'status'),
                       ({'attach_status': 'nope'}, 'attach_status'),
                       ({'other': 'x'}, 'other'), ({}, 'os-reset_status')):
        response = _action(admin, volume['id'], {'os-reset_status': bad})
        assert response.status_int == 400
        assert field in response.json['badRequest']['message']
    assert _action(admin, str(uuid.uuid4()),
                   {'os-reset_status': {'status': 'error'}}).status_int == 404


def test_admin_actions_are_the_admins(app: Any, admin: Client, env: CloudEnv) -> None:
    member = make_user(env, app, ['member'], project_id=admin.project_id)
    volume = _create(admin)
    assert _action(member, volume['id'],
                   {'os-reset_status': {'status': 'error'}}).status_int == 403
    assert _action(member, volume['id'], {'os-force_delete': {}}).status_int == 403
    shown = member.get(f'/volumes/{volume["id"]}').json['volume']
    assert shown['status'] == 'available' and 'migration_status' not in shown


def test_force_delete_in_any_status(admin: Client, env: CloudEnv) -> None:
    for status in ('creating', 'attaching', 'error', 'maintenance'):
        volume = _create(admin)
        assert _action(admin, volume['id'],
                       {'os-reset_status': {'status': status}}).status_int == 202
        if status != 'error':  # a plain delete refuses these
            assert admin.delete(f'/volumes/{volume["id"]}').status_int == 400
        response = _action(admin, volume['id'], {'os-force_delete': {}})
        assert response.status_int == 202, response.text
        assert admin.get(f'/volumes/{volume["id"]}').status_int == 404


def test_image_metadata_actions(app: Any, admin: Client, env: CloudEnv) -> None:
    volume = _create(admin)
    assert 'volume_image_metadata' not in admin.get(
        f'/volumes/{volume["id"]}').json['volume']
    response = _action(admin, volume['id'],
                       {'os-set_image_metadata': {'metadata': {'image_name': 'i',
                                                               'ramdisk_id': 'r'}}})
    assert response.status_int == 200
    assert response.json == {'metadata': {'image_name': 'i', 'ramdisk_id': 'r'}}
    shown = admin.get(f'/volumes/{volume["id"]}').json['volume']
    assert shown['volume_image_metadata'] == {'image_name': 'i', 'ramdisk_id': 'r'}
    renamed = admin.put(f'/volumes/{volume["id"]}', {'volume': {'name': 'renamed'}})
    assert 'volume_image_metadata' not in renamed.json['volume']  # as cinder's update
    listed = {v['id']: v for v in admin.get('/volumes/detail').json['volumes']}
    assert listed[volume['id']]['volume_image_metadata']['image_name'] == 'i'
    assert _action(admin, volume['id'],
                   {'os-unset_image_metadata': {'key': 'ramdisk_id'}}).status_int == 200
    assert _action(admin, volume['id'],
                   {'os-unset_image_metadata': {'key': 'ramdisk_id'}}).status_int == 404
    shown_meta = _action(admin, volume['id'], {'os-show_image_metadata': {}})
    assert shown_meta.status_int == 200 and shown_meta.json == {'metadata': {'image_name': 'i'}}
    bad = _action(admin, volume['id'], {'os-set_image_metadata': {'metadata': {'k': 1}}})
    assert bad.status_int == 400 and 'metadata' in bad.json['badRequest']['message']
    reader = make_user(env, app, ['reader'], project_id=admin.project_id)
    assert _action(reader, volume['id'], {'os-show_image_metadata': {}}).status_int == 200
    assert _action(reader, volume['id'], {'os-set_image_metadata': {
        'metadata': {'a': 'b'}}}).status_int == 403


def test_upload_to_image(admin: Client, env: CloudEnv) -> None:
    volume = _create(admin)
    response = _action(admin, volume['id'], {'os-volume_upload_image': {
        'image_name': 'from-volume', 'disk_format': 'qcow2', 'force': False}})
    assert response.status_int == 202, response.text
    body = response.json['os-volume_upload_image']
    assert {'id', 'updated_at', 'status', 'display_description', 'size', 'volume_type',
            'image_id', 'image_name', 'disk_format', 'container_format'} <= set(body)
    assert (body['id'], body['status'], body['image_name'], body['disk_format'],
            body['container_format']) == (volume['id'], 'uploading', 'from-volume',
                                          'qcow2', 'bare')
    assert body['volume_type']['name'] == '__DEFAULT__'
    image = env.cloud.services.images.get_image(env.ctx, body['image_id'])
    assert (image['status'], image['name'], image['disk_format']) == (
        'active', 'from-volume', 'qcow2')
    assert admin.get(f'/volumes/{volume["id"]}').json['volume']['status'] == 'available'
    for bad, field in (({'disk_format': 'qcow2'}, 'image_name'),
                       ({'image_name': 'x', 'disk_format': 'exe'}, 'disk_format'),
                       ({'image_name': 'x', 'visibility': 'all'}, 'visibility')):
        response = _action(admin, volume['id'], {'os-volume_upload_image': bad})
        assert response.status_int == 400
        assert field in response.json['badRequest']['message']


def test_put_one_metadata_key(admin: Client) -> None:
    volume = _create(admin)
    path = f'/volumes/{volume["id"]}/metadata'
    assert admin.post(path, {'metadata': {'a': '1', 'b': '2'}}).status_int == 200
    response = admin.put(f'{path}/a', {'meta': {'a': 'x'}})
    assert response.status_int == 200 and response.json == {'meta': {'a': 'x'}}
    assert admin.get(path).json == {'metadata': {'a': 'x', 'b': '2'}}
    assert admin.put(f'{path}/a', {'meta': {'b': 'x'}}).status_int == 400
    assert admin.put(f'{path}/a', {'meta': {'a': 'x', 'b': 'y'}}).status_int == 400
    assert admin.put(f'{path}/c', {'meta': {'c': 'new'}}).json == {'meta': {'c': 'new'}}
    assert admin.put(f'/volumes/{uuid.uuid4()}/metadata/a',
                     {'meta': {'a': 'x'}}).status_int == 404


def test_a_public_upload_is_the_admins(app: Any, admin: Client, env: CloudEnv) -> None:
    member = make_user(env, app, ['member'], project_id=admin.project_id)
    volume = _create(member)
    response = _action(member, volume['id'], {'os-volume_upload_image': {
        'image_name': 'public-copy', 'visibility': 'public'}})
    assert response.status_int == 403
    assert member.get(f'/volumes/{volume["id"]}').json['volume']['status'] == 'available'
    names = [image['name'] for image in env.cloud.services.images.list_images(env.ctx)]
    assert 'public-copy' not in names
