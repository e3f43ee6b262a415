"""Cinder's volume-level attach actions through the REST API (os-reserve ... os-detach)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user, osc_create_body


def _volume(client: Client) -> dict[str, Any]:
    response = client.post('/volumes', osc_create_body(name=f'att-{uuid.uuid4().hex[:8]}'))
    assert response.status_int == 202, response.text
    return response.json['volume']


def _act(client: Client, volume_id: str, name: str, args: Any = None) -> Any:
    return client.post(f'/volumes/{volume_id}/action', {name: {} if args is None else args})


def _show(client: Client, volume_id: str) -> dict[str, Any]:
    return client.get(f'/volumes/{volume_id}').json['volume']


def _attach(client: Client, volume_id: str, **extra: Any) -> Any:
    args = {'instance_uuid': str(uuid.uuid4()), 'mountpoint': '/dev/vdb', **extra}
    return _act(client, volume_id, 'os-attach', args)


def test_reserve_unreserve(admin: Client) -> None:
    volume = _volume(admin)
    assert _act(admin, volume['id'], 'os-reserve').status_int == 202
    assert _show(admin, volume['id'])['status'] == 'attaching'
    again = _act(admin, volume['id'], 'os-reserve')
    assert again.status_int == 400
    assert 'attaching' in again.json['badRequest']['message']
    assert _act(admin, volume['id'], 'os-unreserve').status_int == 202
    assert _show(admin, volume['id'])['status'] == 'available'
    # Nothing reserved: a quiet no-op, as cinder.
    assert _act(admin, volume['id'], 'os-unreserve').status_int == 202
    assert _show(admin, volume['id'])['status'] == 'available'


def test_unknown_volume_is_404(admin: Client) -> None:
    missing = str(uuid.uuid4())
    for name in ('os-reserve', 'os-unreserve', 'os-detach', 'os-begin_detaching'):
        assert _act(admin, missing, name).status_int == 404, name
    assert _attach(admin, missing).status_int == 404


def test_attach_show_and_detach(admin: Client, env: CloudEnv) -> None:
    volume = _volume(admin)
    server = str(uuid.uuid4())
    assert _act(admin, volume['id'], 'os-reserve').status_int == 202
    assert _attach(admin, volume['id'], instance_uuid=server).status_int == 202
    shown = _show(admin, volume['id'])
    assert shown['status'] == 'in-use'
    [attachment] = shown['attachments']
    assert attachment['server_id'] == server and attachment['device'] == '/dev/vdb'
    assert attachment['id'] == volume['id'] and attachment['volume_id'] == volume['id']
    assert shown['metadata'] == {'attached_mode': 'rw'}
    # The user metadata stays the user's.
    assert admin.get(f'/volumes/{volume["id"]}/metadata').json == {'metadata': {}}
    # The same instance again changes nothing; another one is refused.
    assert _attach(admin, volume['id'], instance_uuid=server).status_int == 202
    assert _attach(admin, volume['id']).status_int == 400
    listed = env.cloud.volumes.list_attachments(env.ctx, volume_id=volume['id'])
    assert [a['attach_status'] for a in listed] == ['attached']
    assert _act(admin, volume['id'], 'os-detach').status_int == 202
    shown = _show(admin, volume['id'])
    assert shown['status'] == 'available' and shown['attachments'] == []
    assert shown['metadata'] == {}


def test_attach_to_a_host_and_bad_bodies(admin: Client) -> None:
    volume = _volume(admin)
    path = f'/volumes/{volume["id"]}/action'
    for bad, field in (({'mountpoint': '/dev/vdb'}, 'os-attach'),
                       ({'instance_uuid': 'nope', 'mountpoint': '/dev/vdb'}, 'instance_uuid'),
                       ({'host_name': 'h', 'mountpoint': '/dev/vdb', 'mode': 'rx'}, 'mode'),
                       ({'host_name': 'h'}, 'os-attach')):
        response = admin.post(path, {'os-attach': bad})
        assert response.status_int == 400, bad
        assert field in response.json['badRequest']['message']
    assert _act(admin, volume['id'], 'os-attach',
                {'host_name': 'node-1', 'mountpoint': '/mnt/v'}).status_int == 202
    [attachment] = _show(admin, volume['id'])['attachments']
    assert attachment['host_name'] == 'node-1' and attachment['server_id'] is None
    assert _act(admin, volume['id'], 'os-detach').status_int == 202
    assert _show(admin, volume['id'])['status'] == 'available'


def test_begin_and_roll_detaching(admin: Client) -> None:
    volume = _volume(admin)
    assert _act(admin, volume['id'], 'os-begin_detaching').status_int == 400
    assert _attach(admin, volume['id']).status_int == 202
    assert _act(admin, volume['id'], 'os-begin_detaching').status_int == 202
    assert _show(admin, volume['id'])['status'] == 'detaching'
    assert _act(admin, volume['id'], 'os-roll_detaching').status_int == 202
    assert _show(admin, volume['id'])['status'] == 'in-use'
    assert _act(admin, volume['id'], 'os-begin_detaching').status_int == 202
    assert _act(admin, volume['id'], 'os-detach').status_int == 202
    assert _show(admin, volume['id'])['status'] == 'available'


def test_detach_names_the_attachment(admin: Client) -> None:
    volume = _volume(admin)
    assert _attach(admin, volume['id']).status_int == 202
    [attachment] = _show(admin, volume['id'])['attachments']
    wrong = _act(admin, volume['id'], 'os-detach', {'attachment_id': str(uuid.uuid4())})
    assert wrong.status_int == 400
    assert _show(admin, volume['id'])['status'] == 'in-use'
    assert _act(admin, volume['id'], 'os-detach',
                {'attachment_id': attachment['attachment_id']}).status_int == 202
    assert _show(admin, volume['id'])['attachments'] == []


def test_readonly_flag_and_attach_mode(admin: Client) -> None:
    volume = _volume(admin)
    flag = 'os-update_readonly_flag'
    assert _act(admin, volume['id'], flag, {'readonly': True}).status_int == 202
    assert _show(admin, volume['id'])['metadata'] == {'readonly': 'True'}
    refused = _attach(admin, volume['id'])
    assert refused.status_int == 400 and 'rw' in refused.json['badRequest']['message']
    assert _show(admin, volume['id'])['status'] == 'available'
    assert _attach(admin, volume['id'], mode='ro').status_int == 202
    assert _show(admin, volume['id'])['metadata'] == {'readonly': 'True', 'attached_mode': 'ro'}
    # In use: the flag may not change.
    assert _act(admin, volume['id'], flag, {'readonly': False}).status_int == 400
    assert _act(admin, volume['id'], 'os-detach').status_int == 202
    assert _act(admin, volume['id'], flag, {'readonly': 'false'}).status_int == 202
    assert _show(admin, volume['id'])['metadata'] == {'readonly': 'False'}
    assert _act(admin, volume['id'], flag, {'readonly': 'maybe'}).status_int == 400
    assert _act(admin, volume['id'], flag, {}).status_int == 400


def test_connections_for_the_file_backend(admin: Client) -> None:
    volume = _volume(admin)
    connector = {'host': 'node-1', 'initiator': 'iqn.x'}
    response = _act(admin, volume['id'], 'os-initialize_connection', {'connector': connector})
    assert response.status_int == 200, response.text
    info = response.json['connection_info']
    assert info['driver_volume_type'] == 'file'
    assert info['data']['volume_id'] == volume['id']
    assert _act(admin, volume['id'], 'os-terminate_connection',
                {'connector': connector}).status_int == 202
    assert _act(admin, volume['id'], 'os-initialize_connection', {}).status_int == 400


def test_force_detach_is_an_admins_and_frees_an_errored_volume(app: Any, admin: Client,
                                                               env: CloudEnv) -> None:
    member = make_user(env, app, ['member'])
    volume = _volume(member)
    assert _attach(member, volume['id']).status_int == 202
    [attachment] = _show(member, volume['id'])['attachments']
    args = {'attachment_id': attachment['attachment_id'], 'connector': None}
    assert _act(member, volume['id'], 'os-force_detach', args).status_int == 403
    env.cloud.volumes._set_status(volume['id'], 'error')
    response = admin.post(f'/volumes/{volume["id"]}/action', {'os-force_detach': args},
                          project_id=member.project_id)
    assert response.status_int == 202, response.text
    shown = _show(member, volume['id'])
    assert shown['status'] == 'available' and shown['attachments'] == []


def test_reader_may_not_attach(app: Any, admin: Client, env: CloudEnv) -> None:
    volume = _volume(admin)
    reader = make_user(env, app, ['reader'], project_id=admin.project_id)
    for name in ('os-reserve', 'os-unreserve', 'os-detach', 'os-begin_detaching'):
        assert _act(reader, volume['id'], name).status_int == 403, name
    assert _attach(reader, volume['id']).status_int == 403
    assert _show(admin, volume['id'])['status'] == 'available'
