"""Volumes through the REST API: the bodies the clients read, scoping and policy."""

from __future__ import annotations

import uuid
from typing import Any

from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import (
    PUBLIC_URL,
    Client,
    make_user,
    osc_create_body,
    volume_count,
)

DETAIL_KEYS = {
    'id', 'name', 'description', 'status', 'size', 'attachments', 'metadata', 'volume_type',
    'bootable', 'availability_zone', 'created_at', 'updated_at', 'user_id',
    'os-vol-tenant-attr:tenant_id', 'encrypted', 'multiattach', 'links', 'snapshot_id',
    'source_volid', 'replication_status', 'consistencygroup_id'}


def _create(client: Client, name: str, size: Any = 1, **extra: Any) -> dict[str, Any]:
    response = client.post('/volumes', osc_create_body(size=size, name=name, **extra))
    assert response.status_int == 202, response.text
    return response.json['volume']


def _unique(prefix: str = 'vol') -> str:
    return f'{prefix}-{uuid.uuid4().hex[:8]}'


def test_create_with_the_body_osc_sends(admin: Client, env: CloudEnv) -> None:
    before = volume_count(env)
    name = _unique()
    response = admin.post('/volumes', osc_create_body(size=1, name=name))
    assert response.status_int == 202
    assert response.headers['OpenStack-API-Version'] == 'volume 3.0'
    volume = response.json['volume']
    # Cinder's create answer carries no os-vol-*-attr fields (tempest's schema forbids them).
    assert DETAIL_KEYS - {'os-vol-tenant-attr:tenant_id'} <= set(volume)
    assert not [key for key in volume if key.startswith('os-vol-')]
    assert volume['name'] == name
    assert volume['size'] == 1
    assert volume['status'] in ('creating', 'available')
    assert volume['attachments'] == []
    assert volume['metadata'] == {}
    assert volume['bootable'] == 'false'
    assert volume['encrypted'] is False and volume['multiattach'] is False
    assert volume['volume_type'] == '__DEFAULT__'
    assert volume['availability_zone'] == 'nova'
    assert volume['user_id'] == env.ctx.user_id
    assert volume['created_at'].endswith('Z')
    shown = admin.get(f'/volumes/{volume["id"]}').json['volume']
    assert shown['os-vol-tenant-attr:tenant_id'] == admin.project_id
    assert shown['os-vol-host-attr:host'] == 'test-host@file#file'  # admin only
    assert {'rel': 'self', 'href': f'{PUBLIC_URL}/v3/{admin.project_id}/volumes/'
            f'{volume["id"]}'} in volume['links']
    assert volume_count(env) == before + 1
    stored = env.cloud.volumes.get_volume(env.ctx, volume['id'])
    assert stored['status'] == 'available' and stored['name'] == name


def test_create_accepts_digit_strings_metadata_and_the_default_type(admin: Client) -> None:
    volume = _create(admin, _unique(), size='2', metadata={'k': 'v'},
                     description='described', volume_type='__DEFAULT__',
                     availability_zone='nova', multiattach=False)
    assert volume['size'] == 2
    assert volume['metadata'] == {'k': 'v'}
    assert volume['description'] == 'described'
    legacy = admin.post('/volumes', {'volume': {'size': 1, 'display_name': 'legacy-name'},
                                     'OS-SCH-HNT:scheduler_hints': None})
    assert legacy.status_int == 202
    assert legacy.json['volume']['name'] == 'legacy-name'


