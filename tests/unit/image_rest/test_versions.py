"""Version documents (no token) and the schema documents."""

from __future__ import annotations

from tests.unit.image_rest.conftest import PUBLIC_URL, ImageApi


def test_root_lists_versions_without_a_token(api: ImageApi) -> None:
    resp = api.call('GET', '/', token='')
    assert resp.status_int == 300
    versions = resp.json['versions']
    assert versions[0] == {'id': 'v2.16', 'status': 'CURRENT',
                           'links': [{'rel': 'self', 'href': f'{PUBLIC_URL}/v2/'}]}
    assert {v['status'] for v in versions[1:]} == {'SUPPORTED'}
    assert 'v2.0' in [v['id'] for v in versions]
    assert all(v['links'][0]['href'] == f'{PUBLIC_URL}/v2/' for v in versions)
    for path in ('/versions', '/v2/', '/v2'):
        resp = api.call('GET', path, token='')
        assert resp.status_int == 200, path
        assert resp.json['versions'][0]['id'] == 'v2.16'


def test_schemas_need_a_token(api: ImageApi) -> None:
    resp = api.call('GET', '/v2/schemas/image', token='')
    assert resp.status_int == 401
    assert resp.headers['WWW-Authenticate'].startswith('Keystone uri=')
    assert resp.content_type == 'text/plain'
    assert resp.text.startswith('401 Unauthorized')


def test_image_schema_document(api: ImageApi) -> None:
    resp = api.call('GET', '/v2/schemas/image')
    assert resp.status_int == 200
    doc = resp.json
    assert doc['name'] == 'image'
    assert doc['additionalProperties'] == {'type': 'string'}
    props = doc['properties']
    assert props['status']['readOnly'] is True
    assert 'raw' in props['disk_format']['enum']
    assert props['visibility']['enum'] == ['public', 'community', 'shared', 'private']
    assert 'readOnly' not in props['name']

    doc = api.call('GET', '/v2/schemas/images').json
    assert doc['name'] == 'images'
    assert doc['properties']['images']['items']['name'] == 'image'
    assert {link['rel'] for link in doc['links']} == {'first', 'next', 'describedby'}


def test_unknown_path_and_wrong_method(api: ImageApi) -> None:
    assert api.call('GET', '/v3/images').status_int == 404
    assert api.call('PUT', '/v2/images').status_int == 405
