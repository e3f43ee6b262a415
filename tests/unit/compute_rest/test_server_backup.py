"""createBackup through POST /servers/{id}/action on the embedded cloud (fake driver):
the backup image, its rotation, the answers by microversion, bad bodies and policy."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.unit.compute_rest.conftest import ComputeEnv
from tests.unit.compute_rest.test_boot_from_volume import _post
from tests.unit.compute_rest.test_server_snapshot import V245, _wait_image


def _backups(compute: ComputeEnv, server_id: str, backup_type: str) -> list[str]:
    images = compute.cloud.services.images.list_images(
        compute.env.ctx, properties={'image_type': 'backup', 'backup_type': backup_type,
                                     'instance_uuid': server_id})
    return [image['name'] for image in images]


def _backup(compute: ComputeEnv, server_id: str, name: str, rotation: Any,
            headers: dict[str, str] | None = None) -> Any:
    return compute.admin.request('POST', f'/servers/{server_id}/action', {'createBackup': {
        'name': name, 'backup_type': 'daily', 'rotation': rotation}}, headers=headers)


def _settled(compute: ComputeEnv, server_id: str, timeout: float = 30.0) -> None:
    """Wait until the backup's flow (rotation included) has finished."""
    deadline = time.monotonic() + timeout
    while compute.cloud.instances.get(server_id)['task_state'] is not None:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_backups_rotate_keeping_the_newest(compute: ComputeEnv) -> None:
    server_id = compute.boot('backup-me', with_volume=False)['id']
    for name in ('b1', 'b2', 'b3'):
        response = _backup(compute, server_id, name, 2, headers=V245)
        assert response.status_int == 202, response.text
        image = _wait_image(compute, response.json['image_id'])
        _settled(compute, server_id)
    assert image['name'] == 'b3'
    properties = {**image.get('properties', {}), **image}
    assert (properties['image_type'], properties['backup_type'],
            properties['instance_uuid']) == ('backup', 'daily', server_id)
    assert _backups(compute, server_id, 'daily') == ['b3', 'b2']
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    assert [a['action'] for a in actions['instanceActions']][:3] == ['createBackup'] * 3


def test_below_2_45_the_image_is_in_the_location_header(compute: ComputeEnv) -> None:
    server_id = compute.boot('backup-old', with_volume=False)['id']
    response = _backup(compute, server_id, 'loc', '1')  # a string of digits is fine
    assert response.status_int == 202, response.text
    assert response.body == b''
    image_id = response.headers['Location'].rsplit('/', 1)[1]
    _wait_image(compute, image_id)
    _settled(compute, server_id)


def test_rotation_zero_keeps_no_backup_and_answers_no_location(compute: ComputeEnv) -> None:
    server_id = compute.boot('backup-zero', with_volume=False)['id']
    response = _backup(compute, server_id, 'gone', 0)
    assert response.status_int == 202, response.text
    assert 'Location' not in response.headers
    _settled(compute, server_id)
    assert _backups(compute, server_id, 'daily') == []


@pytest.mark.parametrize('body,field', [
    ({'createBackup': {'backup_type': 'daily', 'rotation': 1}}, 'name'),
    ({'createBackup': {'name': 'x', 'rotation': 1}}, 'backup_type'),
    ({'createBackup': {'name': 'x', 'backup_type': 'daily'}}, 'rotation'),
    ({'createBackup': {'name': 'x', 'backup_type': 'daily', 'rotation': -1}}, 'rotation'),
    ({'createBackup': {'name': 'x', 'backup_type': 'daily', 'rotation': 'two'}}, 'rotation'),
    ({'createBackup': {'name': '', 'backup_type': 'daily', 'rotation': 1}}, 'name'),
    ({'createBackup': {'name': 'x', 'backup_type': 'daily', 'rotation': 1,
                       'metadata': {'k': 1}}}, 'metadata'),
    ({'createBackup': {'name': 'x', 'backup_type': 'daily', 'rotation': 1, 'u': 1}}, 'u'),
])
def test_bad_create_backup_bodies(compute: ComputeEnv, body: dict[str, Any],
                                  field: str) -> None:
    server_id = compute.boot('bad-backup-bodies', with_volume=False)['id']
    response = compute.admin.action(server_id, body)
    assert response.status_int == 400, response.text
    assert field in response.text


def test_another_projects_member_cannot_back_up(compute: ComputeEnv) -> None:
    server_id = compute.boot('not-yours-backup', with_volume=False)['id']
    response = compute.member.action(server_id, {'createBackup': {
        'name': 'mine', 'backup_type': 'daily', 'rotation': 1}})
    assert response.status_int == 404


def test_a_volume_backed_server_cannot_be_backed_up(compute: ComputeEnv) -> None:
    env = compute.env
    server_id = _post(compute, 'backup-volume-backed', [
        {'source_type': 'image', 'uuid': env.image['id'], 'destination_type': 'volume',
         'boot_index': 0, 'volume_size': 1, 'delete_on_termination': True}])
    compute.wait(server_id)
    response = _backup(compute, server_id, 'no', 1)
    assert response.status_int == 400, response.text
    assert 'createBackup' in response.text
    assert compute.cloud.instances.get(server_id)['task_state'] is None
