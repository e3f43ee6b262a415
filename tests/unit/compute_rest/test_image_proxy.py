"""``/v2.1/images`` and ``/images/{id}/metadata``: nova's image proxy over the image service."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from nova_lite.compute.rest import image_views
from tests.unit.compute_rest.conftest import ComputeEnv

AT_2_35 = {'OpenStack-API-Version': 'compute 2.35'}


def _image(compute: ComputeEnv, name: str, **fields: Any) -> dict[str, Any]:
    """A queued image of the admin's project, straight in the image service."""
    return compute.cloud.images.create_image(compute.env.ctx, name=name,
                                             disk_format='raw', container_format='bare',
                                             **fields)


@pytest.fixture(scope='module')
def snapshot(compute: ComputeEnv) -> dict[str, Any]:
    return _image(compute, f'snap-{uuid.uuid4().hex[:6]}', min_ram=512, min_disk=2,
                  instance_uuid='5b7c8c1e-3f7d-4a35-9c3c-3a6e8f1d2b10', image_type='snapshot',
                  os_distro='cirros')


def test_show_is_nova_s_view(compute: ComputeEnv, snapshot: dict[str, Any]) -> None:
    response = compute.admin.get(f'/images/{snapshot["id"]}')
    assert response.status_int == 200, response.text
    image = response.json['image']
    assert image['id'] == snapshot['id'] and image['name'] == snapshot['name']
    assert (image['status'], image['progress']) == ('SAVING', 25)  # glance: queued
    assert (image['minRam'], image['minDisk']) == (512, 2)
    assert image['metadata'] == {'instance_uuid': '5b7c8c1e-3f7d-4a35-9c3c-3a6e8f1d2b10',
                                 'image_type': 'snapshot', 'os_distro': 'cirros'}
    assert image['server']['id'] == '5b7c8c1e-3f7d-4a35-9c3c-3a6e8f1d2b10'
    assert image['created'].endswith('Z') and image['updated'].endswith('Z')
    assert 'OS-EXT-IMG-SIZE:size' in image
    assert image['links'][0] == {'rel': 'self', 'href': f'http://127.0.0.1:8774/v2.1/images/'
                                                        f'{snapshot["id"]}'}


def test_active_image_and_no_server(compute: ComputeEnv) -> None:
    image = compute.admin.get(f'/images/{compute.env.image["id"]}').json['image']
    assert (image['status'], image['progress']) == ('ACTIVE', 100)
    assert 'server' not in image
    assert image['OS-EXT-IMG-SIZE:size'] == compute.env.image['size']


def test_list_detail_and_filters(compute: ComputeEnv, snapshot: dict[str, Any]) -> None:
    def ids(query: str, detail: bool = False) -> list[str]:
        path = '/images/detail' if detail else '/images'
        response = compute.admin.get(f'{path}?{query}')
        assert response.status_int == 200, response.text
        return [image['id'] for image in response.json['images']]

    active = compute.env.image['id']
    assert {active, snapshot['id']} <= set(ids(''))
    assert ids(f'name={snapshot["name"]}') == [snapshot['id']]
    assert active in ids('status=ACTIVE') and snapshot['id'] not in ids('status=ACTIVE')
    assert ids('server=5b7c8c1e-3f7d-4a35-9c3c-3a6e8f1d2b10') == [snapshot['id']]
    assert ids('server=http://x/v2.1/servers/5b7c8c1e-3f7d-4a35-9c3c-3a6e8f1d2b10',
               detail=True) == [snapshot['id']]
    assert ids('type=snapshot') == [snapshot['id']]
    assert snapshot['id'] in ids('minRam=512') and active not in ids('minRam=512')
    assert snapshot['id'] in ids('minDisk=2') and active not in ids('minDisk=2')
    assert snapshot['id'] in ids('changes-since=2000-01-01T00:00:00Z')
    assert ids('changes-since=2999-01-01T00:00:00Z') == []
    brief = compute.admin.get('/images').json['images'][0]
    assert set(brief) == {'id', 'name', 'links'}


def test_paging_with_limit_and_marker(compute: ComputeEnv) -> None:
    everything = [i['id'] for i in compute.admin.get('/images').json['images']]
    assert len(everything) >= 2
    first = compute.admin.get('/images?limit=1').json
    assert [i['id'] for i in first['images']] == everything[:1]
    assert 'marker=' in first['images_links'][0]['href']
    second = compute.admin.get(f'/images?limit=1&marker={everything[0]}').json
    assert [i['id'] for i in second['images']] == everything[1:2]
    assert compute.admin.get(f'/images?marker={uuid.uuid4()}').status_int == 400


