"""Tags, deactivation, the v2.0 JSON-patch dialect, reserved names, info documents, exact paths."""

from __future__ import annotations

from typing import Any

import webob

from tests.unit.image_rest.conftest import ImageApi

OCTETS = 'application/octet-stream'
OLD_PATCH = 'application/openstack-images-v2.0-json-patch'


def test_tags_put_and_delete(api: ImageApi) -> None:
    image = api.create(tags=['keep'])
    tags = f'/v2/images/{image["id"]}/tags'
    assert api.call('PUT', f'{tags}/new%20tag').status_int == 204
    assert api.call('PUT', f'{tags}/new%20tag').status_int == 204
    assert api.call('GET', f'/v2/images/{image["id"]}').json['tags'] == ['keep', 'new tag']
    assert api.call('DELETE', f'{tags}/keep').status_int == 204
    assert api.call('DELETE', f'{tags}/keep').status_int == 404
    assert api.call('PUT', f'{tags}/{"t" * 256}').status_int == 400
    missing = '/v2/images/0b6d6ea6-3c6c-4a1c-9c3a-3f9b1b2c0c11/tags/x'
    assert api.call('PUT', missing).status_int == 404
    reader = api.user_token('reader', project='other')
    assert api.call('PUT', f'{tags}/x', token=reader).status_int == 404
    assert api.call('GET', f'/v2/images/{image["id"]}').json['tags'] == ['new tag']


def test_deactivate_blocks_downloads_for_non_admins(api: ImageApi) -> None:
    member = api.user_token('member', project='deact')
    image = api.call('POST', '/v2/images', token=member, json_body={
        'disk_format': 'raw', 'container_format': 'bare', 'visibility': 'private'}).json
    path = f'/v2/images/{image["id"]}'
    assert api.call('POST', f'{path}/actions/deactivate', token=member).status_int == 403
    assert api.call('PUT', f'{path}/file', body=b'bits', content_type=OCTETS,
                    token=member).status_int == 204
    assert api.call('POST', f'{path}/actions/deactivate', token=member).status_int == 204
    assert api.call('GET', path, token=member).json['status'] == 'deactivated'
    assert api.call('GET', f'{path}/file', token=member).status_int == 403
    assert api.call('GET', f'{path}/file').body == b'bits'  # the admin still may
    assert api.call('POST', f'{path}/actions/reactivate', token=member).status_int == 204
    assert api.call('GET', path, token=member).json['status'] == 'active'
    assert api.call('GET', f'{path}/file', token=member).body == b'bits'
    assert api.call('POST', f'{path}/actions/explode', token=member).status_int == 404


def _old_patch(api: ImageApi, image_id: str, ops: list[dict[str, Any]]) -> webob.Response:
    return api.call('PATCH', f'/v2/images/{image_id}', json_body=ops, content_type=OLD_PATCH)


def test_old_json_patch_dialect(api: ImageApi) -> None:
    image = api.create(name='before', extra='1')
    resp = _old_patch(api, image['id'], [{'replace': '/name', 'value': 'after'},
                                         {'add': '/kernel', 'value': 'k'},
                                         {'remove': '/extra'}])
    assert resp.status_int == 200, resp.text
    assert resp.json['name'] == 'after' and resp.json['kernel'] == 'k'
    assert 'extra' not in resp.json
    for ops, status in [([{'replace': '/name', 'add': '/x', 'value': 'v'}], 400),
                        ([{'op': 'replace', 'path': '/name', 'value': 'v'}], 400),
                        ([{'replace': '/status', 'value': 'active'}], 403),
                        ([{'add': '/os_glance_foo', 'value': 'bar'}], 403)]:
        assert _old_patch(api, image['id'], ops).status_int == status, ops
    assert api.patch(image['id'], [{'op': 'add', 'path': '/os_glance_x', 'value': 'y'}]
                     ).status_int == 403
    wrong_type = api.call('PATCH', f'/v2/images/{image["id"]}', json_body=[])
    assert wrong_type.status_int == 415


def test_reserved_names_at_create(api: ImageApi) -> None:
    before = api.image_rows()
    resp = api.call('POST', '/v2/images', json_body={'name': 'x', 'os_glance_foo': 'bar'})
    assert resp.status_int == 403 and 'os_glance_foo' in resp.text
    assert api.image_rows() == before


def test_info_stores_and_usage(api: ImageApi) -> None:
    stores = api.call('GET', '/v2/info/stores')
    assert stores.status_int == 200
    assert stores.json == {'stores': [{'id': 'file', 'default': True,
                                       'description': stores.json['stores'][0]['description']}]}
    image = api.create()
    api.call('PUT', f'/v2/images/{image["id"]}/file', body=b'12345', content_type=OCTETS)
    usage = api.call('GET', '/v2/info/usage').json['usage']
    assert usage['image_size_total']['usage'] >= 5
    assert usage['image_count_total']['usage'] == len(api.image_rows())
    assert usage['image_count_total']['limit'] == -1
    assert api.call('GET', '/v2/info/stores', token='').status_int == 401


def test_empty_image_id_is_not_found(api: ImageApi) -> None:
    api.create()
    for method in ('GET', 'DELETE', 'PATCH'):
        resp = api.call(method, '/v2/images/')
        assert resp.status_int == 404, method
        assert resp.text.startswith('404 Not Found')
    assert api.call('GET', '/v2/images').status_int == 200
    assert api.call('GET', '/v2/').status_int == 200  # version discovery stays forgiving
