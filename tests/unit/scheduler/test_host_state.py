"""HostState: free resources with allocation ratios, reserved RAM, up/down."""

from __future__ import annotations

import datetime

from nova_lite.common import timeutils
from nova_lite.db.models import scheduler as models
from nova_lite.scheduler import host_state
from tests.unit.scheduler.helpers import make_state


def _node(**overrides: object) -> models.ComputeNode:
    values: dict[str, object] = dict(
        id='n1', host='h1', hypervisor_type='test', availability_zone='az1', enabled=True,
        vcpus=4, memory_mb=2048, local_gb=50, vcpus_used=3, memory_mb_used=1024,
        local_gb_used=10, cpu_allocation_ratio=4.0, ram_allocation_ratio=1.5,
        disk_allocation_ratio=2.0, reserved_memory_mb=512,
        capabilities={'architecture': 'x86_64'}, last_seen_at=timeutils.utcnow())
    values.update(overrides)
    return models.ComputeNode(**values)


def test_free_resources_apply_ratios_and_reserved_memory() -> None:
    state = host_state.HostState.from_compute_node(_node(), service_down_time=60)
    assert state.free_vcpus == 4 * 4.0 - 3
    assert state.free_ram_mb == 2048 * 1.5 - 512 - 1024
    assert state.free_disk_gb == 50 * 2.0 - 10
    assert state.availability_zone == 'az1'
    assert state.capabilities == {'architecture': 'x86_64'}
    assert state.enabled and state.up


def test_overcommitted_host_has_negative_room() -> None:
    state = make_state(vcpus=2, vcpus_used=5, cpu_allocation_ratio=2.0)
    assert state.free_vcpus == -1


def test_up_depends_on_service_down_time() -> None:
    now = datetime.datetime(2024, 1, 1, 12, 0, 0)
    recent = _node(last_seen_at=now - datetime.timedelta(seconds=59))
    stale = _node(last_seen_at=now - datetime.timedelta(seconds=61))
    never = _node(last_seen_at=None)
    assert host_state.HostState.from_compute_node(recent, service_down_time=60, now=now).up
    assert not host_state.HostState.from_compute_node(stale, service_down_time=60, now=now).up
    assert not host_state.HostState.from_compute_node(never, service_down_time=60, now=now).up


def test_credited_gives_back_a_claim() -> None:
    state = make_state(vcpus_used=2, memory_mb_used=1024, local_gb_used=20)
    credited = state.credited(vcpus=1, memory_mb=512, disk_gb=10)
    assert (credited.free_vcpus, credited.free_ram_mb, credited.free_disk_gb) == (
        state.free_vcpus + 1, state.free_ram_mb + 512, state.free_disk_gb + 10)
    assert state.vcpus_used == 2  # the original is unchanged


def test_node_to_dict_is_plain_data() -> None:
    node = _node(last_seen_at=datetime.datetime(2024, 1, 1, 12, 0, 0),
                 created_at=datetime.datetime(2024, 1, 1))
    data = host_state.node_to_dict(node, service_down_time=60,
                                   now=datetime.datetime(2024, 1, 1, 12, 0, 30))
    assert data['last_seen_at'] == '2024-01-01T12:00:00Z'
    assert data['up'] is True
    assert data['free_ram_mb'] == 2048 * 1.5 - 512 - 1024
    assert data['vcpus_used'] == 3 and data['vcpus'] == 4
