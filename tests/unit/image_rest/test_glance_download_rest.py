"""glance-download over HTTP: the synchronous checks of POST /v2/images/{id}/import."""

from __future__ import annotations

import os

from tests.unit.image_rest.conftest import ImageApi

REMOTE_ID = '36d4b546-64a2-4bb9-bdd0-ba676aa48f2c'


def _body(image_id: str) -> dict[str, object]:
    return {'method': {'name': 'glance-download', 'glance_image_id': image_id,
                       'glance_region': 'RegionOne', 'glance_service_interface': 'public'}}


def test_an_id_not_like_a_uuid_is_400_naming_it(api: ImageApi) -> None:
    image = api.create(name='dst')
    resp = api.call('POST', f'/v2/images/{image["id"]}/import', json_body=_body('foo'))
    assert resp.status_int == 400
    assert 'image id does not look like a UUID' in resp.text
    assert 'glance_image_id' in resp.text
    assert api.call('GET', f'/v2/images/{image["id"]}/tasks').json == {'tasks': []}


def test_an_image_not_queued_is_409(api: ImageApi) -> None:
    image = api.create(name='dst')
    staged = api.call('PUT', f'/v2/images/{image["id"]}/stage', body=os.urandom(64),
                      content_type='application/octet-stream')
    assert staged.status_int == 204
    resp = api.call('POST', f'/v2/images/{image["id"]}/import', json_body=_body(REMOTE_ID))
    assert resp.status_int == 409, resp.text
    assert api.call('GET', f'/v2/images/{image["id"]}').json['status'] == 'uploading'


def test_glance_download_is_listed(api: ImageApi) -> None:
    methods = api.call('GET', '/v2/info/import').json['import-methods']['value']
    assert 'glance-download' in methods
