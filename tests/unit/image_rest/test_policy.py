"""Who may do what: project isolation, reader vs member, admin-only public images."""

from __future__ import annotations

from tests.unit.image_rest.conftest import ImageApi

OCTETS = 'application/octet-stream'


def test_other_projects_images_are_not_found(api: ImageApi) -> None:
    mine = api.create(name='admin-private', visibility='private')
    other = api.user_token('member')
    path = f'/v2/images/{mine["id"]}'
    assert api.call('GET', path, token=other).status_int == 404
    assert api.call('DELETE', path, token=other).status_int == 404
    assert api.patch(mine['id'], [{'op': 'replace', 'path': '/name', 'value': 'x'}],
                     token=other).status_int == 404
    assert api.call('GET', f'{path}/file', token=other).status_int == 404
    assert api.call('PUT', f'{path}/file', body=b'a', content_type=OCTETS,
                    token=other).status_int == 404
    listed = api.call('GET', '/v2/images', token=other).json['images']
    assert listed == []
    by_id = api.call('GET', f'/v2/images?id=in:{mine["id"]}', token=other).json['images']
    assert by_id == []

    theirs = api.call('POST', '/v2/images', token=other,
                      json_body={'name': 'theirs', 'disk_format': 'raw',
                                 'container_format': 'bare'}).json
    assert theirs['owner'] != mine['owner']
    assert [i['id'] for i in api.call('GET', '/v2/images', token=other).json['images']] == \
        [theirs['id']]
    assert api.call('GET', path).json == mine  # untouched


def test_reader_may_look_but_not_change(api: ImageApi) -> None:
    member = api.user_token('member', project='shared-proj')
    reader = api.user_token('reader', project='shared-proj')
    image = api.call('POST', '/v2/images', token=member,
                     json_body={'name': 'team', 'disk_format': 'raw',
                                'container_format': 'bare'}).json
    resp = api.call('POST', '/v2/images', token=reader, json_body={'name': 'nope'})
    assert resp.status_int == 403 and resp.text.startswith('403 Forbidden')
    path = f'/v2/images/{image["id"]}'
    assert api.call('GET', path, token=reader).json == image
    assert [i['id'] for i in api.call('GET', '/v2/images', token=reader).json['images']] == \
        [image['id']]
    assert api.patch(image['id'], [{'op': 'replace', 'path': '/name', 'value': 'x'}],
                     token=reader).status_int == 403
    assert api.call('PUT', f'{path}/file', body=b'a', content_type=OCTETS,
                    token=reader).status_int == 403
    assert api.call('DELETE', path, token=reader).status_int == 403
    assert api.call('GET', path, token=member).json == image
    assert len(api.call('GET', '/v2/images', token=member).json['images']) == 1

    assert api.call('PUT', f'{path}/file', body=b'data', content_type=OCTETS,
                    token=member).status_int == 204
    download = api.call('GET', f'{path}/file', token=reader)
    assert download.status_int == 200 and download.body == b'data'
    assert api.call('DELETE', path, token=member).status_int == 204


def test_only_admins_make_images_public(api: ImageApi) -> None:
    member = api.user_token('member')
    body = {'name': 'pub', 'disk_format': 'raw', 'container_format': 'bare'}
    before = api.image_rows()
    resp = api.call('POST', '/v2/images', token=member, json_body={**body,
                                                                   'visibility': 'public'})
    assert resp.status_int == 403 and 'publicize_image' in resp.text
    resp = api.call('POST', '/v2/images', token=member,
                    json_body={**body, 'owner': api.env.ctx.project_id})
    assert resp.status_int == 403
    assert api.image_rows() == before

    own = api.call('POST', '/v2/images', token=member, json_body=body).json
    resp = api.patch(own['id'], [{'op': 'replace', 'path': '/visibility', 'value': 'public'}],
                     token=member)
    assert resp.status_int == 403
    community = api.patch(own['id'], [{'op': 'replace', 'path': '/visibility',
                                       'value': 'community'}], token=member)
    assert community.status_int == 200 and community.json['visibility'] == 'community'

    # The admin may publish; other projects then see the image but cannot change it.
    public = api.create(name='for-everyone', visibility='public')
    path = f'/v2/images/{public["id"]}'
    assert api.call('GET', path, token=member).json == public
    assert api.patch(public['id'], [{'op': 'replace', 'path': '/name', 'value': 'mine'}],
                     token=member).status_int == 403
    assert api.call('DELETE', path, token=member).status_int == 403
    assert api.call('GET', path).json == public
    made_public = api.patch(own['id'], [{'op': 'replace', 'path': '/visibility',
                                         'value': 'public'}])
    assert made_public.status_int == 200 and made_public.json['visibility'] == 'public'
