"""``/v2/cache``: glance's image cache management API, admin only."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.unit.image_rest.conftest import ImageApi

OCTETS = 'application/octet-stream'
CLEAR = 'x-image-cache-clear-target'


def _active(api: ImageApi, data: bytes = b'cached bits') -> dict[str, Any]:
    image = api.create(name='cache-me')
    resp = api.call('PUT', f"/v2/images/{image['id']}/file", body=data, content_type=OCTETS)
    assert resp.status_int == 204, resp.text
    return image


def _wait_cached(api: ImageApi, image_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = api.call('GET', '/v2/cache').json
        if image_id in [e['image_id'] for e in state['cached_images']]:
            return state
        time.sleep(0.05)
    raise AssertionError(f'image {image_id} was not cached')


def test_cache_cycle(api: ImageApi) -> None:
    member = api.user_token('member', project='cachers')
    assert api.call('GET', '/v2/cache', token=member).status_int == 403
    assert api.call('GET', '/v2/cache').json == {'cached_images': [], 'queued_images': []}
    missing = api.call('PUT', '/v2/cache/non-existing-image-id')
    assert missing.status_int == 404
    queued = api.create(name='no data')
    refused = api.call('PUT', f"/v2/cache/{queued['id']}")
    assert refused.status_int == 400 and 'active' in refused.text
    image = _active(api)
    assert api.call('PUT', f"/v2/cache/{image['id']}", token=member).status_int == 403
    assert api.call('PUT', f"/v2/cache/{image['id']}").status_int == 202
    state = _wait_cached(api, image['id'])
    [entry] = state['cached_images']
    assert set(entry) == {'image_id', 'hits', 'last_accessed', 'last_modified', 'size'}
    assert entry['size'] == len(b'cached bits') and entry['hits'] == 0
    # A download is now a hit.
    assert api.call('GET', f"/v2/images/{image['id']}/file").body == b'cached bits'
    [entry] = api.call('GET', '/v2/cache').json['cached_images']
    assert entry['hits'] == 1
    assert api.call('DELETE', '/v2/cache', token=member).status_int == 403
    assert api.call('DELETE', '/v2/cache').status_int == 204
    assert api.call('GET', '/v2/cache').json == {'cached_images': [], 'queued_images': []}
    bad = api.call('DELETE', '/v2/cache', headers={CLEAR: 'invalid'})
    assert bad.status_int == 400 and CLEAR in bad.text


def test_clear_targets(api: ImageApi) -> None:
    api.env.cloud.images.cache.prefetcher.autostart = False  # the queue stays queued
    cached, queued = _active(api, b'one'), _active(api, b'two')

    def fill() -> None:
        assert api.call('GET', f"/v2/images/{cached['id']}/file").body == b'one'
        assert api.call('PUT', f"/v2/cache/{queued['id']}").status_int == 202

    fill()
    assert api.call('DELETE', '/v2/cache', headers={CLEAR: 'queue'}).status_int == 204
    state = api.call('GET', '/v2/cache').json
    assert [e['image_id'] for e in state['cached_images']] == [cached['id']]
    assert state['queued_images'] == []
    fill()
    assert api.call('DELETE', '/v2/cache', headers={CLEAR: 'Cache'}).status_int == 204
    assert api.call('GET', '/v2/cache').json == {'cached_images': [],
                                                 'queued_images': [queued['id']]}
    fill()
    assert api.call('DELETE', '/v2/cache', headers={CLEAR: 'both'}).status_int == 204
    assert api.call('GET', '/v2/cache').json == {'cached_images': [], 'queued_images': []}


def test_delete_one_image(api: ImageApi) -> None:
    api.env.cloud.images.cache.prefetcher.autostart = False
    image, other = _active(api), _active(api, b'other')
    for one in (image, other):
        assert api.call('GET', f"/v2/images/{one['id']}/file").body in (b'cached bits', b'other')
    assert api.call('PUT', f"/v2/cache/{image['id']}").status_int == 202
    member = api.user_token('member', project='cachers')
    assert api.call('DELETE', f"/v2/cache/{image['id']}", token=member).status_int == 403
    assert api.call('DELETE', f"/v2/cache/{image['id']}").status_int == 204
    state = api.call('GET', '/v2/cache').json
    assert [e['image_id'] for e in state['cached_images']] == [other['id']]
    assert state['queued_images'] == []
    # Neither an image nor cached: 404; an image that is not cached: 204.
    assert api.call('DELETE', f'/v2/cache/{uuid.uuid4()}').status_int == 404
    assert api.call('DELETE', f"/v2/cache/{image['id']}").status_int == 204


def test_deleting_an_image_removes_its_cached_file(api: ImageApi) -> None:
    image = _active(api)
    assert api.call('GET', f"/v2/images/{image['id']}/file").body == b'cached bits'
    assert len(api.call('GET', '/v2/cache').json['cached_images']) == 1
    assert api.call('DELETE', f"/v2/images/{image['id']}").status_int == 204
    assert api.call('GET', '/v2/cache').json['cached_images'] == []


def test_cache_disabled_answers_404(api: ImageApi) -> None:
    conf = api.env.cloud.conf
    conf.set_override('image_cache_dir', '', group='image')
    try:
        resp = api.call('GET', '/v2/cache')
        assert resp.status_int == 404 and 'not supported' in resp.text
        image = _active(api)
        assert api.call('PUT', f"/v2/cache/{image['id']}").status_int == 404
        assert api.call('GET', f"/v2/images/{image['id']}/file").body == b'cached bits'
    finally:
        conf.clear_override('image_cache_dir', group='image')
