"""Multiple stores through the image API: /v2/info/stores, X-Image-Meta-Store, the
import's stores, copy-image and DELETE /v2/stores/{store_id}/{image_id}."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator

import pytest

from nova_lite.api import auth
from nova_lite.db import api as db_api
from nova_lite.image import manager as image_manager
from nova_lite.image import rest as image_rest
from nova_lite.image.backends import multi
from tests.unit.image_rest.conftest import PUBLIC_URL, ImageApi

OCTETS = 'application/octet-stream'
DATA = os.urandom(4096 + 5)


@dataclasses.dataclass(frozen=True)
class _Services:
    images: image_manager.ImageManager
    db: db_api.Database


@pytest.fixture
def mapi(api_factory: Callable[[], ImageApi]) -> Iterator[ImageApi]:
    """The image API over two file stores: fast (weight 100, default) and cheap (50)."""
    base = api_factory()
    conf = base.env.cloud.conf
    state = conf.state_path
    overrides = {'stores': ['fast:file', 'cheap:file'], 'default_store': 'fast',
                 'store_weights': {'fast': '100', 'cheap': '50'},
                 'store_datadirs': {'fast': os.path.join(state, 'fast'),
                                    'cheap': os.path.join(state, 'cheap')}}
    for name, value in overrides.items():
        conf.set_override(name, value, group='image')
    cloud_services = base.env.cloud.services
    images = image_manager.ImageManager(conf, cloud_services.db, multi.load_stores(conf))
    app = image_rest.make_app(
        conf, _Services(images, cloud_services.db),
        lambda inner: auth.LocalTokenAuth(inner, cloud_services.identity.validate_token),
        PUBLIC_URL)
    yield ImageApi(base.env, app)
    images.imports.wait(timeout=30)
    for name in overrides:
        conf.clear_override(name, group='image')


def _upload(api: ImageApi, image_id: str, store: str | None = None) -> int:
    headers = {'X-Image-Meta-Store': store} if store else None
    return api.call('PUT', f'/v2/images/{image_id}/file', body=DATA, content_type=OCTETS,
                    headers=headers).status_int


def test_info_stores_lists_every_store_with_its_weight(mapi: ImageApi) -> None:
    resp = mapi.call('GET', '/v2/info/stores')
    assert resp.status_int == 200
    stores = resp.json['stores']
    assert [s['id'] for s in stores] == ['fast', 'cheap']
    assert stores[0]['default'] is True and 'default' not in stores[1]
    assert [s['weight'] for s in stores] == [100, 50]
    assert all(s['description'] for s in stores)


def test_info_stores_with_one_store(api: ImageApi) -> None:
    stores = api.call('GET', '/v2/info/stores').json['stores']
    assert stores == [{'id': 'file', 'default': True, 'description': stores[0]['description']}]


def test_upload_honours_the_store_header(mapi: ImageApi) -> None:
    image = mapi.create()
    assert _upload(mapi, image['id'], 'cheap') == 204
    assert mapi.call('GET', f'/v2/images/{image["id"]}').json['stores'] == 'cheap'
    assert mapi.call('GET', f'/v2/images/{image["id"]}/file').body == DATA


def test_upload_to_an_unknown_store_is_400(mapi: ImageApi) -> None:
    image = mapi.create()
    resp = mapi.call('PUT', f'/v2/images/{image["id"]}/file', body=DATA, content_type=OCTETS,
                     headers={'X-Image-Meta-Store': 'nowhere'})
    assert resp.status_int == 400 and 'X-Image-Meta-Store' in resp.text
    assert mapi.call('GET', f'/v2/images/{image["id"]}').json['status'] == 'queued'


def test_copy_image_then_delete_from_store(mapi: ImageApi) -> None:
    image = mapi.create()
    assert _upload(mapi, image['id']) == 204
    info = mapi.call('GET', '/v2/info/import').json['import-methods']['value']
    assert 'copy-image' in info
    resp = mapi.call('POST', f'/v2/images/{image["id"]}/import',
                     json_body={'method': {'name': 'copy-image'}, 'all_stores': True,
                                'all_stores_must_succeed': False})
    assert resp.status_int == 202, resp.text
    path = f'/v2/images/{image["id"]}'
    for _ in range(300):
        shown = mapi.call('GET', path).json
        if shown.get('os_glance_importing_to_stores') == '':
            break
        time.sleep(0.05)
    assert shown['stores'] == 'fast,cheap' and shown['os_glance_failed_import'] == ''
    assert mapi.call('DELETE', f'/v2/stores/fast/{image["id"]}').status_int == 204
    assert mapi.call('GET', path).json['stores'] == 'cheap'
    assert mapi.call('DELETE', f'/v2/stores/cheap/{image["id"]}').status_int == 409
    assert mapi.call('DELETE', f'/v2/stores/fast/{image["id"]}').status_int == 404
    assert mapi.call('DELETE', f'/v2/stores/nowhere/{image["id"]}').status_int == 404
    assert mapi.call('GET', f'{path}/file').body == DATA


def test_import_to_unknown_store_is_400(mapi: ImageApi) -> None:
    image = mapi.create()
    staged = mapi.call('PUT', f'/v2/images/{image["id"]}/stage', body=DATA,
                       content_type=OCTETS)
    assert staged.status_int == 204
    resp = mapi.call('POST', f'/v2/images/{image["id"]}/import',
                     json_body={'method': {'name': 'glance-direct'}, 'stores': ['nowhere']})
    assert resp.status_int == 400 and 'stores' in resp.text


def test_delete_from_store_is_for_admins(mapi: ImageApi) -> None:
    member = mapi.user_token('member', project='somebody')
    image = mapi.call('POST', '/v2/images', token=member,
                      json_body={'disk_format': 'raw', 'container_format': 'bare'}).json
    assert mapi.call('PUT', f'/v2/images/{image["id"]}/file', body=DATA,
                     content_type=OCTETS, token=member).status_int == 204
    resp = mapi.call('DELETE', f'/v2/stores/fast/{image["id"]}', token=member)
    assert resp.status_int == 403
    assert mapi.call('GET', f'/v2/images/{image["id"]}', token=member).json['stores'] == 'fast'
