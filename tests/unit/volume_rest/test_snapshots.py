"""``/v3/{project_id}/snapshots``, volumes from snapshots and clones, os-extend, and
which fields each caller sees (cinder's shapes, as Tempest's schemas check them)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user, osc_create_body

PLAIN_SNAPSHOT = {'id', 'volume_id', 'name', 'description', 'status', 'size', 'metadata',
                  'created_at', 'updated_at'}
EXTENDED = {'os-extended-snapshot-attributes:project_id',
            'os-extended-snapshot-attributes:progress'}
ADMIN_VOLUME_FIELDS = {'os-vol-host-attr:host', 'os-vol-mig-status-attr:migstat',
                       'os-vol-mig-status-attr:name_id', 'migration_status'}


@pytest.fixture(scope='module')
def member(app: Any, env: CloudEnv) -> Client:
    return make_user(env, app, ['member', 'reader'])


@pytest.fixture(scope='module')
def reader(app: Any, env: CloudEnv, member: Client) -> Client:
    return make_user(env, app, ['reader'], project_id=member.project_id)


def _volume(client: Client, **extra: Any) -> dict[str, Any]:
    body = osc_create_body(name=f'v-{uuid.uuid4().hex[:6]}', **extra)
    response = client.post('/volumes', body)
    assert response.status_int == 202, response.text
    return response.json['volume']


def _snapshot(client: Client, volume_id: str, **extra: Any) -> dict[str, Any]:
    response = client.post('/snapshots', {'snapshot': {'volume_id': volume_id, **extra}})
    assert response.status_int == 202, response.text
    return response.json['snapshot']


def test_member_sees_no_admin_volume_fields(member: Client, reader: Client,
                                            admin: Client) -> None:
    volume = _volume(member)
    assert not {key for key in volume if key.startswith('os-vol-')}
    for client in (member, reader):
        shown = client.get(f'/volumes/{volume["id"]}').json['volume']
        assert not ADMIN_VOLUME_FIELDS & set(shown)
        assert shown['os-vol-tenant-attr:tenant_id'] == member.project_id  # the owner's
        (listed,) = [v for v in client.get('/volumes/detail').json['volumes']
                     if v['id'] == volume['id']]
        assert not ADMIN_VOLUME_FIELDS & set(listed)
    as_admin = admin.get(f'/volumes/{volume["id"]}', project_id=member.project_id)
    assert ADMIN_VOLUME_FIELDS <= set(as_admin.json['volume'])
    updated = member.put(f'/volumes/{volume["id"]}', {'volume': {'name': 'renamed'}})
    assert updated.status_int == 200
    assert not {key for key in updated.json['volume'] if key.startswith('os-vol-')}
    assert member.delete(f'/volumes/{volume["id"]}').status_int == 202


def test_snapshot_lifecycle_and_shapes(member: Client, reader: Client) -> None:
    volume = _volume(member)
    snap = _snapshot(member, volume['id'], name='s', description='d', metadata={'a': 'b'})
    assert set(snap) == PLAIN_SNAPSHOT
    assert (snap['status'], snap['size'], snap['metadata']) == ('available', 1, {'a': 'b'})
    shown = reader.get(f'/snapshots/{snap["id"]}').json['snapshot']
    assert set(shown) == PLAIN_SNAPSHOT | EXTENDED
    assert shown['os-extended-snapshot-attributes:project_id'] == member.project_id
    brief = reader.get('/snapshots').json['snapshots']
    assert [s['id'] for s in brief] == [snap['id']] and set(brief[0]) == PLAIN_SNAPSHOT
    detail = reader.get(f'/snapshots/detail?volume_id={volume["id"]}').json['snapshots']
    assert set(detail[0]) == PLAIN_SNAPSHOT | EXTENDED
    updated = member.put(f'/snapshots/{snap["id"]}', {'snapshot': {
        'display_name': 'new', 'description': 'nd'}})
    assert updated.status_int == 200
    assert (updated.json['snapshot']['name'], updated.json['snapshot']['description']) == (
        'new', 'nd')
    assert reader.put(f'/snapshots/{snap["id"]}', {'snapshot': {'name': 'x'}}).status_int \
        == 403
    assert reader.delete(f'/snapshots/{snap["id"]}').status_int == 403
    assert member.delete(f'/volumes/{volume["id"]}').status_int == 400  # has a snapshot
    assert member.delete(f'/snapshots/{snap["id"]}').status_int == 202
    assert member.get(f'/snapshots/{snap["id"]}').status_int == 404
    assert member.delete(f'/volumes/{volume["id"]}').status_int == 202


def test_snapshot_metadata_routes(member: Client) -> None:
    volume = _volume(member)
    snap = _snapshot(member, volume['id'], metadata={'a': '1'})
    path = f'/snapshots/{snap["id"]}/metadata'
    assert member.post(path, {'metadata': {'b': '2'}}).json == {'metadata': {'a': '1',
                                                                             'b': '2'}}
    assert member.get(path).json == {'metadata': {'a': '1', 'b': '2'}}
    assert member.put(f'{path}/b', {'meta': {'b': '3'}}).json == {'meta': {'b': '3'}}
    assert member.put(f'{path}/b', {'meta': {'c': '3'}}).status_int == 400
    assert member.get(f'{path}/b').json == {'meta': {'b': '3'}}
    assert member.put(path, {'metadata': {'z': '9'}}).json == {'metadata': {'z': '9'}}
    assert member.delete(f'{path}/z').status_int == 200
    assert member.get(f'{path}/z').status_int == 404
    assert member.delete(f'{path}/z').status_int == 404
    member.delete(f'/snapshots/{snap["id"]}')
    member.delete(f'/volumes/{volume["id"]}')


@pytest.mark.parametrize('body,status,field', [
    ({'snapshot': {'volume_id': None}}, 404, 'Volume'),
    ({'snapshot': {'volume_id': str(uuid.uuid4())}}, 404, 'Volume'),
    ({'snapshot': {}}, 400, 'volume_id'),
    ({'snapshot': {'volume_id': 'x', 'bogus': 1}}, 400, 'bogus'),
    ({'snapshot': {'volume_id': 'x', 'force': 'perhaps'}}, 400, 'force'),
    ({'snapshot': {'volume_id': 'x', 'name': 'n' * 256}}, 400, 'name'),
    ({}, 400, 'snapshot'),
])
def test_bad_snapshot_creates(member: Client, body: dict[str, Any], status: int,
                              field: str) -> None:
    response = member.post('/snapshots', body)
    assert response.status_int == status, response.text
    (fault,) = response.json.values()
    assert field in fault['message']


def test_in_use_needs_force_and_bad_force_is_400(member: Client, env: CloudEnv) -> None:
    volume = _volume(member)
    ctx = env.ctx
    attachment = env.cloud.volumes.reserve_volume(ctx, volume['id'], str(uuid.uuid4()))
    env.cloud.volumes.attach_volume(ctx, attachment['id'], 'host1', '/dev/vdb')
    refused = member.post('/snapshots', {'snapshot': {'volume_id': volume['id']}})
    assert refused.status_int == 400 and 'in-use' in refused.json['badRequest']['message']
    bad = member.post('/snapshots', {'snapshot': {'volume_id': volume['id'],
                                                  'force': 'perhaps'}})
    assert bad.status_int == 400 and 'force' in bad.json['badRequest']['message']
    snap = _snapshot(member, volume['id'], force=True)
    assert snap['status'] == 'available'
    member.delete(f'/snapshots/{snap["id"]}')
    env.cloud.volumes.detach_volume(ctx, attachment['id'])
    member.delete(f'/volumes/{volume["id"]}')


def test_snapshot_list_sorting_paging_and_marker(member: Client) -> None:
    volume = _volume(member)
    made = [_snapshot(member, volume['id'], name=name)['id'] for name in ('b', 'a', 'c')]
    by_name = member.get('/snapshots?sort_key=display_name&sort_dir=asc').json['snapshots']
    assert [s['name'] for s in by_name] == ['a', 'b', 'c']
    assert [s['id'] for s in member.get('/snapshots').json['snapshots']] == made[::-1]
    first = member.get('/snapshots?limit=3&sort=name:desc').json
    assert [s['name'] for s in first['snapshots']] == ['c', 'b', 'a']
    assert first['snapshots_links'][0]['rel'] == 'next'  # a full page names the next one
    last = member.get(f'/snapshots?limit=3&sort=name:desc&marker={made[1]}').json
    assert last == {'snapshots': [], 'snapshots_links': []}
    assert member.get(f'/snapshots?marker={uuid.uuid4()}').status_int == 404
    assert member.get('/snapshots?sort_key=bogus').status_int == 400
    assert member.get('/snapshots?status=sleeping').status_int == 400
    member.delete(f'/volumes/{volume["id"]}?cascade=true')
    assert member.get('/snapshots').json['snapshots'] == []


def test_volume_from_snapshot_clone_and_extend(member: Client) -> None:
    volume = _volume(member)
    snap = _snapshot(member, volume['id'])
    body = osc_create_body(size=None, name='from-snap', snapshot_id=snap['id'])
    from_snap = member.post('/volumes', body)
    assert from_snap.status_int == 202, from_snap.text
    made = from_snap.json['volume']
    assert (made['snapshot_id'], made['size'], made['status']) == (snap['id'], 1, 'available')
    clone = member.post('/volumes', osc_create_body(size=2, source_volid=volume['id']))
    assert clone.status_int == 202 and clone.json['volume']['source_volid'] == volume['id']
    small = member.post('/volumes', osc_create_body(size=1, source_volid=clone.json[
        'volume']['id']))
    assert small.status_int == 400 and 'size' in small.json['badRequest']['message']
    assert member.post('/volumes', osc_create_body(size=None)).status_int == 400
    action = f'/volumes/{volume["id"]}/action'
    assert member.post(action, {'os-extend': {'new_size': 3}}).status_int == 202
    assert member.get(f'/volumes/{volume["id"]}').json['volume']['size'] == 3
    for bad in (None, 'abc', 2, 3):
        response = member.post(action, {'os-extend': {'new_size': bad}})
        assert response.status_int == 400, (bad, response.text)
    assert member.post(action, {'os-extend': {'new_size': '4'}}).status_int == 202
    assert member.post(action, {'os-retype': {}}).status_int == 400
    assert member.post(f'/volumes/{uuid.uuid4()}/action', {'os-reserve': {}}).status_int \
        == 404
    assert member.delete(f'/volumes/{volume["id"]}?cascade=bogus').status_int == 400
    for volume_id in (made['id'], clone.json['volume']['id']):
        assert member.delete(f'/volumes/{volume_id}').status_int == 202
    assert member.delete(f'/volumes/{volume["id"]}?cascade=True').status_int == 202
    assert member.get(f'/snapshots/{snap["id"]}').status_int == 404


def test_empty_volume_ids_are_404(member: Client) -> None:
    for method in ('get', 'put', 'delete'):
        response = getattr(member, method)('/volumes/')
        assert response.status_int == 404, (method, response.text)


def test_snapshot_actions(member: Client, admin: Client) -> None:
    volume = _volume(member)
    snap = _snapshot(member, volume['id'])
    action = f'/snapshots/{snap["id"]}/action'

    def shown() -> dict[str, Any]:
        return admin.get(f'/snapshots/{snap["id"]}',
                         project_id=member.project_id).json['snapshot']

    assert member.post(action, {'os-reset_status': {'status': 'creating'}}).status_int == 403
    assert admin.post(action, {'os-reset_status': {'status': 'sleeping'}},
                      project_id=member.project_id).status_int == 400
    assert admin.post(action, {'os-reset_status': {'status': 'creating'}},
                      project_id=member.project_id).status_int == 202
    assert shown()['status'] == 'creating'
    assert member.delete(f'/snapshots/{snap["id"]}').status_int == 400  # busy
    update = {'os-update_snapshot_status': {'status': 'error', 'progress': '80%'}}
    assert member.post(action, update).status_int == 202
    assert (shown()['status'], shown()['os-extended-snapshot-attributes:progress']) == (
        'error', '80%')
    assert member.post(action, update).status_int == 400  # error -> error is no move
    assert member.post(action, {'os-bogus': {}}).status_int == 400
    assert member.post(action, {'os-force_delete': {}}).status_int == 403
    admin.post(action, {'os-reset_status': {'status': 'deleting'}},
               project_id=member.project_id)
    assert admin.post(action, {'os-force_delete': {}},
                      project_id=member.project_id).status_int == 202
    assert member.get(f'/snapshots/{snap["id"]}').status_int == 404
    assert member.delete(f'/volumes/{volume["id"]}').status_int == 202
