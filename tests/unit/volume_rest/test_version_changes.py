"""One test per row of version_changes.TABLE: the shape just below the version and at it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import webob

from nova_lite.volume.rest import version_changes as changes
from nova_lite.volume.rest import versions
from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import (
    UNLIMITED_RESOURCES,
    Client,
    make_user,
    osc_create_body,
)


def _at(version: changes.Version) -> dict[str, str]:
    return {versions.VERSION_HEADER: f'volume {version[0]}.{version[1]}'}


def _below(version: changes.Version) -> dict[str, str]:
    return _at((version[0], version[1] - 1))


def _get(client: Client, path: str, headers: dict[str, str]) -> webob.Response:
    return client.get(path, headers=headers)


def _volume(client: Client, **extra: Any) -> dict[str, Any]:
    response = client.post('/volumes', osc_create_body(name=f'v-{uuid.uuid4().hex[:6]}',
                                                       **extra))
    assert response.status_int == 202, response.text
    volume: dict[str, Any] = response.json['volume']
    return volume


@pytest.fixture(scope='module')
def member(app: Any, env: CloudEnv) -> Client:
    client = make_user(env, app, ['member'])
    env.cloud.volumes.quotas.update(client.project_id, dict.fromkeys(UNLIMITED_RESOURCES, -1))
    return client


def test_every_row_names_its_constant() -> None:
    names = [name for _version, name, _text in changes.TABLE]
    assert len(names) == len(set(names))
    for version, name, text in changes.TABLE:
        assert getattr(changes, name) == version and text
        assert versions.MIN_VERSION < version <= versions.MAX_VERSION
    assert [row[0] for row in changes.TABLE] == sorted(row[0] for row in changes.TABLE)


def test_user_messages(admin: Client, env: CloudEnv) -> None:
    version = changes.USER_MESSAGES
    assert _get(admin, '/messages', _below(version)).status_int == 404
    type_id = env.cloud.volumes.types.create(
        env.ctx, f't-{uuid.uuid4().hex[:6]}', extra_specs={'storage_protocol': 'iSCSI-x',
                                                           'vendor_name': 'nobody'})['id']
    volume = _volume(admin, volume_type=type_id)
    assert admin.get(f'/volumes/{volume["id"]}').json['volume']['status'] == 'error'
    listed = _get(admin, '/messages', _at(version))
    assert listed.status_int == 200
    (message,) = [m for m in listed.json['messages'] if m['resource_uuid'] == volume['id']]
    assert message['event_id'] == 'VOLUME_VOLUME_001_002'
    assert message['message_level'] == 'ERROR' and message['resource_type'] == 'VOLUME'
    assert 'backend' in message['user_message']
    shown = _get(admin, f'/messages/{message["id"]}', _at(version))
    assert shown.status_int == 200 and shown.json['message']['id'] == message['id']
    assert admin.delete(f'/messages/{message["id"]}', headers=_at(version)).status_int == 204
    assert _get(admin, f'/messages/{message["id"]}', _at(version)).status_int == 404
    admin.delete(f'/volumes/{volume["id"]}')


def test_a_type_the_backend_meets_still_works(admin: Client, env: CloudEnv) -> None:
    type_id = env.cloud.volumes.types.create(
        env.ctx, f't-{uuid.uuid4().hex[:6]}', extra_specs={'storage_protocol': 'file',
                                                           'vendor_name': 'Open Source',
                                                           'other': 'ignored'})['id']
    volume = _volume(admin, volume_type=type_id)
    assert admin.get(f'/volumes/{volume["id"]}').json['volume']['status'] == 'available'
    admin.delete(f'/volumes/{volume["id"]}')


def test_volume_summary(app: Any, env: CloudEnv) -> None:
    version = changes.VOLUME_SUMMARY
    member = make_user(env, app, ['member'])
    assert _get(member, '/volumes/summary', _below(version)).status_int == 404
    _volume(member, size=2, metadata={'k': 'a'})
    _volume(member, size=1, metadata={'k': 'b'})
    summary = _get(member, '/volumes/summary', _at(version))
    assert summary.status_int == 200
    assert summary.json['volume-summary'] == {'total_count': 2, 'total_size': 3,
                                              'metadata': {'k': ['a', 'b']}}


@pytest.mark.parametrize('constant,field,admin_only', [
    (changes.VOLUME_GROUP_ID, 'group_id', False),
    (changes.VOLUME_PROVIDER_ID, 'provider_id', True),
    (changes.VOLUME_SHARED_TARGETS, 'shared_targets', False),
    (changes.VOLUME_SHARED_TARGETS, 'service_uuid', False),
    (changes.VOLUME_CLUSTER_NAME, 'cluster_name', True),
    (changes.VOLUME_TYPE_ID, 'volume_type_id', False),
    (changes.VOLUME_ENCRYPTION_KEY_ID, 'encryption_key_id', False),
    (changes.CONSUMES_QUOTA, 'consumes_quota', False),
])
def test_volume_body_fields(admin: Client, member: Client, constant: changes.Version,
                            field: str, admin_only: bool) -> None:
    volume = _volume(member)
    path = f'/volumes/{volume["id"]}'
    for client in (admin, member):
        below = _get(client, path, _below(constant)).json['volume']
        at = _get(client, path, _at(constant)).json['volume']
        assert field not in below
        assert (field in at) == (client is admin or not admin_only)
    detail = _get(member, '/volumes/detail', _at(constant)).json['volumes']
    assert all((field in v) != admin_only for v in detail)


def test_volume_type_id_names_the_type(admin: Client, env: CloudEnv) -> None:
    type_id = env.cloud.volumes.types.create(env.ctx, f't-{uuid.uuid4().hex[:6]}')['id']
    volume = _volume(admin, volume_type=type_id)
    shown = _get(admin, f'/volumes/{volume["id"]}', _at(changes.VOLUME_TYPE_ID))
    assert shown.json['volume']['volume_type_id'] == type_id


def test_attachments_api(admin: Client) -> None:
    version = changes.ATTACHMENTS_API
    assert _get(admin, '/attachments', _below(version)).status_int == 404
    listed = _get(admin, '/attachments', _at(version))
    assert listed.status_int == 200 and 'attachments' in listed.json


@pytest.mark.parametrize('constant,field', [(changes.SNAPSHOT_USER_ID, 'user_id'),
                                            (changes.CONSUMES_QUOTA, 'consumes_quota')])
def test_snapshot_body_fields(member: Client, constant: changes.Version, field: str) -> None:
    volume = _volume(member)
    created = member.post('/snapshots', {'snapshot': {'volume_id': volume['id']}},
                          headers=_at(constant))
    assert created.status_int == 202, created.text
    snap_id = created.json['snapshot']['id']
    assert field in created.json['snapshot']
    assert field not in _get(member, f'/snapshots/{snap_id}', _below(constant)).json['snapshot']
    assert field in _get(member, f'/snapshots/{snap_id}', _at(constant)).json['snapshot']
    member.delete(f'/snapshots/{snap_id}')


def _offer(client: Client, volume_id: str, headers: dict[str, str],
           **extra: Any) -> webob.Response:
    return client.post('/volume-transfers', {'transfer': {'volume_id': volume_id, **extra}},
                       headers=headers)


def test_volume_transfers_api(app: Any, env: CloudEnv, member: Client) -> None:
    version = changes.VOLUME_TRANSFERS_API
    volume = _volume(member)
    snap = member.post('/snapshots', {'snapshot': {'volume_id': volume['id']}}).json
    assert _offer(member, volume['id'], _below(version)).status_int == 404
    created = _offer(member, volume['id'], _at(version), no_snapshots=True)
    assert created.status_int == 202, created.text
    transfer = created.json['transfer']
    assert transfer['no_snapshots'] is True and 'accepted' not in transfer
    shown = _get(member, f'/volume-transfers/{transfer["id"]}', _at(version))
    assert shown.json['transfer']['no_snapshots'] is True
    taker = make_user(env, app, ['member'])
    accepted = taker.post(f'/volume-transfers/{transfer["id"]}/accept',
                          {'accept': {'auth_key': transfer['auth_key']}}, headers=_at(version))
    assert accepted.status_int == 202, accepted.text
    # no_snapshots: the snapshot stayed with the giving project
    snap_id = snap['snapshot']['id']
    assert member.get(f'/snapshots/{snap_id}').status_int == 200
    assert taker.get(f'/snapshots/{snap_id}').status_int == 404


def test_transfer_projects(member: Client) -> None:
    version = changes.TRANSFER_PROJECTS
    below = _offer(member, _volume(member)['id'], _below(version)).json['transfer']
    assert 'source_project_id' not in below and 'accepted' not in below
    created = _offer(member, _volume(member)['id'], _at(version)).json['transfer']
    assert created['source_project_id'] == member.project_id
    assert created['destination_project_id'] is None and created['accepted'] is False
    (listed,) = [t for t in _get(member, '/volume-transfers/detail', _at(version)).json[
        'transfers'] if t['id'] == created['id']]
    assert listed['accepted'] is False
    for transfer in (below, created):
        member.delete(f'/volume-transfers/{transfer["id"]}', headers=_at(version))


def test_snapshot_in_use(member: Client, env: CloudEnv) -> None:
    version = changes.SNAPSHOT_IN_USE
    volume = _volume(member)
    attachment = env.cloud.volumes.reserve_volume(env.ctx, volume['id'], str(uuid.uuid4()))
    env.cloud.volumes.attach_volume(env.ctx, attachment['id'], 'host1', '/dev/vdb')
    body = {'snapshot': {'volume_id': volume['id']}}
    assert member.post('/snapshots', body, headers=_below(version)).status_int == 400
    false_force = {'snapshot': {'volume_id': volume['id'], 'force': False}}
    refused = member.post('/snapshots', false_force, headers=_at(version))
    assert refused.status_int == 400 and 'force' in refused.json['badRequest']['message']
    created = member.post('/snapshots', body, headers=_at(version))
    assert created.status_int == 202, created.text
    member.delete(f'/snapshots/{created.json["snapshot"]["id"]}')
    env.cloud.volumes.detach_volume(env.ctx, attachment['id'])


def test_project_id_optional(member: Client) -> None:
    version = changes.PROJECT_ID_OPTIONAL
    volume = _volume(member)
    below = member.get('/v3/volumes', absolute=True, headers=_below(version))
    assert below.status_int == 404
    listed = member.get('/v3/volumes', absolute=True, headers=_at(version))
    assert listed.status_int == 200
    assert volume['id'] in [v['id'] for v in listed.json['volumes']]
    shown = member.get(f'/v3/volumes/{volume["id"]}', absolute=True, headers=_at(version))
    assert shown.status_int == 200 and shown.json['volume']['id'] == volume['id']
    created = member.request('POST', '/v3/volumes', osc_create_body(name='no-project'),
                             absolute=True, headers=_at(version))
    assert created.status_int == 202, created.text
    new_id = created.json['volume']['id']
    owner = member.get(f'/volumes/{new_id}').json['volume']['os-vol-tenant-attr:tenant_id']
    assert owner == member.project_id
    # the project form still works at the version
    assert member.get('/volumes', headers=_at(version)).status_int == 200


def test_attachment_complete(admin: Client, env: CloudEnv) -> None:
    version = changes.ATTACHMENT_COMPLETE
    volume = _volume(admin)
    attachment = env.cloud.volumes.reserve_volume(env.ctx, volume['id'], str(uuid.uuid4()))
    path = f'/attachments/{attachment["id"]}/action'
    body = {'os-complete': None}
    assert admin.post(path, body, headers=_below(version)).status_int == 404
    reserved = admin.post(path, body, headers=_at(version))
    assert reserved.status_int == 400 and 'os-complete' in reserved.text
    env.cloud.volumes.attach_volume(env.ctx, attachment['id'], 'host1', '/dev/vdb')
    assert admin.post(path, body, headers=_at(version)).status_int == 204
    missing = admin.post(f'/attachments/{uuid.uuid4()}/action', body, headers=_at(version))
    assert missing.status_int == 404
    env.cloud.volumes.detach_volume(env.ctx, attachment['id'])


def _listed_ids(client: Client, query_string: str, headers: dict[str, str]) -> set[str]:
    response = client.get(f'/volumes/detail?{query_string}', headers=headers)
    assert response.status_int == 200, response.text
    return {v['id'] for v in response.json['volumes']}


def test_generic_filters(app: Any, env: CloudEnv) -> None:
    version = changes.GENERIC_FILTERS
    member = make_user(env, app, ['member'])
    big = _volume(member, size=2, metadata={'tier': 'gold'})
    small = _volume(member, size=1, metadata={'tier': 'silver'})
    both = {big['id'], small['id']}
    assert _listed_ids(member, 'size=2', _below(version)) == both
    assert _listed_ids(member, 'size=2', _at(version)) == {big['id']}
    assert _listed_ids(member, 'metadata={"tier":"silver"}', _at(version)) == {small['id']}
    assert _listed_ids(member, "metadata={'tier':'gold'}", _at(version)) == {big['id']}
    assert _listed_ids(member, 'bootable=false', _at(version)) == both
    bad = member.get('/volumes/detail?metadata=nope', headers=_at(version))
    assert bad.status_int == 400 and 'metadata' in bad.text
    summary = member.get('/volumes/summary?size=2', headers=_at(version)).json
    assert summary['volume-summary']['total_count'] == 1


def test_resource_filters(admin: Client) -> None:
    version = changes.RESOURCE_FILTERS
    assert _get(admin, '/resource_filters', _below(version)).status_int == 404
    found = _get(admin, '/resource_filters?resource=volume', _at(version)).json
    (entry,) = found['resource_filters']
    assert entry['resource'] == 'volume' and 'metadata' in entry['filters']
    assert 'name~' not in entry['filters']
    latest = _get(admin, '/resource_filters', _at(changes.LIKE_FILTERS)).json
    assert 'name~' in latest['resource_filters'][0]['filters']


def test_like_filters(app: Any, env: CloudEnv) -> None:
    version = changes.LIKE_FILTERS
    member = make_user(env, app, ['member'])
    first = member.post('/volumes', osc_create_body(name='Alpha-disk')).json['volume']
    member.post('/volumes', osc_create_body(name='beta-disk'))
    assert len(_listed_ids(member, 'name~=alpha', _below(version))) == 2
    assert _listed_ids(member, 'name~=alpha', _at(version)) == {first['id']}
    assert len(_listed_ids(member, 'name~=DISK', _at(version))) == 2


def test_revert_to_snapshot(member: Client) -> None:
    version = changes.REVERT_TO_SNAPSHOT
    volume = _volume(member)
    path = f'/volumes/{volume["id"]}/action'
    first = member.post('/snapshots', {'snapshot': {'volume_id': volume['id']}}).json
    second = member.post('/snapshots', {'snapshot': {'volume_id': volume['id']}}).json
    old_id, new_id = first['snapshot']['id'], second['snapshot']['id']
    assert member.post(path, {'revert': {'snapshot_id': new_id}},
                       headers=_below(version)).status_int == 400
    not_latest = member.post(path, {'revert': {'snapshot_id': old_id}}, headers=_at(version))
    assert not_latest.status_int == 400 and 'latest' in not_latest.text
    reverted = member.post(path, {'revert': {'snapshot_id': new_id}}, headers=_at(version))
    assert reverted.status_int == 202, reverted.text
    assert member.get(f'/volumes/{volume["id"]}').json['volume']['status'] == 'available'
    assert member.get(f'/snapshots/{new_id}').json['snapshot']['status'] == 'available'
    missing = member.post(path, {'revert': {'snapshot_id': str(uuid.uuid4())}},
                          headers=_at(version))
    assert missing.status_int == 404



def test_transfer_list_paging(app: Any, env: CloudEnv) -> None:
    version = changes.TRANSFER_LIST_PAGING
    giver = make_user(env, app, ['member'])
    made = [_offer(giver, _volume(giver)['id'], _at(version), name=name).json['transfer']
            for name in ('b-gift', 'a-gift', 'c-gift')]
    below = _get(giver, '/volume-transfers?limit=1', _below(version)).json['transfers']
    assert len(below) == 3
    first = _get(giver, '/volume-transfers?limit=1&sort=name:asc', _at(version)).json
    assert [t['name'] for t in first['transfers']] == ['a-gift']
    marker = first['transfers'][0]['id']
    rest = _get(giver, f'/volume-transfers/detail?sort=name:asc&marker={marker}',
                _at(version)).json['transfers']
    assert [t['name'] for t in rest] == ['b-gift', 'c-gift']
    bad = _get(giver, '/volume-transfers?sort=auth_key', _at(version))
    assert bad.status_int == 400
    for transfer in made:
        giver.delete(f'/volume-transfers/{transfer["id"]}', headers=_at(version))


def test_volume_reimage(admin: Client, env: CloudEnv) -> None:
    version = changes.VOLUME_REIMAGE
    volume = _volume(admin)
    path = f'/volumes/{volume["id"]}/action'
    body = {'os-reimage': {'image_id': env.image['id'], 'reimage_reserved': False}}
    below = admin.post(path, body, headers=_below(version))
    assert below.status_int == 400 and 'os-reimage' in below.text
    assert 'volume_image_metadata' not in admin.get(f'/volumes/{volume["id"]}').json['volume']
    done = admin.post(path, body, headers=_at(version))
    assert done.status_int == 202, done.text
    shown = admin.get(f'/volumes/{volume["id"]}').json['volume']
    assert shown['status'] == 'available'
    assert shown['volume_image_metadata']['image_id'] == env.image['id']
