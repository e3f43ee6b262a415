"""The interoperable image import over HTTP: stage, import, info/import, image tasks."""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any

import webob

from tests.unit.image_rest.conftest import ImageApi

OCTETS = 'application/octet-stream'
DATA = os.urandom(70 * 1024 + 3)


def _stage(api: ImageApi, image_id: str, data: bytes = DATA, *,
           token: str | None = None) -> int:
    return api.call('PUT', f'/v2/images/{image_id}/stage', body=data,
                    content_type=OCTETS, token=token).status_int


def _import(api: ImageApi, image_id: str, body: Any) -> webob.Response:
    return api.call('POST', f'/v2/images/{image_id}/import', json_body=body)


def _wait_status(api: ImageApi, image_id: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    image: dict[str, Any] = {}
    while time.monotonic() < deadline:
        image = api.call('GET', f'/v2/images/{image_id}').json
        if image['status'] == status:
            return image
        time.sleep(0.05)
    raise AssertionError(f'image {image_id} never became {status}: {image}')


def test_info_import_lists_the_enabled_methods(api: ImageApi) -> None:
    resp = api.call('GET', '/v2/info/import')
    assert resp.status_int == 200
    assert resp.json['import-methods']['value'] == ['glance-direct', 'web-download',
                                                        'glance-download']
    assert api.call('GET', '/v2/info/import', token='').status_int == 401


def test_glance_direct_import_over_http(api: ImageApi) -> None:
    image = api.create(name='direct', visibility='private', ramdisk_id='x')
    assert _stage(api, image['id']) == 204
    shown = api.call('GET', f'/v2/images/{image["id"]}').json
    assert shown['status'] == 'uploading'
    resp = _import(api, image['id'], {'method': {'name': 'glance-direct'}, 'all_stores': True})
    assert resp.status_int == 202, resp.text
    request_id = resp.headers['x-openstack-request-id']
    assert request_id.startswith('req-')
    active = _wait_status(api, image['id'], 'active')
    assert active['checksum'] == hashlib.md5(DATA).hexdigest()
    assert active['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert active['size'] == len(DATA)
    assert api.call('GET', f'/v2/images/{image["id"]}/file').body == DATA
    deadline = time.monotonic() + 30
    while True:
        tasks = api.call('GET', f'/v2/images/{image["id"]}/tasks').json['tasks']
        if tasks[0]['status'] == 'success' or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    [task] = tasks
    assert task['status'] == 'success'
    assert task['request_id'] == request_id
    assert task['input']['import_req']['method']['name'] == 'glance-direct'
    assert task['image_id'] == image['id']
    shown_task = api.call('GET', f'/v2/tasks/{task["id"]}')
    assert shown_task.status_int == 200
    assert shown_task.json['result'] == {'image_id': image['id']}
    listed = api.call('GET', '/v2/tasks?status=success&limit=5').json
    assert [t['id'] for t in listed['tasks']] == [task['id']]
    assert listed['schema'] == '/v2/schemas/tasks'


def test_stage_needs_octet_stream_and_a_queued_image(api: ImageApi) -> None:
    image = api.create(name='x')
    resp = api.call('PUT', f'/v2/images/{image["id"]}/stage', body=b'abc',
                    content_type='application/json')
    assert resp.status_int == 415
    assert _stage(api, image['id']) == 204
    resp = api.call('PUT', f'/v2/images/{image["id"]}/stage', body=b'abc',
                    content_type=OCTETS)
    assert resp.status_int == 409 and resp.text.startswith('409 Conflict')
    assert _stage(api, '8e5d7b8d-5b86-4b0f-8f2c-000000000000') == 404


def test_import_refusals(api: ImageApi) -> None:
    image = api.create(name='x')
    path = image['id']
    # glance-direct before staging: 409
    assert _import(api, path, {'method': {'name': 'glance-direct'}}).status_int == 409
    bad_bodies = [
        {},
        {'method': {}},
        {'method': {'name': 'carrier-pigeon'}},
        {'method': {'name': 'glance-direct'}, 'all_stores': 'yes'},
        {'method': {'name': 'glance-direct'}, 'surprise': 1},
        {'method': {'name': 'web-download', 'uri': 'http://does-not.exist:8080/x'}},
        {'method': {'name': 'web-download'}},
        {'method': {'name': 'glance-download', 'glance_image_id': 'foo'}},
    ]
    for body in bad_bodies:
        resp = _import(api, path, body)
        assert resp.status_int == 400, (body, resp.text)
    resp = api.call('POST', f'/v2/images/{path}/import', body=b'not json',
                    content_type='application/json')
    assert resp.status_int == 400
    resp = api.call('POST', f'/v2/images/{path}/import', body=b'{}', content_type='text/plain')
    assert resp.status_int == 415
    assert api.call('GET', f'/v2/images/{path}').json['status'] == 'queued'
    assert api.call('GET', f'/v2/images/{path}/tasks').json == {'tasks': []}


def test_second_import_while_one_runs_is_a_conflict(api: ImageApi) -> None:
    image = api.create(name='x')
    assert _stage(api, image['id']) == 204
    first = _import(api, image['id'], {'method': {'name': 'glance-direct'}})
    assert first.status_int == 202
    second = _import(api, image['id'], {'method': {'name': 'glance-direct'}})
    assert second.status_int == 409
    _wait_status(api, image['id'], 'active')


def test_other_projects_cannot_stage_or_import(api: ImageApi) -> None:
    image = api.create(name='x', visibility='community')
    member = api.user_token('member')
    assert _stage(api, image['id'], token=member) == 403
    reader = api.user_token('reader', project='readers')
    mine = api.call('POST', '/v2/images', token=member,
                    json_body={'name': 'm', 'disk_format': 'raw',
                               'container_format': 'bare'}).json
    assert _stage(api, mine['id'], token=reader) == 404  # another project's private image
    assert _stage(api, mine['id'], token=member) == 204


def test_reserved_os_glance_properties_are_forbidden(api: ImageApi) -> None:
    resp = api.call('POST', '/v2/images', json_body={'name': 'x', 'os_glance_foo': 'bar'})
    assert resp.status_int == 403
    image = api.create(name='y')
    resp = api.patch(image['id'], [{'op': 'add', 'path': '/os_glance_foo', 'value': 'bar'}])
    assert resp.status_int == 403
