"""Image records: create, list with filters and pagination, show, JSON-patch, delete."""

from __future__ import annotations

import uuid

from tests.unit.image_rest.conftest import PUBLIC_URL, ImageApi

SDK_PROPERTIES = {'owner_specified.openstack.md5': '',
                  'owner_specified.openstack.sha256': '',
                  'owner_specified.openstack.object': 'images/cirros'}


def test_create_returns_a_flat_queued_image(api: ImageApi) -> None:
    resp = api.call('POST', '/v2/images', json_body={
        'name': 'cirros', 'disk_format': 'qcow2', 'container_format': 'bare',
        'visibility': 'private', 'protected': False, 'tags': ['a'], 'min_disk': 1,
        **SDK_PROPERTIES})
    assert resp.status_int == 201, resp.text
    image = resp.json
    assert resp.headers['Location'] == f'{PUBLIC_URL}/v2/images/{image["id"]}'
    uuid.UUID(image['id'])
    expected = {'name': 'cirros', 'status': 'queued', 'disk_format': 'qcow2',
                'container_format': 'bare', 'visibility': 'private', 'size': None,
                'checksum': None, 'os_hash_algo': None, 'os_hash_value': None,
                'min_disk': 1, 'min_ram': 0, 'protected': False, 'tags': ['a'],
                'os_hidden': False, 'owner': api.env.ctx.project_id,
                'self': f'/v2/images/{image["id"]}',
                'file': f'/v2/images/{image["id"]}/file', 'schema': '/v2/schemas/image',
                **SDK_PROPERTIES}
    assert {key: image[key] for key in expected} == expected
    assert image['created_at'] and image['updated_at']
    shown = api.call('GET', f'/v2/images/{image["id"]}')
    assert shown.status_int == 200 and shown.json == image


def test_create_with_id_and_null_extras(api: ImageApi) -> None:
    image_id = str(uuid.uuid4())
    image = api.create(id=image_id, name=None, note=None, kind='x')
    assert image['id'] == image_id and image['name'] is None
    assert image['kind'] == 'x' and 'note' not in image
    dup = api.call('POST', '/v2/images', json_body={'id': image_id})
    assert dup.status_int == 409


def test_list_filters_and_pagination(api: ImageApi) -> None:
    made = [api.create(name=f'img{i}') for i in range(3)]
    api.create(name='img1')
    body = api.call('GET', '/v2/images').json
    assert body['first'] == '/v2/images' and body['schema'] == '/v2/schemas/images'
    assert 'next' not in body
    assert len(body['images']) == 5  # four plus the fixture's image

    named = api.call('GET', '/v2/images?name=img1&deleted=False').json['images']
    assert [i['name'] for i in named] == ['img1', 'img1']
    assert api.call('GET', '/v2/images?name=nothing').json['images'] == []

    wanted = f'in:{made[0]["id"]},{made[2]["id"]},not-a-uuid'
    by_id = api.call('GET', f'/v2/images?id={wanted}').json['images']
    assert sorted(i['id'] for i in by_id) == sorted([made[0]['id'], made[2]['id']])
    single = api.call('GET', f'/v2/images?id={made[1]["id"]}').json['images']
    assert [i['id'] for i in single] == [made[1]['id']]

    assert len(api.call('GET', '/v2/images?status=active').json['images']) == 1
    assert len(api.call('GET', '/v2/images?status=queued').json['images']) == 4

    seen: list[str] = []
    page = api.call('GET', '/v2/images?limit=2&sort_key=created_at').json
    while True:
        seen += [i['id'] for i in page['images']]
        if 'next' not in page:
            break
        assert page['next'].startswith('/v2/images?') and 'limit=2' in page['next']
        page = api.call('GET', page['next']).json
    assert len(seen) == 5 and len(set(seen)) == 5
    full = api.call('GET', '/v2/images?limit=5').json
    assert len(full['images']) == 5 and 'next' not in full


def test_list_hides_hidden_images_unless_asked(api: ImageApi) -> None:
    hidden = api.create(name='hidden', os_hidden=True)
    ids = [i['id'] for i in api.call('GET', '/v2/images').json['images']]
    assert hidden['id'] not in ids
    only = api.call('GET', '/v2/images?os_hidden=true').json['images']
    assert [i['id'] for i in only] == [hidden['id']]
    assert api.call('GET', '/v2/images?os_hidden=maybe').status_int == 400


def test_patch_operations(api: ImageApi) -> None:
    image = api.create(name='before', tags=['old'], extra='1', gone='x')
    resp = api.patch(image['id'], [
        {'op': 'replace', 'path': '/name', 'value': 'after'},
        {'op': 'replace', 'path': '/min_disk', 'value': 2},
        {'op': 'add', 'path': '/min_ram', 'value': 512},
        {'op': 'replace', 'path': '/protected', 'value': True},
        {'op': 'replace', 'path': '/tags', 'value': ['t1', 't2']},
        {'op': 'replace', 'path': '/visibility', 'value': 'community'},
        {'op': 'add', 'path': '/owner_specified.openstack.md5', 'value': 'abc'},
        {'op': 'add', 'path': '/a~1b~0c', 'value': 'escaped'},
        {'op': 'replace', 'path': '/extra', 'value': '2'},
        {'op': 'remove', 'path': '/gone'},
    ])
    assert resp.status_int == 200, resp.text
    updated = resp.json
    assert (updated['name'], updated['min_disk'], updated['min_ram']) == ('after', 2, 512)
    assert updated['protected'] is True and updated['tags'] == ['t1', 't2']
    assert updated['visibility'] == 'community'
    assert updated['owner_specified.openstack.md5'] == 'abc'
    assert updated['a/b~c'] == 'escaped' and updated['extra'] == '2'
    assert 'gone' not in updated
    assert api.call('GET', f'/v2/images/{image["id"]}').json == updated

    # Protected: delete is refused; unprotect, then delete works.
    assert api.call('DELETE', f'/v2/images/{image["id"]}').status_int == 403
    api.patch(image['id'], [{'op': 'replace', 'path': '/protected', 'value': False}])
    assert api.call('DELETE', f'/v2/images/{image["id"]}').status_int == 204


def test_patch_conflicts_and_read_only(api: ImageApi) -> None:
    image = api.create(name='p')
    cases = [
        ([{'op': 'replace', 'path': '/nope', 'value': 'x'}], 409),
        ([{'op': 'remove', 'path': '/nope'}], 409),
        ([{'op': 'remove', 'path': '/name'}], 403),
        ([{'op': 'replace', 'path': '/status', 'value': 'active'}], 403),
        ([{'op': 'replace', 'path': '/checksum', 'value': 'x'}], 403),
        ([{'op': 'add', 'path': '/size', 'value': 1}], 403),
    ]
    for ops, status in cases:
        resp = api.patch(image['id'], ops)
        assert resp.status_int == status, (ops, resp.text)
    assert api.call('GET', f'/v2/images/{image["id"]}').json == image


def test_delete_then_404_and_name_probe(api: ImageApi) -> None:
    image = api.create(name='doomed')
    assert api.call('GET', '/v2/images/doomed').status_int == 404
    assert api.call('DELETE', f'/v2/images/{image["id"]}').status_int == 204
    for method in ('GET', 'DELETE'):
        resp = api.call(method, f'/v2/images/{image["id"]}')
        assert resp.status_int == 404
        assert resp.content_type == 'text/plain'
        assert resp.text.startswith('404 Not Found')
    assert api.patch(image['id'], []).status_int == 404
