"""os-aggregates and os-availability-zone: CRUD, actions, zones and their conflicts,
and the scheduler placing servers by an aggregate's zone."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from tests.unit.compute_rest.conftest import ComputeEnv


def _v(version: str) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {version}'}


@pytest.fixture
def host2(compute: ComputeEnv) -> Iterator[str]:
    scheduler = compute.cloud.services.scheduler_rpcapi
    ctx = nl_context.get_admin_context()
    scheduler.update_compute_node(ctx, 'host2', {'vcpus': 2, 'memory_mb': 2048,
                                                 'local_gb': 20, 'hypervisor_type': 'fake'})
    yield 'host2'
    with contextlib.suppress(exception.NotFound):
        scheduler.delete_compute_node(ctx, 'host2')


def _create(compute: ComputeEnv, name: str, zone: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {'name': name}
    if zone is not None:
        body['availability_zone'] = zone
    response = compute.admin.post('/os-aggregates', {'aggregate': body})
    assert response.status_int == 200, response.text
    aggregate: dict[str, Any] = response.json['aggregate']
    return aggregate


def _action(compute: ComputeEnv, aggregate_id: int, body: dict[str, Any],
            status: int = 200) -> dict[str, Any]:
    response = compute.admin.post(f'/os-aggregates/{aggregate_id}/action', body)
    assert response.status_int == status, response.text
    return response.json if status == 200 else {}


def _cleanup(compute: ComputeEnv, aggregate: dict[str, Any]) -> None:
    shown = compute.admin.get(f'/os-aggregates/{aggregate["id"]}').json['aggregate']
    for host in shown['hosts']:
        _action(compute, aggregate['id'], {'remove_host': {'host': host}})
    assert compute.admin.delete(f'/os-aggregates/{aggregate["id"]}').status_int == 200


def test_aggregate_crud_and_shapes(compute: ComputeEnv) -> None:
    created = _create(compute, 'agg-crud')
    assert set(created) == {'id', 'name', 'availability_zone', 'created_at', 'updated_at',
                            'deleted', 'deleted_at'}
    assert isinstance(created['id'], int) and created['availability_zone'] is None
    path = f'/os-aggregates/{created["id"]}'
    shown = compute.admin.get(path).json['aggregate']
    assert shown['hosts'] == [] and shown['metadata'] == {} and 'uuid' not in shown
    assert len(compute.admin.get(path, headers=_v('2.41')).json['aggregate']['uuid']) == 36
    assert created['id'] in {a['id'] for a in compute.admin.get('/os-aggregates').json[
        'aggregates']}
    updated = compute.admin.request('PUT', path, {'aggregate': {'name': 'agg-renamed',
                                                                'availability_zone': 'az-x'}})
    assert updated.status_int == 200, updated.text
    body = updated.json['aggregate']
    assert body['name'] == 'agg-renamed' and body['availability_zone'] == 'az-x'
    assert body['metadata'] == {'availability_zone': 'az-x'} and body['updated_at']
    metadata = _action(compute, created['id'], {'set_metadata': {'metadata': {
        'ssd': 'true', 'availability_zone': None}}})['aggregate']
    assert metadata['metadata'] == {'ssd': 'true'} and metadata['availability_zone'] is None
    assert compute.admin.delete(path).status_int == 200
    assert compute.admin.get(path).status_int == 404
    assert compute.admin.delete(path).status_int == 404


def test_aggregate_errors_and_policy(compute: ComputeEnv) -> None:
    aggregate = _create(compute, 'agg-errors')
    path = f'/os-aggregates/{aggregate["id"]}'
    for name in ('', 'x' * 256, ' padded'):
        assert compute.admin.post('/os-aggregates', {'aggregate': {'name': name}}
                                  ).status_int == 400
    assert compute.admin.post('/os-aggregates', {'aggregate': {'name': 'agg-errors'}}
                              ).status_int == 409
    assert compute.admin.post('/os-aggregates', {'aggregate': {
        'name': 'agg-internal', 'availability_zone': 'internal'}}).status_int == 400
    assert compute.admin.request('PUT', path, {'aggregate': {}}).status_int == 400
    assert compute.admin.get('/os-aggregates/999999').status_int == 404
    assert compute.admin.get('/os-aggregates/abc').status_int == 404
    _action(compute, aggregate['id'], {'add_host': {'host': 'no-such-host'}}, 404)
    _action(compute, aggregate['id'], {'remove_host': {'host': 'host1'}}, 404)
    _action(compute, aggregate['id'], {'explode': {}}, 400)
    _action(compute, aggregate['id'], {'set_metadata': {'metadata': {'bad/key!': 'x'}}}, 400)
    for client in (compute.member, compute.reader):
        assert client.get('/os-aggregates').status_int == 403
        assert client.get(path).status_int == 403
        assert client.post('/os-aggregates', {'aggregate': {'name': 'mine'}}).status_int == 403
        assert client.delete(path).status_int == 403
        assert client.post(f'{path}/action', {'add_host': {'host': 'host1'}}
                           ).status_int == 403
    _cleanup(compute, aggregate)


def test_hosts_and_zone_conflicts(compute: ComputeEnv, host2: str) -> None:
    blue = _create(compute, 'agg-blue', 'az-blue')
    green = _create(compute, 'agg-green', 'az-green')
    plain = _create(compute, 'agg-plain')
    added = _action(compute, blue['id'], {'add_host': {'host': host2}})['aggregate']
    assert added['hosts'] == [host2]
    _action(compute, blue['id'], {'add_host': {'host': host2}}, 409)   # already a member
    _action(compute, green['id'], {'add_host': {'host': host2}}, 409)  # another zone
    _action(compute, plain['id'], {'add_host': {'host': host2}})       # no zone: fine
    # Rezoning plain would put host2 in two zones.
    assert compute.admin.request('PUT', f'/os-aggregates/{plain["id"]}', {'aggregate': {
        'availability_zone': 'az-green'}}).status_int == 409
    _action(compute, plain['id'], {'set_metadata': {'metadata': {
        'availability_zone': 'az-green'}}}, 409)
    assert compute.admin.delete(f'/os-aggregates/{blue["id"]}').status_int == 400

    # The zone shows on the host's service and in the zone lists.
    [service] = compute.admin.get(f'/os-services?host={host2}').json['services']
    assert service['zone'] == 'az-blue'
    zones = compute.member.get('/os-availability-zone').json['availabilityZoneInfo']
    assert {z['zoneName'] for z in zones} == {'nova', 'az-blue'}
    assert all(z['hosts'] is None for z in zones)
    detail = compute.admin.get('/os-availability-zone/detail').json['availabilityZoneInfo']
    by_name = {z['zoneName']: z for z in detail}
    assert set(by_name['az-blue']['hosts']) == {host2}
    assert set(by_name['az-blue']['hosts'][host2]) == {'nova-compute'}
    assert 'internal' in by_name and 'nova-scheduler' in next(
        iter(by_name['internal']['hosts'].values()))
    assert compute.member.get('/os-availability-zone/detail').status_int == 403

    for aggregate in (blue, green, plain):
        _cleanup(compute, aggregate)
    [service] = compute.admin.get(f'/os-services?host={host2}').json['services']
    assert service['zone'] == 'nova'


def test_a_boot_into_an_aggregate_zone_lands_on_its_host(compute: ComputeEnv) -> None:
    zoned = _create(compute, 'agg-boot', 'az-boot')
    _action(compute, zoned['id'], {'add_host': {'host': 'host1'}})
    try:
        server = compute.boot('zoned', with_volume=False, availability_zone='az-boot')
        assert server['OS-EXT-AZ:availability_zone'] == 'az-boot'
        failed = compute.create('nowhere', availability_zone='nova')
        assert compute.wait(failed, status='ERROR')['status'] == 'ERROR'
    finally:
        _cleanup(compute, zoned)


def test_a_host_registered_again_gets_its_aggregate_zone_back(compute: ComputeEnv,
                                                              host2: str) -> None:
    zoned = _create(compute, 'agg-heal', 'az-heal')
    _action(compute, zoned['id'], {'add_host': {'host': host2}})
    scheduler = compute.cloud.services.scheduler_rpcapi
    ctx = nl_context.get_admin_context()
    scheduler.delete_compute_node(ctx, host2)
    scheduler.update_compute_node(ctx, host2, {'vcpus': 2, 'memory_mb': 2048, 'local_gb': 20})
    assert scheduler.get_host_usage(ctx, host2)[0]['availability_zone'] == 'nova'
    [service] = compute.admin.get(f'/os-services?host={host2}').json['services']
    assert service['zone'] == 'az-heal'
    assert scheduler.get_host_usage(ctx, host2)[0]['availability_zone'] == 'az-heal'
    _cleanup(compute, zoned)
