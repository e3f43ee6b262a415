"""``GET /v2/images`` filters, sort orders, paging and the visibility rules of the list."""

from __future__ import annotations

import datetime
import urllib.parse
from typing import Any

from tests.unit.image_rest.conftest import ImageApi

OCTETS = 'application/octet-stream'


def _ids(api: ImageApi, query: str, **kwargs: Any) -> list[str]:
    resp = api.call('GET', f'/v2/images?{query}', **kwargs)
    assert resp.status_int == 200, (query, resp.text)
    return [image['id'] for image in resp.json['images']]


def _uploaded(api: ImageApi, size: int, **fields: Any) -> dict[str, Any]:
    image = api.create(**fields)
    resp = api.call('PUT', f'/v2/images/{image["id"]}/file', body=b'x' * size,
                    content_type=OCTETS)
    assert resp.status_int == 204, resp.text
    return api.call('GET', f'/v2/images/{image["id"]}').json


def test_core_filters(api: ImageApi) -> None:
    small = _uploaded(api, 10, name='small', tags=['red', 'round'], visibility='private')
    big = _uploaded(api, 1000, name='big', tags=['red'], disk_format='qcow2',
                    container_format='ovf', protected=True)
    queued = api.create(name='queued', tags=['round'])
    assert _ids(api, 'tag=red') == [big['id'], small['id']]
    assert _ids(api, 'tag=red&tag=round') == [small['id']]
    assert _ids(api, 'disk_format=qcow2') == [big['id']]
    assert _ids(api, 'container_format=in:ovf,bare&name=in:big,small') == [big['id'],
                                                                           small['id']]
    assert _ids(api, 'visibility=private') == [small['id']]
    assert _ids(api, 'size=10') == [small['id']]
    ranged = _ids(api, 'size_min=11&size_max=5000')
    assert big['id'] in ranged and small['id'] not in ranged
    assert all(11 <= row['size'] <= 5000 for row in api.image_rows() if row['id'] in ranged)
    assert _ids(api, 'protected=true') == [big['id']]
    assert queued['id'] in _ids(api, 'protected=false')
    owned_active = _ids(api, f'owner={small["owner"]}&status=active')
    assert owned_active[:2] == [big['id'], small['id']] and queued['id'] not in owned_active
    assert _ids(api, 'owner=nobody') == []


def test_time_filters(api: ImageApi) -> None:
    image = api.create(name='timed')
    created = datetime.datetime.fromisoformat(image['created_at'].replace('Z', '+00:00'))
    before = urllib.parse.quote((created - datetime.timedelta(seconds=1)).isoformat())
    after = urllib.parse.quote((created + datetime.timedelta(seconds=2)).isoformat())
    assert image['id'] in _ids(api, f'created_at=gte:{before}&created_at=lt:{after}')
    assert image['id'] not in _ids(api, f'created_at=gt:{after}')
    assert image['id'] in _ids(api, f'updated_at=lte:{after}')
    for bad in ('created_at=gte:yesterday', 'created_at=after:2020-01-01T00:00:00Z'):
        resp = api.call('GET', f'/v2/images?{bad}')
        assert resp.status_int == 400 and 'created_at' in resp.text, bad


def test_sorting_and_paging(api: ImageApi) -> None:
    made = [_uploaded(api, size, name=name) for size, name in
            [(30, 'b'), (10, 'c'), (20, 'a')]]
    sizes = {image['id']: image['size'] for image in made}

    def sizes_in(query: str) -> list[int]:
        return [sizes[i] for i in _ids(api, query) if i in sizes]

    assert sizes_in('sort=size:desc') == [30, 20, 10]
    assert sizes_in('sort_key=size&sort_dir=asc') == [10, 20, 30]
    assert sizes_in('sort=name:asc,size:desc') == [20, 30, 10]
    assert sizes_in('sort_key=name&sort_key=size&sort_dir=desc') == [10, 30, 20]

    seen: list[str] = []
    page = api.call('GET', '/v2/images?limit=1&sort=size:asc').json
    while True:
        seen += [image['id'] for image in page['images']]
        if 'next' not in page:
            break
        assert 'sort=size' in page['next']
        page = api.call('GET', page['next']).json
    assert len(seen) == len(set(seen)) == len(api.image_rows())
    assert [sizes[i] for i in seen if i in sizes] == [10, 20, 30]
    for bad in ('sort_key=colour', 'sort_dir=up', 'sort=size:up', 'sort=size&sort_key=name',
                'sort_key=name&sort_key=size&sort_dir=asc&sort_dir=desc&sort_dir=asc',
                'size_min=-1', 'visibility=everyone', 'protected=maybe'):
        assert api.call('GET', f'/v2/images?{bad}').status_int == 400, bad


def test_visibility_rules_of_the_list(api: ImageApi) -> None:
    admin_images = {v: api.create(name=v, visibility=v)['id']
                    for v in ('public', 'community', 'private', 'shared')}
    hidden = api.create(name='hidden', visibility='public', os_hidden=True)['id']
    user = api.user_token('member', project='lister')
    assert _ids(api, '', token=user) == [admin_images['public']]
    assert _ids(api, 'visibility=community', token=user) == [admin_images['community']]
    assert sorted(_ids(api, 'visibility=all', token=user)) == sorted(
        [admin_images['public'], admin_images['community']])
    assert _ids(api, 'visibility=private', token=user) == []
    assert _ids(api, 'os_hidden=true', token=user) == [hidden]
    everything = _ids(api, 'visibility=all')
    assert set(admin_images.values()) <= set(everything) and hidden not in everything


def test_other_parameters_filter_on_extra_properties(api: ImageApi) -> None:
    daily = api.create(name='daily', image_type='backup', backup_type='daily')
    weekly = api.create(name='weekly', image_type='backup', backup_type='weekly')
    plain = api.create(name='plain')
    assert _ids(api, 'image_type=backup&backup_type=daily') == [daily['id']]
    assert _ids(api, 'image_type=backup') == [weekly['id'], daily['id']]
    assert plain['id'] not in _ids(api, 'image_type=backup')
    assert _ids(api, 'backup_type=monthly') == []