def test_show_list_detail_and_filters(admin: Client) -> None:
    name = _unique()
    volume = _create(admin, name)
    shown = admin.get(f'/volumes/{volume["id"]}')
    assert shown.status_int == 200
    assert shown.json['volume']['id'] == volume['id']
    assert shown.json['volume']['status'] == 'available'

    brief = admin.get('/volumes').json
    assert set(brief) == {'volumes'}
    entry = next(v for v in brief['volumes'] if v['id'] == volume['id'])
    assert set(entry) == {'id', 'name', 'links'}

    detail = admin.get('/volumes/detail').json
    assert set(detail) == {'volumes'}  # no links without limit
    assert DETAIL_KEYS <= set(next(v for v in detail['volumes'] if v['id'] == volume['id']))

    by_name = admin.get(f'/volumes/detail?name={name}&deleted=False&fields=id').json
    assert [v['id'] for v in by_name['volumes']] == [volume['id']]
    assert admin.get('/volumes/detail?name=no-such-volume').json == {'volumes': []}
    available = admin.get('/volumes/detail?status=available').json['volumes']
    assert volume['id'] in [v['id'] for v in available]
    assert admin.get('/volumes/detail?status=in-use&name=' + name).json['volumes'] == []


def test_pagination_links_only_with_limit(admin: Client) -> None:
    prefix = _unique('page')
    ids = [_create(admin, prefix)['id'] for _ in range(3)]
    first = admin.get(f'/volumes/detail?name={prefix}&limit=2').json
    assert [v['id'] for v in first['volumes']] == ids[:2]
    (link,) = first['volumes_links']
    assert link['rel'] == 'next'
    assert link['href'].startswith(f'{PUBLIC_URL}/v3/{admin.project_id}/volumes/detail?')
    assert f'marker={ids[1]}' in link['href']
    second = admin.get(f'/volumes/detail?name={prefix}&limit=2&marker={ids[1]}').json
    assert [v['id'] for v in second['volumes']] == ids[2:]
    assert second['volumes_links'] == []
    brief = admin.get(f'/volumes?name={prefix}&limit=1').json
    assert len(brief['volumes']) == 1 and brief['volumes_links'][0]['rel'] == 'next'
    assert '/volumes?' in brief['volumes_links'][0]['href']
    unknown = admin.get(f'/volumes/detail?marker={uuid.uuid4()}')
    assert unknown.status_int == 404 and 'Marker' in unknown.json['itemNotFound']['message']


def test_name_and_unknown_ids_are_404(admin: Client) -> None:
    name = _unique()
    _create(admin, name)
    for ref in (name, str(uuid.uuid4()), 'x' * 300):
        response = admin.get(f'/volumes/{ref}')
        assert response.status_int == 404
        assert response.json['itemNotFound']['code'] == 404
        assert admin.delete(f'/volumes/{ref}').status_int == 404


def test_update_name_description_metadata(admin: Client, env: CloudEnv) -> None:
    volume = _create(admin, _unique())
    response = admin.put(f'/volumes/{volume["id"]}',
                         {'volume': {'name': 'renamed', 'description': 'd',
                                     'metadata': {'a': 'b'}}})
    assert response.status_int == 200
    assert response.json['volume']['name'] == 'renamed'
    stored = env.cloud.volumes.get_volume(env.ctx, volume['id'])
    assert (stored['name'], stored['description'], stored['metadata']) == (
        'renamed', 'd', {'a': 'b'})
    bad = admin.put(f'/volumes/{volume["id"]}', {'volume': {'size': 5}})
    assert bad.status_int == 400 and 'volume.size' in bad.json['badRequest']['message']
    assert admin.put(f'/volumes/{volume["id"]}', {'volume': {}}).status_int == 400
    assert admin.put(f'/volumes/{uuid.uuid4()}',
                     {'volume': {'name': 'x'}}).status_int == 404
    assert env.cloud.volumes.get_volume(env.ctx, volume['id'])['name'] == 'renamed'


def test_delete_then_404(admin: Client, env: CloudEnv) -> None:
    volume = _create(admin, _unique())
    before = volume_count(env)
    response = admin.delete(f'/volumes/{volume["id"]}?cascade=False')
    assert response.status_int == 202
    assert response.body == b''
    assert admin.get(f'/volumes/{volume["id"]}').status_int == 404
    assert admin.delete(f'/volumes/{volume["id"]}').status_int == 404
    assert volume_count(env) == before - 1


