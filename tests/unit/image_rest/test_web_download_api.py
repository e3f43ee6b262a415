"""web-download over HTTP: 202 then active, 400 naming method.uri, failure on the image."""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any

from oslo_config import cfg

from tests.unit.image.http_source import HttpSource, http_source  # noqa: F401
from tests.unit.image_rest.conftest import ImageApi

DATA = os.urandom(90 * 1024 + 5)


def _import(api: ImageApi, image_id: str, uri: str, **extra: Any) -> Any:
    return api.call('POST', f'/v2/images/{image_id}/import',
                    json_body={'method': {'name': 'web-download', 'uri': uri}, **extra})


def _wait(api: ImageApi, image_id: str, done: Any) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    image: dict[str, Any] = {}
    while time.monotonic() < deadline:
        image = api.call('GET', f'/v2/images/{image_id}').json
        if done(image):
            return image
        time.sleep(0.05)
    raise AssertionError(f'image {image_id} never got there: {image}')


def _allow(conf: cfg.ConfigOpts, source: HttpSource) -> None:
    conf.set_override('import_allowed_ports', [80, 443, source.port], group='image')


def test_web_download_over_http(api: ImageApi, conf: cfg.ConfigOpts,
                                http_source: HttpSource) -> None:  # noqa: F811
    http_source.data = DATA
    _allow(conf, http_source)
    image = api.create(name='web', disk_format='qcow2')
    resp = _import(api, image['id'], http_source.url('/image'), stores=['file'])
    assert resp.status_int == 202, resp.text
    active = _wait(api, image['id'], lambda i: i['status'] == 'active')
    assert active['checksum'] == hashlib.md5(DATA).hexdigest()
    assert active['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert active['stores'] == 'file' and active['os_glance_failed_import'] == ''
    assert api.call('GET', f'/v2/images/{image["id"]}/file').body == DATA
    [task] = api.call('GET', f'/v2/images/{image["id"]}/tasks').json['tasks']
    assert task['input']['import_req']['method']['uri'] == http_source.url('/image')
    assert task['request_id'] == resp.headers['x-openstack-request-id']


def test_a_uri_refused_by_the_filtering_is_400_naming_method_uri(
        api: ImageApi, http_source: HttpSource) -> None:  # noqa: F811
    image = api.create(name='web')
    resp = _import(api, image['id'], http_source.url('/image'))  # its port is not allowed
    assert resp.status_int == 400
    assert "'method.uri'" in resp.text and 'does not pass filtering' in resp.text
    assert http_source.requests == []
    assert api.call('GET', f'/v2/images/{image["id"]}').json['status'] == 'queued'
    assert api.call('GET', f'/v2/images/{image["id"]}/tasks').json == {'tasks': []}


def test_a_failed_download_marks_the_image_and_the_task(
        api: ImageApi, conf: cfg.ConfigOpts, http_source: HttpSource) -> None:  # noqa: F811
    _allow(conf, http_source)
    image = api.create(name='web')
    resp = _import(api, image['id'], http_source.url('/no/possible/way'))
    assert resp.status_int == 202, resp.text
    failed = _wait(api, image['id'], lambda i: bool(i.get('os_glance_failed_import')))
    assert failed['status'] == 'queued' and failed['os_glance_failed_import'] == 'file'
    deadline = time.monotonic() + 30
    while True:
        [task] = api.call('GET', f'/v2/images/{image["id"]}/tasks').json['tasks']
        if task['status'] == 'failure' or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert task['status'] == 'failure' and '404' in task['message']
