"""Concurrent boots in an anti-affinity group: the spawn's host recheck keeps them apart.

The group filters are turned off and the RAM weigher stacks instances, so the
scheduler sends both boots to the same host; only the recheck under the
group's lock (before the spawn) can move the second one to another host, or,
with a single host, fail it (no valid host: ERROR).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from nova_lite import embedded
from tests.conftest import make_cloud_conf
from tests.functional.conftest import CloudEnv
from tests.unit.compute_rest.conftest import ComputeEnv

_FILTERS_WITHOUT_GROUPS = ['ComputeFilter', 'AvailabilityZoneFilter', 'RamFilter',
                           'DiskFilter', 'VcpuFilter', 'ImagePropertiesFilter']


def _cloud(tmp_path_factory: pytest.TempPathFactory, hosts: list[str]) -> Iterator[ComputeEnv]:
    config = make_cloud_conf(tmp_path_factory.mktemp('placement'))
    config.set_override('enabled_filters', _FILTERS_WITHOUT_GROUPS, group='scheduler')
    config.set_override('ram_weight_multiplier', -1.0, group='scheduler')
    cloud = embedded.EmbeddedCloud(config, hosts=hosts)
    cloud.start()
    try:
        yield ComputeEnv(CloudEnv(cloud))
    finally:
        cloud.stop()
        config.reset()


@pytest.fixture
def two_hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ComputeEnv]:
    yield from _cloud(tmp_path_factory, ['host1', 'host2'])


@pytest.fixture
def one_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ComputeEnv]:
    yield from _cloud(tmp_path_factory, ['host1'])


def _boot_both(compute: ComputeEnv) -> list[str]:
    """Two boots into one anti-affinity group, posted at the same time."""
    group = compute.admin.post('/os-server-groups', {
        'server_group': {'name': 'apart', 'policies': ['anti-affinity']}})
    assert group.status_int == 200, group.text
    start = threading.Barrier(2)
    ids: list[str] = []

    def boot(name: str) -> None:
        start.wait()
        response = compute.admin.post('/servers', {
            'server': compute.server_body(name, with_volume=False),
            'os:scheduler_hints': {'group': group.json['server_group']['id']}})
        assert response.status_int == 202, response.text
        ids.append(response.json['server']['id'])

    threads = [threading.Thread(target=boot, args=(name,)) for name in ('vm-a', 'vm-b')]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 2
    return ids


def _settled(compute: ComputeEnv, server_id: str) -> dict[str, Any]:
    for status in ('ACTIVE', 'ERROR'):
        try:
            return compute.wait(server_id, status=status, timeout=60)
        except AssertionError:
            continue
    raise AssertionError(f'{server_id} never settled')


def test_two_hosts_take_one_member_each(two_hosts: ComputeEnv) -> None:
    servers = [two_hosts.wait(server_id, timeout=60) for server_id in _boot_both(two_hosts)]
    assert sorted(s['OS-EXT-SRV-ATTR:host'] for s in servers) == ['host1', 'host2']


def test_one_host_takes_one_member_the_other_fails(one_host: ComputeEnv) -> None:
    servers = [_settled(one_host, server_id) for server_id in _boot_both(one_host)]
    assert sorted(s['status'] for s in servers) == ['ACTIVE', 'ERROR']
    [failed] = [s for s in servers if s['status'] == 'ERROR']
    assert 'No valid host' in failed['fault']['message']


def test_scheduler_filters_a_second_member_off_the_only_host(
        compute: ComputeEnv) -> None:
    """With the default filters, the scheduler itself sees the first member's host."""
    group = compute.admin.post('/os-server-groups', {
        'server_group': {'name': 'filtered', 'policies': ['anti-affinity']}})
    hint = {'group': group.json['server_group']['id']}
    first = compute.admin.post('/servers', {
        'server': compute.server_body('first', with_volume=False), 'os:scheduler_hints': hint})
    compute.wait(first.json['server']['id'])
    second = compute.admin.post('/servers', {
        'server': compute.server_body('second', with_volume=False), 'os:scheduler_hints': hint})
    failed = compute.wait(second.json['server']['id'], status='ERROR')
    faults = compute.cloud.instances.get(failed['id'])['fault']
    assert 'ServerGroupAntiAffinityFilter: 1 -> 0' in (faults['message'] + faults['details'])
