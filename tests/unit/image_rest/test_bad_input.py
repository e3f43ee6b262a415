"""Bad requests: each answered 4xx with a plain-text fault, and nothing changes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.image_rest.conftest import PATCH_TYPE, ImageApi

JSON = 'application/json'
CREATE_CASES: list[tuple[str, bytes | None, str | None, int, str]] = [
    ('bad disk_format', json.dumps({'disk_format': 'floppy'}).encode(), JSON, 400,
     'disk_format'),
    ('bad container_format', json.dumps({'container_format': 'box'}).encode(), JSON, 400,
     'container_format'),
    ('negative min_disk', json.dumps({'min_disk': -1}).encode(), JSON, 400, 'min_disk'),
    ('huge min_ram', json.dumps({'min_ram': 2 ** 31}).encode(), JSON, 400, 'min_ram'),
    ('boolean min_ram', json.dumps({'min_ram': True}).encode(), JSON, 400, 'min_ram'),
    ('string min_disk', json.dumps({'min_disk': '1'}).encode(), JSON, 400, 'min_disk'),
    ('huge name', json.dumps({'name': 'n' * 256}).encode(), JSON, 400, 'name'),
    ('numeric name', json.dumps({'name': 7}).encode(), JSON, 400, 'name'),
    ('bad uuid', json.dumps({'id': 'not-a-uuid'}).encode(), JSON, 400, 'id'),
    ('bad visibility', json.dumps({'visibility': 'everyone'}).encode(), JSON, 400,
     'visibility'),
    ('tags not a list', json.dumps({'tags': 'a,b'}).encode(), JSON, 400, 'tags'),
    ('empty tag', json.dumps({'tags': ['']}).encode(), JSON, 400, 'tags'),
    ('protected not boolean', json.dumps({'protected': 'yes'}).encode(), JSON, 400,
     'protected'),
    ('extra property not a string', json.dumps({'color': 1}).encode(), JSON, 400, 'color'),
    ('huge property name', json.dumps({'p' * 256: 'v'}).encode(), JSON, 400, ''),
    ('huge property value', json.dumps({'p': 'v' * 65536}).encode(), JSON, 400, 'p'),
    ('read-only status', json.dumps({'status': 'active'}).encode(), JSON, 403, 'status'),
    ('read-only size', json.dumps({'size': 5}).encode(), JSON, 403, 'size'),
    ('read-only checksum', json.dumps({'checksum': 'x'}).encode(), JSON, 403, 'checksum'),
    ('list body', b'[]', JSON, 400, 'object'),
    ('non-JSON body', b'{"name": ', JSON, 400, 'JSON'),
    ('empty body', None, JSON, 400, 'body'),
    ('wrong content type', b'{"name": "x"}', 'text/plain', 415, 'text/plain'),
    ('form content type', b'name=x', 'application/x-www-form-urlencoded', 415, ''),
    ('body over the JSON limit', json.dumps({'p': 'v' * (1024 * 1024)}).encode(), JSON, 413,
     ''),
]

PATCH_CASES: list[tuple[str, Any, str | None, int]] = [
    ('json content type', [{'op': 'replace', 'path': '/name', 'value': 'x'}], JSON, 415),
    ('no content type', [{'op': 'replace', 'path': '/name', 'value': 'x'}], None, 415),
    ('not a list', {'op': 'replace', 'path': '/name', 'value': 'x'}, PATCH_TYPE, 400),
    ('operation not an object', ['replace'], PATCH_TYPE, 400),
    ('unknown op', [{'op': 'move', 'from': '/name', 'path': '/n2'}], PATCH_TYPE, 400),
    ('test op', [{'op': 'test', 'path': '/name', 'value': 'x'}], PATCH_TYPE, 400),
    ('missing op', [{'path': '/name', 'value': 'x'}], PATCH_TYPE, 400),
    ('path without slash', [{'op': 'replace', 'path': 'name', 'value': 'x'}], PATCH_TYPE,
     400),
    ('nested path', [{'op': 'add', 'path': '/tags/0', 'value': 'x'}], PATCH_TYPE, 400),
    ('empty path', [{'op': 'add', 'path': '/', 'value': 'x'}], PATCH_TYPE, 400),
    ('missing value', [{'op': 'replace', 'path': '/name'}], PATCH_TYPE, 400),
    ('negative min_disk', [{'op': 'replace', 'path': '/min_disk', 'value': -1}], PATCH_TYPE,
     400),
    ('huge name', [{'op': 'replace', 'path': '/name', 'value': 'n' * 256}], PATCH_TYPE, 400),
    ('bad visibility', [{'op': 'replace', 'path': '/visibility', 'value': 'all'}],
     PATCH_TYPE, 400),
    ('extra property not a string', [{'op': 'add', 'path': '/color', 'value': 3}],
     PATCH_TYPE, 400),
    ('null extra property', [{'op': 'add', 'path': '/color', 'value': None}], PATCH_TYPE,
     400),
    ('bad disk_format', [{'op': 'replace', 'path': '/disk_format', 'value': 'floppy'}],
     PATCH_TYPE, 400),
    ('good then bad', [{'op': 'replace', 'path': '/name', 'value': 'ok'},
                       {'op': 'replace', 'path': '/min_ram', 'value': 'lots'}], PATCH_TYPE,
     400),
]

LIST_CASES = ['limit=-1', 'limit=ten', 'marker=0b6d6ea6-3c6c-4a1c-9c3a-3f9b1b2c0c11',
              'visibility=everyone', 'os_hidden=yes', f'name={"n" * 256}', 'name=%ff',
              'limit=']


@pytest.fixture
def image(api: ImageApi) -> dict[str, Any]:
    return api.create(name='target', kind='x')


def test_create_bad_input(api: ImageApi, image: dict[str, Any]) -> None:
    before = api.image_rows()
    for label, body, content_type, status, hint in CREATE_CASES:
        resp = api.call('POST', '/v2/images', body=body, content_type=content_type)
        assert resp.status_int == status, (label, resp.text)
        assert resp.content_type == 'text/plain', label
        assert hint in resp.text, (label, resp.text)
    assert api.image_rows() == before


def test_patch_bad_input(api: ImageApi, image: dict[str, Any]) -> None:
    before = api.image_rows()
    for label, ops, content_type, status in PATCH_CASES:
        resp = api.call('PATCH', f'/v2/images/{image["id"]}', body=json.dumps(ops).encode(),
                        content_type=content_type)
        assert resp.status_int == status, (label, resp.text)
    resp = api.call('PATCH', f'/v2/images/{image["id"]}', body=b'[]', content_type=JSON)
    assert f'send {PATCH_TYPE}' in resp.text
    resp = api.call('PATCH', f'/v2/images/{image["id"]}', body=b'[{"op":',
                    content_type=PATCH_TYPE)
    assert resp.status_int == 400 and 'JSON' in resp.text
    assert api.image_rows() == before


def test_list_bad_query(api: ImageApi, image: dict[str, Any]) -> None:
    for query in LIST_CASES:
        resp = api.call('GET', f'/v2/images?{query}')
        assert resp.status_int == 400, (query, resp.text)
    # Unknown parameters and unsupported sorting are ignored.
    resp = api.call('GET', '/v2/images?is_public=None&fields=id&fields=name&sort=name:asc')
    assert resp.status_int == 200 and len(resp.json['images']) == 2


def test_bad_ids_are_not_found(api: ImageApi, image: dict[str, Any]) -> None:
    before = api.image_rows()
    for bad in ('target', 'not-a-uuid', '0b6d6ea6-3c6c-4a1c-9c3a-3f9b1b2c0c11', '%00',
                'x' * 300):
        path = f'/v2/images/{bad}'
        assert api.call('GET', path).status_int == 404, bad
        assert api.call('DELETE', path).status_int == 404, bad
        assert api.patch(bad, []).status_int == 404, bad
        assert api.call('GET', f'{path}/file').status_int == 404, bad
        resp = api.call('PUT', f'{path}/file', body=b'abc',
                        content_type='application/octet-stream')
        assert resp.status_int == 404, bad
    assert api.image_rows() == before


def test_no_token_or_bad_token_is_401(api: ImageApi, image: dict[str, Any]) -> None:
    for token in ('', 'garbage'):
        for method, path in (('GET', '/v2/images'), ('POST', '/v2/images'),
                             ('GET', f'/v2/images/{image["id"]}'),
                             ('DELETE', f'/v2/images/{image["id"]}')):
            resp = api.call(method, path, token=token, json_body={'name': 'x'})
            assert resp.status_int == 401, (token, method, path)
    assert len(api.image_rows()) == 2
