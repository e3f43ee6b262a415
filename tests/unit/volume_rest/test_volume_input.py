"""Bad requests to the volume routes: each a 4xx naming the field, the DB unchanged."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nova_lite.common import exception
from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, osc_create_body

HUGE = 10 ** 30


def _db_state(env: CloudEnv) -> list[tuple[Any, ...]]:
    return sorted((v['id'], v['name'], v['size'], v['status'], json.dumps(v['metadata']))
                  for v in env.cloud.volumes.list_volumes(env.ctx))


def _message(response: Any) -> str:
    (fault,) = response.json.values()
    assert fault['code'] == response.status_int
    return str(fault['message'])


@pytest.mark.parametrize('body,status,field', [
    (osc_create_body(size=0), 400, 'size'),
    (osc_create_body(size=-1), 400, 'size'),
    (osc_create_body(size='ten'), 400, 'size'),
    (osc_create_body(size='-1'), 400, 'size'),
    (osc_create_body(size='0'), 400, 'size'),
    (osc_create_body(size=True), 400, 'size'),
    (osc_create_body(size=1.5), 400, 'size'),
    (osc_create_body(size=None), 400, 'size'),
    (osc_create_body(size=[1]), 400, 'size'),
    (osc_create_body(size=HUGE), 400, 'size'),
    (osc_create_body(size=str(HUGE)), 400, 'size'),
    (osc_create_body(size=1025), 400, 'size'),
    ({'volume': {'name': 'no-size'}}, 400, 'size'),
    # A missing source is cinder's 404 (SnapshotNotFound / VolumeNotFound).
    (osc_create_body(snapshot_id='8d3a7b36-f8bd-4c1f-9f7b-6bd0f5ce9b11'), 404,
     'Snapshot 8d3a7b36-f8bd-4c1f-9f7b-6bd0f5ce9b11'),
    (osc_create_body(source_volid='8d3a7b36-f8bd-4c1f-9f7b-6bd0f5ce9b11'), 404,
     'Volume 8d3a7b36-f8bd-4c1f-9f7b-6bd0f5ce9b11'),
    (osc_create_body(snapshot_id='8d3a7b36-f8bd-4c1f-9f7b-6bd0f5ce9b11',
                     source_volid='8d3a7b36-f8bd-4c1f-9f7b-6bd0f5ce9b12'), 400, 'snapshot_id'),
    (osc_create_body(imageRef='8d3a7b36-f8bd-4c1f-9f7b-6bd0f5ce9b11'), 400, 'imageRef'),
    (osc_create_body(backup_id='8d3a7b36-f8bd-4c1f-9f7b-6bd0f5ce9b11'), 400, 'backup_id'),
    (osc_create_body(multiattach=True), 400, 'multiattach'),
    (osc_create_body(name='n' * 256), 400, 'name'),
    (osc_create_body(name=7), 400, 'name'),
    (osc_create_body(description='d' * 256), 400, 'description'),
    (osc_create_body(metadata='k=v'), 400, 'metadata'),
    (osc_create_body(metadata={'k': 1}), 400, 'metadata'),
    (osc_create_body(metadata={'': 'v'}), 400, 'metadata'),
    (osc_create_body(availability_zone='elsewhere'), 400, 'availability_zone'),
    (osc_create_body(volume_type='gold'), 404, 'gold'),
    (osc_create_body(bogus=1), 400, 'bogus'),
    ({**osc_create_body(), 'extra': 1}, 400, 'extra'),
    ({'volume': None}, 400, 'volume'),
    ({'volume': [1]}, 400, 'volume'),
    ([], 400, '<body>'),
    ({}, 400, 'volume'),
])
def test_bad_create_bodies(admin: Client, env: CloudEnv, body: Any, status: int,
                           field: str) -> None:
    before = _db_state(env)
    response = admin.post('/volumes', body)
    assert response.status_int == status, response.text
    assert field in _message(response)
    assert _db_state(env) == before


@pytest.mark.parametrize('raw,content_type,status,field', [
    (b'{"volume": ', 'application/json', 400, 'JSON'),
    (b'size=1', 'application/json', 400, 'JSON'),
    (b'\xff\xfe', 'application/json', 400, 'JSON'),
    (b'', 'application/json', 400, 'body'),
    (json.dumps(osc_create_body()).encode(), 'text/plain', 415, 'text/plain'),
    (json.dumps(osc_create_body()).encode(), 'application/x-www-form-urlencoded', 415,
     'application/x-www-form-urlencoded'),
    (json.dumps(osc_create_body(name='n' * (2 * 1024 * 1024))).encode(), 'application/json',
     413, 'body'),
])
def test_bad_create_payloads(admin: Client, env: CloudEnv, raw: bytes, content_type: str,
                             status: int, field: str) -> None:
    before = _db_state(env)
    response = admin.post('/volumes', raw=raw, content_type=content_type)
    assert response.status_int == status, response.text
    assert field in _message(response)
    assert _db_state(env) == before


@pytest.mark.parametrize('body,status,field', [
    ({'volume': {'name': 'n' * 256}}, 400, 'name'),
    ({'volume': {'metadata': ['a']}}, 400, 'metadata'),
    ({'volume': {'status': 'available'}}, 400, 'status'),
    ({'volume': {}}, 400, 'volume'),
    ({'name': 'x'}, 400, 'volume'),
    (None, 400, '<body>'),
])
def test_bad_update_bodies(admin: Client, env: CloudEnv, body: Any, status: int,
                           field: str) -> None:
    volume_id = env.volumes[0]['id']
    before = _db_state(env)
    response = admin.put(f'/volumes/{volume_id}', body)
    assert response.status_int == status, response.text
    assert field in _message(response)
    assert _db_state(env) == before


@pytest.mark.parametrize('query,field', [
    ('status=' + 's' * 65, 'status'),
    ('limit=-1', 'limit'),
    ('limit=ten', 'limit'),
    ('limit=99999999999', 'limit'),
    ('name=' + 'n' * 256, 'name'),
    ('name=%ff', 'query'),
    ('all_tenants=%ff&limit=1', 'query'),
])
def test_bad_list_queries(admin: Client, query: str, field: str) -> None:
    for path in ('/volumes', '/volumes/detail'):
        response = admin.get(f'{path}?{query}')
        assert response.status_int == 400, response.text
        assert field in _message(response)


def test_unknown_status_lists_nothing(admin: Client) -> None:
    for path in ('/volumes', '/volumes/detail'):
        response = admin.get(f'{path}?status=null')
        assert response.status_int == 200, response.text
        assert response.json['volumes'] == []


def test_unlisted_marker_is_404_as_cinders_marker_not_found(admin: Client) -> None:
    for path in ('/volumes', '/volumes/detail'):
        response = admin.get(f'{path}?marker=not-listed')
        assert response.status_int == 404, response.text
        assert 'not-listed' in _message(response)


def test_unknown_query_parameters_are_ignored(admin: Client) -> None:
    response = admin.get('/volumes/detail?deleted=False&is_public=None&fields=id&fields=name'
                         '&sort=created_at:desc&id=in:a,b')
    assert response.status_int == 200


@pytest.mark.parametrize('changes,kwargs,field', [
    ({'size': 2}, {}, 'size'),
    (['name'], {}, 'volume'),
    ({'name': 5}, {}, 'name'),
    ({'metadata': {'k': ['v']}}, {'merge_metadata': True}, 'metadata'),
    ({}, {'delete_metadata_key': 'absent'}, 'absent'),
])
def test_manager_update_rejects_bad_changes(env: CloudEnv, changes: Any,
                                            kwargs: dict[str, Any], field: str) -> None:
    before = _db_state(env)
    with pytest.raises(exception.NovaLiteError) as caught:
        env.cloud.volumes.update_volume(env.ctx, env.volumes[0]['id'], changes, **kwargs)
    assert 400 <= caught.value.code < 500
    assert field in caught.value.message
    assert _db_state(env) == before