def test_delete_in_use_volume_is_400_and_changes_nothing(admin: Client,
                                                          env: CloudEnv) -> None:
    server = env.boot()
    assert server['status'] == 'ACTIVE'
    volume_id = env.volumes[0]['id']
    shown = admin.get(f'/volumes/{volume_id}').json['volume']
    assert shown['status'] == 'in-use'
    (attachment,) = shown['attachments']
    assert attachment['server_id'] == server['id']
    assert attachment['volume_id'] == volume_id
    before = volume_count(env)
    response = admin.delete(f'/volumes/{volume_id}')
    assert response.status_int == 400  # cinder's InvalidVolume
    assert response.json['badRequest']['code'] == 400
    assert volume_id in response.json['badRequest']['message']
    assert volume_count(env) == before
    after = env.volume()
    assert after['status'] == 'in-use' and len(after['attachments']) == 1
    in_use = admin.get('/volumes/detail?status=in-use').json['volumes']
    assert [v['id'] for v in in_use] == [volume_id]
    env.delete(server['id'])
    assert admin.get(f'/volumes/{volume_id}').json['volume']['status'] == 'available'


def test_another_projects_volumes_are_invisible(app: Any, admin: Client,
                                                env: CloudEnv) -> None:
    mine = _create(admin, _unique())
    other = make_user(env, app, ['member'])
    theirs = _create(other, _unique())
    assert other.get(f'/volumes/{mine["id"]}').status_int == 404
    assert other.delete(f'/volumes/{mine["id"]}').status_int == 404
    assert other.put(f'/volumes/{mine["id"]}', {'volume': {'name': 'x'}}).status_int == 404
    listed = other.get('/volumes/detail?all_tenants=True').json['volumes']  # ignored
    assert [v['id'] for v in listed] == [theirs['id']]
    assert 'os-vol-host-attr:host' not in listed[0]
    assert env.cloud.volumes.get_volume(env.ctx, mine['id'])['name'] == mine['name']
    # The admin sees its own project by default, every project with all_tenants.
    own = [v['id'] for v in admin.get('/volumes/detail').json['volumes']]
    assert mine['id'] in own and theirs['id'] not in own
    every = [v['id'] for v in admin.get('/volumes/detail?all_tenants=1').json['volumes']]
    assert {mine['id'], theirs['id']} <= set(every)
    only_theirs = admin.get(f'/volumes/detail?all_tenants=1&project_id={other.project_id}')
    assert [v['id'] for v in only_theirs.json['volumes']] == [theirs['id']]
    assert admin.get(f'/volumes/{theirs["id"]}').status_int == 200


def test_project_in_the_url_must_be_the_tokens(app: Any, admin: Client,
                                               env: CloudEnv) -> None:
    member = make_user(env, app, ['member'])
    before = volume_count(env)
    for path in ('/volumes', '/volumes/detail', '/types', '/limits'):
        response = member.get(path, project_id=admin.project_id)
        assert response.status_int == 400
        assert 'Malformed request URL' in response.json['badRequest']['message']
    response = member.post('/volumes', osc_create_body(name=_unique()),
                           project_id=admin.project_id)
    assert response.status_int == 400
    assert volume_count(env) == before
    # An admin may act in another (existing) project through its URL.
    created = admin.post('/volumes', osc_create_body(name=_unique()),
                         project_id=member.project_id)
    assert created.status_int == 202
    assert created.json['volume']['user_id'] == env.ctx.user_id
    shown = admin.get(f'/volumes/{created.json["volume"]["id"]}', project_id=member.project_id)
    assert shown.json['volume']['os-vol-tenant-attr:tenant_id'] == member.project_id
    listed = member.get('/volumes').json['volumes']
    assert created.json['volume']['id'] in [v['id'] for v in listed]
    missing = admin.get('/volumes', project_id=uuid.uuid4().hex)
    assert missing.status_int == 404


