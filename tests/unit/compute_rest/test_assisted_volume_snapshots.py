"""POST and DELETE /os-assisted-volume-snapshots on the embedded cloud (fake driver):
the answers, the checks of the body and of delete_info, the volume that must be
attached, the instance actions recorded, and the policy."""

from __future__ import annotations

import json
import urllib.parse
import uuid
from typing import Any

import pytest

from tests.unit.compute_rest.conftest import ComputeEnv
from tests.unit.compute_rest.test_volume_attachments import _attach, _volume, _wait_volume

PATH = '/os-assisted-volume-snapshots'


def _create_body(volume_id: str, snapshot_id: str, **info: Any) -> dict[str, Any]:
    return {'snapshot': {'volume_id': volume_id, 'create_info': {
        'snapshot_id': snapshot_id, 'type': 'qcow2', 'new_file': 'new_file', **info}}}


def _delete_path(snapshot_id: str, info: Any) -> str:
    query = urllib.parse.urlencode({'delete_info': json.dumps(info)})
    return f'{PATH}/{snapshot_id}?{query}'


def _actions(compute: ComputeEnv, server_id: str) -> list[str]:
    body = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    return [a['action'] for a in body['instanceActions']]


def test_create_and_delete_for_an_attached_volume(compute: ComputeEnv) -> None:
    server_id = compute.boot('avs', with_volume=False)['id']
    volume_id = _volume(compute)['id']
    assert _attach(compute, server_id, volume_id).status_int == 200
    _wait_volume(compute, volume_id, 'in-use')
    compute.wait(server_id)
    snapshot_id = str(uuid.uuid4())
    created = compute.admin.post(PATH, _create_body(volume_id, snapshot_id))
    assert created.status_int == 200, created.text
    assert created.json == {'snapshot': {'id': snapshot_id, 'volumeId': volume_id}}
    deleted = compute.admin.delete(_delete_path(snapshot_id, {'volume_id': volume_id}))
    assert deleted.status_int == 204, deleted.text
    assert _actions(compute, server_id)[:2] == ['volume_snapshot_delete',
                                                'volume_snapshot_create']


def test_a_volume_on_no_server_is_404(compute: ComputeEnv) -> None:
    volume_id = _volume(compute)['id']
    created = compute.admin.post(PATH, _create_body(volume_id, str(uuid.uuid4())))
    assert created.status_int == 404, created.text
    missing = compute.admin.post(PATH, _create_body(str(uuid.uuid4()), str(uuid.uuid4())))
    assert missing.status_int == 404, missing.text
    gone = compute.admin.delete(_delete_path(str(uuid.uuid4()), {'volume_id': volume_id}))
    assert gone.status_int == 404, gone.text


@pytest.mark.parametrize('body,field', [
    ({}, 'snapshot'),
    ({'snapshot': {'create_info': {'snapshot_id': 's', 'type': 'qcow2',
                                   'new_file': 'f'}}}, 'volume_id'),
    ({'snapshot': {'volume_id': 'v'}}, 'create_info'),
    (_create_body('v', 's', type='raw'), 'type'),
    ({'snapshot': {'volume_id': 'v', 'create_info': {'type': 'qcow2',
                                                     'new_file': 'f'}}}, 'snapshot_id'),
    ({'snapshot': {'volume_id': 'v', 'create_info': {'snapshot_id': 's',
                                                     'type': 'qcow2'}}}, 'new_file'),
    (_create_body('v', 's', extra='x'), 'extra'),
])
def test_bad_create_bodies(compute: ComputeEnv, body: dict[str, Any], field: str) -> None:
    response = compute.admin.post(PATH, body)
    assert response.status_int == 400, response.text
    assert field in response.text


@pytest.mark.parametrize('query', ['', '?delete_info=not-json',
                                   '?delete_info=' + urllib.parse.quote('{"x": 1}')])
def test_bad_delete_info(compute: ComputeEnv, query: str) -> None:
    response = compute.admin.delete(f'{PATH}/{uuid.uuid4()}{query}')
    assert response.status_int == 400, response.text
    assert 'delete_info' in response.text


def test_a_project_member_may_not(compute: ComputeEnv) -> None:
    volume_id = str(uuid.uuid4())
    assert compute.member.post(PATH, _create_body(volume_id, 's')).status_int == 403
    assert compute.member.delete(_delete_path('s', {'volume_id': volume_id})
                                 ).status_int == 403