@pytest.mark.parametrize('query', ['changes-since=yesterday', 'minRam=x', 'limit=-1'])
def test_bad_filters_are_400(compute: ComputeEnv, query: str) -> None:
    assert compute.admin.get(f'/images?{query}').status_int == 400


def test_another_project_cannot_see_a_private_image(compute: ComputeEnv,
                                                     snapshot: dict[str, Any]) -> None:
    assert compute.member.get(f'/images/{snapshot["id"]}').status_int == 404
    listed = [i['id'] for i in compute.member.get('/images').json['images']]
    assert snapshot['id'] not in listed and compute.env.image['id'] in listed  # public


def test_delete(compute: ComputeEnv) -> None:
    image = _image(compute, 'doomed')
    assert compute.member.delete(f'/images/{image["id"]}').status_int == 404  # not theirs
    assert compute.admin.delete(f'/images/{image["id"]}').status_int == 204
    assert compute.admin.get(f'/images/{image["id"]}').status_int == 404
    assert compute.admin.delete(f'/images/{image["id"]}').status_int == 404
    assert compute.admin.delete('/images/').status_int == 404  # no id, as nova


def test_metadata_list_replace_merge(compute: ComputeEnv) -> None:
    image = _image(compute, 'meta', os_distro='a', os_version='1')
    path = f'/images/{image["id"]}/metadata'
    assert compute.admin.get(path).json == {'metadata': {'os_distro': 'a', 'os_version': '1'}}
    replaced = compute.admin.request('PUT', path, {'metadata': {'os_version': '2', 'x': 'y'}})
    assert replaced.status_int == 200, replaced.text
    assert replaced.json == {'metadata': {'os_version': '2', 'x': 'y'}}
    merged = compute.admin.post(path, {'metadata': {'os_distro': 'b'}})
    assert merged.json == {'metadata': {'os_version': '2', 'x': 'y', 'os_distro': 'b'}}
    stored = compute.cloud.images.get_image(compute.env.ctx, image['id'])
    assert image_views.metadata(stored) == merged.json['metadata']
    assert stored['name'] == 'meta'  # core fields are not metadata: untouched


def test_metadata_items(compute: ComputeEnv) -> None:
    image = _image(compute, 'items', os_distro='a')
    path = f'/images/{image["id"]}/metadata'
    assert compute.admin.get(f'{path}/os_distro').json == {'meta': {'os_distro': 'a'}}
    assert compute.admin.get(f'{path}/nope').status_int == 404
    put = compute.admin.request('PUT', f'{path}/os_version', {'meta': {'os_version': '9'}})
    assert put.json == {'meta': {'os_version': '9'}}
    assert compute.admin.request('PUT', f'{path}/k', {'meta': {'other': 'v'}}).status_int == 400
    assert compute.admin.request('PUT', f'{path}/k',
                                 {'meta': {'k': 'v', 'j': 'w'}}).status_int == 400
    assert compute.admin.delete(f'{path}/os_distro').status_int == 204
    assert compute.admin.get(path).json == {'metadata': {'os_version': '9'}}
    assert compute.admin.delete(f'{path}/os_distro').status_int == 404


def test_metadata_errors(compute: ComputeEnv, snapshot: dict[str, Any]) -> None:
    missing = f'/images/{uuid.uuid4()}/metadata'
    assert compute.admin.get(missing).status_int == 404
    assert compute.admin.post(missing, {'metadata': {'a': 'b'}}).status_int == 404
    assert compute.admin.request('PUT', f'{missing}/a', {'meta': {'a': 'b'}}).status_int == 404
    path = f'/images/{snapshot["id"]}/metadata'
    assert compute.admin.post(path, {'metadata': {'a': 1}}).status_int == 400
    assert compute.admin.post(path, {'meta': {'a': 'b'}}).status_int == 400
    too_many = {f'k{i}': 'v' for i in range(129)}
    assert compute.admin.request('PUT', path, {'metadata': too_many}).status_int == 403
    # Another project's member sees no private image to change.
    assert compute.member.post(path, {'metadata': {'a': 'b'}}).status_int == 404
    public = f'/images/{compute.env.image["id"]}/metadata'
    assert compute.member.post(public, {'metadata': {'a': 'b'}}).status_int == 403


def test_at_2_35_still_served(compute: ComputeEnv) -> None:
    assert compute.admin.get('/images', headers=AT_2_35).status_int == 200