def test_reader_may_look_but_not_change(app: Any, admin: Client, env: CloudEnv) -> None:
    member = make_user(env, app, ['member'])
    volume = _create(member, _unique())
    reader = make_user(env, app, ['reader'], project_id=member.project_id)
    before = volume_count(env)
    response = reader.post('/volumes', osc_create_body(name=_unique()))
    assert response.status_int == 403
    assert response.json['forbidden']['code'] == 403
    assert reader.delete(f'/volumes/{volume["id"]}').status_int == 403
    assert reader.put(f'/volumes/{volume["id"]}', {'volume': {'name': 'x'}}).status_int == 403
    assert volume_count(env) == before
    assert reader.get(f'/volumes/{volume["id"]}').status_int == 200
    assert [v['id'] for v in reader.get('/volumes').json['volumes']] == [volume['id']]
    assert reader.get('/limits').json['limits']['absolute']['totalVolumesUsed'] == 1


def test_delete_reserved_volume_is_400(admin: Client, env: CloudEnv) -> None:
    volume = _create(admin, _unique())
    attachment = env.cloud.volumes.reserve_volume(env.ctx, volume['id'], str(uuid.uuid4()))
    response = admin.delete(f'/volumes/{volume["id"]}')
    assert response.status_int == 400
    assert env.cloud.volumes.get_volume(env.ctx, volume['id'])['status'] == 'reserved'
    env.cloud.volumes.unreserve_volume(env.ctx, attachment['id'])
    assert admin.delete(f'/volumes/{volume["id"]}').status_int == 202


def test_metadata_routes(app: Any, admin: Client, env: CloudEnv) -> None:
    volume = _create(admin, _unique(), metadata={'x': 'y'})
    path = f'/volumes/{volume["id"]}/metadata'
    assert admin.get(path).json == {'metadata': {'x': 'y'}}
    merged = admin.post(path, {'metadata': {'a': 'b'}})
    assert merged.status_int == 200 and merged.json == {'metadata': {'x': 'y', 'a': 'b'}}
    assert admin.get(f'{path}/a').json == {'meta': {'a': 'b'}}
    assert admin.get(f'{path}/nope').status_int == 404
    assert admin.delete(f'{path}/x').status_int == 200
    assert admin.delete(f'{path}/x').status_int == 404
    assert env.cloud.volumes.get_volume(env.ctx, volume['id'])['metadata'] == {'a': 'b'}
    replaced = admin.put(path, {'metadata': {'c': 'd'}})
    assert replaced.json == {'metadata': {'c': 'd'}}
    for bad in ({'metadata': {'k': 1}}, {'metadata': None}, {'meta': {}}, [1]):
        response = admin.post(path, bad)
        assert response.status_int == 400
        assert 'meta' in response.json['badRequest']['message'] or bad == [1]
    assert admin.post(f'/volumes/{uuid.uuid4()}/metadata',
                      {'metadata': {'a': 'b'}}).status_int == 404
    reader = make_user(env, app, ['reader'], project_id=admin.project_id)
    assert reader.get(path).status_int == 200
    assert reader.post(path, {'metadata': {'z': 'z'}}).status_int == 403
    assert reader.delete(f'{path}/c').status_int == 403
    other = make_user(env, app, ['member'])
    assert other.get(path, project_id=other.project_id).status_int == 404
    assert env.cloud.volumes.get_volume(env.ctx, volume['id'])['metadata'] == {'c': 'd'}


def test_set_bootable_action(admin: Client, env: CloudEnv) -> None:
    volume = _create(admin, _unique())
    assert volume['bootable'] == 'false'
    path = f'/volumes/{volume["id"]}/action'
    assert admin.post(path, {'os-set_bootable': {'bootable': True}}).status_int == 200
    assert admin.get(f'/volumes/{volume["id"]}').json['volume']['bootable'] == 'true'
    assert admin.post(path, {'os-set_bootable': {'bootable': 'false'}}).status_int == 200
    assert admin.get(f'/volumes/{volume["id"]}').json['volume']['bootable'] == 'false'
    assert admin.post(path, {'os-migrate_volume': {'host': 'x'}}).status_int == 400
