"""Server metadata (/servers/{id}/metadata) and addresses (/servers/{id}/ips)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from nova_lite.common.states import TaskState
from tests.unit.compute_rest.conftest import ComputeEnv


@pytest.fixture(scope='module')
def server_id(compute: ComputeEnv) -> str:
    return compute.boot('meta-vm', metadata={'a': '1'}, with_volume=False)['id']


def test_metadata_replace_update_and_items(compute: ComputeEnv, server_id: str) -> None:
    path = f'/servers/{server_id}/metadata'
    assert compute.admin.get(path).json == {'metadata': {'a': '1'}}

    replaced = compute.admin.request('PUT', path, {'metadata': {'b': '2', 'c': '3'}})
    assert replaced.status_int == 200 and replaced.json == {'metadata': {'b': '2', 'c': '3'}}
    updated = compute.admin.post(path, {'metadata': {'c': 'x', 'd': ''}})
    assert updated.json == {'metadata': {'b': '2', 'c': 'x', 'd': ''}}

    assert compute.admin.get(f'{path}/b').json == {'meta': {'b': '2'}}
    item = compute.admin.request('PUT', f'{path}/e', {'meta': {'e': '5'}})
    assert item.status_int == 200 and item.json == {'meta': {'e': '5'}}
    assert compute.admin.delete(f'{path}/b').status_int == 204
    assert compute.admin.get(f'{path}/b').status_int == 404
    assert compute.admin.delete(f'{path}/b').status_int == 404
    server = compute.admin.get(f'/servers/{server_id}').json['server']
    assert server['metadata'] == {'c': 'x', 'd': '', 'e': '5'}
    # A reader reads, and may not change.
    assert compute.reader.get(path).status_int == 200
    assert compute.reader.post(path, {'metadata': {'z': '1'}}).status_int == 403
    assert compute.member.get(path).status_int == 404  # another project's server


@pytest.mark.parametrize(('method', 'suffix', 'body', 'field'), [
    ('PUT', '', {'metadata': {'': 'x'}}, 'metadata'),
    ('POST', '', {'metadata': {'k' * 256: 'x'}}, 'metadata'),
    ('POST', '', {'metadata': {'k': 'v' * 256}}, 'metadata'),
    ('PUT', '', {'meta': {'k': 'v'}}, 'metadata'),
    ('PUT', '/k', {'meta': {'k': 'v', 'l': 'w'}}, 'meta'),
    ('PUT', '/k', {'meta': {'other': 'v'}}, 'mismatch'),
])
def test_metadata_bad_input_is_400(compute: ComputeEnv, server_id: str, method: str,
                                   suffix: str, body: dict[str, object], field: str) -> None:
    response = compute.admin.request(method, f'/servers/{server_id}/metadata{suffix}', body)
    assert response.status_int == 400, response.text
    assert field in response.json['badRequest']['message']


def test_metadata_limit_is_403(compute: ComputeEnv, server_id: str) -> None:
    many = {f'key{n}': 'v' for n in range(129)}
    for method in ('PUT', 'POST'):
        response = compute.admin.request(method, f'/servers/{server_id}/metadata',
                                         {'metadata': many})
        assert response.status_int == 403, response.text
        assert 'metadata_items' in response.json['forbidden']['message']


def test_metadata_unknown_server_is_404(compute: ComputeEnv) -> None:
    path = f'/servers/{uuid.uuid4()}/metadata'
    assert compute.admin.get(path).status_int == 404
    assert compute.admin.request('PUT', path, {'metadata': {}}).status_int == 404


def test_metadata_change_during_a_task_is_409(compute: ComputeEnv, server_id: str) -> None:
    instances = compute.cloud.instances
    instances.update(server_id, task_state=TaskState.REBOOTING)
    try:
        response = compute.admin.post(f'/servers/{server_id}/metadata',
                                      {'metadata': {'k': 'v'}})
        assert response.status_int == 409, response.text
    finally:
        instances.update(server_id, task_state=None)


def test_ips_by_network(compute: ComputeEnv, server_id: str) -> None:
    ips = compute.admin.get(f'/servers/{server_id}/ips')
    assert ips.status_int == 200
    [address] = ips.json['addresses']['net']
    assert set(address) == {'version', 'addr'} and address['version'] == 4
    by_label = compute.admin.get(f'/servers/{server_id}/ips/net')
    assert by_label.json == {'net': [address]}
    assert compute.admin.get(f'/servers/{server_id}/ips/nope').status_int == 404
    assert compute.member.get(f'/servers/{server_id}/ips').status_int == 404


def test_tags(compute: ComputeEnv, server_id: str) -> None:
    v226 = {'OpenStack-API-Version': 'compute 2.26'}
    path = f'/servers/{server_id}/tags'

    def call(method: str, suffix: str = '', body: object = None, client: Any = None) -> Any:
        kwargs: dict[str, Any] = {'headers': v226}
        if body is not None:
            kwargs['body'] = body
        return (client or compute.admin).request(method, path + suffix, **kwargs)

    assert call('GET').json == {'tags': []}
    replaced = call('PUT', body={'tags': ['a', 'b', 'a']})
    assert replaced.status_int == 200 and replaced.json == {'tags': ['a', 'b']}
    added = call('PUT', '/c')
    assert added.status_int == 201 and added.headers['Location'].endswith(f'{path}/c')
    assert call('PUT', '/c').status_int == 204
    assert call('GET', '/c').status_int == 204
    assert call('DELETE', '/a').status_int == 204
    assert call('GET', '/a').status_int == 404
    assert call('DELETE', '/a').status_int == 404
    assert call('GET').json == {'tags': ['b', 'c']}
    listed = compute.admin.get('/servers?tags=c', headers=v226).json['servers']
    assert server_id in [s['id'] for s in listed]
    assert call('PUT', body={'tags': ['x,y']}).status_int == 400
    assert call('PUT', body={'tags': [f't{n}' for n in range(51)]}).status_int == 400
    assert call('PUT', '/' + 'x' * 61).status_int == 400
    assert call('GET', client=compute.reader).status_int == 200
    assert call('PUT', '/d', client=compute.reader).status_int == 403
    assert call('GET', client=compute.member).status_int == 404
    assert call('DELETE').status_int == 204
    assert call('GET').json == {'tags': []}
