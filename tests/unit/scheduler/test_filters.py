"""Each host filter, and the handler that runs them in order."""

from __future__ import annotations

import pytest
from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.scheduler.filters import (
    availability_zone_filter,
    base,
    compute_filter,
    image_props_filter,
    resource_filters,
)
from tests.unit.scheduler.helpers import make_state, spec


def test_compute_filter_needs_enabled_and_up() -> None:
    flt = compute_filter.ComputeFilter()
    assert flt.host_passes(make_state(), spec())
    assert not flt.host_passes(make_state(enabled=False), spec())
    assert not flt.host_passes(make_state(up=False), spec())
    assert flt.name == 'ComputeFilter'


def test_ram_filter_applies_ratio_and_reserved() -> None:
    flt = resource_filters.RamFilter()
    wants_1024 = spec(flavor={'vcpus': 1, 'memory_mb': 1024, 'root_gb': 1})
    # 1024 * 1.5 - 256 reserved - 256 used = 1024: exactly enough.
    exact = make_state(memory_mb=1024, ram_allocation_ratio=1.5, reserved_memory_mb=256,
                       memory_mb_used=256)
    assert flt.host_passes(exact, wants_1024)
    assert not flt.host_passes(make_state(memory_mb=1024, memory_mb_used=1), wants_1024)


def test_disk_filter_counts_root_ephemeral_and_swap_rounded_up() -> None:
    flt = resource_filters.DiskFilter()
    # 5 + 3 + ceil(1025 MiB / 1024) = 10 GiB.
    wants = spec(flavor={'vcpus': 1, 'memory_mb': 64, 'root_gb': 5, 'ephemeral_gb': 3,
                         'swap': 1025})
    assert flt.host_passes(make_state(local_gb=10), wants)
    assert not flt.host_passes(make_state(local_gb=9), wants)
    assert flt.host_passes(make_state(local_gb=5, disk_allocation_ratio=2.0), wants)


def test_vcpu_filter_applies_overcommit() -> None:
    flt = resource_filters.VcpuFilter()
    wants = spec(flavor={'vcpus': 4, 'memory_mb': 64, 'root_gb': 0})
    assert flt.host_passes(make_state(vcpus=2, cpu_allocation_ratio=2.0), wants)
    assert not flt.host_passes(make_state(vcpus=2, cpu_allocation_ratio=1.0), wants)
    assert not flt.host_passes(make_state(vcpus=2, cpu_allocation_ratio=2.0, vcpus_used=1),
                               wants)


def test_resource_filter_rejects_a_bad_flavor() -> None:
    with pytest.raises(exception.InvalidInput, match='flavor.memory_mb'):
        resource_filters.RamFilter().host_passes(
            make_state(), spec(flavor={'vcpus': 1, 'memory_mb': -1, 'root_gb': 1}))


def test_availability_zone_filter() -> None:
    flt = availability_zone_filter.AvailabilityZoneFilter()
    in_az1 = make_state(availability_zone='az1')
    assert flt.host_passes(in_az1, spec(availability_zone='az1'))
    assert not flt.host_passes(in_az1, spec(availability_zone='az2'))
    assert flt.host_passes(in_az1, spec(availability_zone=None))
    assert flt.host_passes(in_az1, {'flavor': {}})


@pytest.mark.parametrize(('properties', 'passes'), [
    ({}, True),
    ({'hw_architecture': 'x86_64'}, True),
    ({'hw_architecture': 'AMD64'}, True),
    ({'hw_architecture': 'aarch64'}, False),
    ({'img_hv_type': 'test'}, True),
    ({'img_hv_type': 'kvm'}, False),
    ({'hypervisor_type': 'TEST'}, True),
    ({'hw_architecture': 'x86_64', 'img_hv_type': 'qemu'}, False),
])
def test_image_properties_filter(properties: dict[str, str], passes: bool) -> None:
    flt = image_props_filter.ImagePropertiesFilter()
    state = make_state(capabilities={'architecture': 'x86_64', 'hypervisor_type': 'test'})
    request = spec(image={'id': 'img', 'properties': properties})
    assert flt.host_passes(state, request) is passes


def test_image_properties_filter_host_without_capabilities() -> None:
    flt = image_props_filter.ImagePropertiesFilter()
    bare = make_state(capabilities={}, hypervisor_type='test')
    assert not flt.host_passes(bare, spec(image={'properties': {'hw_architecture': 'x86_64'}}))
    # The node's own hypervisor type stands in for a missing capability.
    assert flt.host_passes(bare, spec(image={'properties': {'img_hv_type': 'test'}}))
    assert flt.host_passes(bare, spec(image=None))


def test_handler_loads_enabled_filters_in_order(conf: cfg.ConfigOpts) -> None:
    conf.set_override('enabled_filters', ['VcpuFilter', 'ComputeFilter', 'RamFilter'],
                      group='scheduler')
    handler = base.FilterHandler(conf)
    assert handler.names == ['VcpuFilter', 'ComputeFilter', 'RamFilter']


def test_handler_reports_what_each_filter_removed(conf: cfg.ConfigOpts) -> None:
    handler = base.FilterHandler(conf)
    hosts = [make_state('a'), make_state('b', enabled=False), make_state('c', memory_mb=256),
             make_state('d', availability_zone='other')]
    passed, results = handler.filter_hosts(hosts, spec(availability_zone='nova'))
    assert [state.host for state in passed] == ['a']
    assert [(r.name, r.hosts_in, r.hosts_out) for r in results] == [
        ('ComputeFilter', 4, 3), ('AvailabilityZoneFilter', 3, 2), ('RamFilter', 2, 1),
        ('DiskFilter', 1, 1), ('VcpuFilter', 1, 1), ('ImagePropertiesFilter', 1, 1),
        ('ServerGroupAntiAffinityFilter', 1, 1), ('ServerGroupAffinityFilter', 1, 1)]
    assert results[0].removed == 1


def test_handler_stops_at_the_first_empty_result(conf: cfg.ConfigOpts) -> None:
    handler = base.FilterHandler(conf)
    passed, results = handler.filter_hosts([make_state(up=False)], spec())
    assert passed == []
    assert [r.name for r in results] == ['ComputeFilter']
    assert base.describe_results(results) == (
        'Filter results: ComputeFilter: 1 -> 0 (removed 1).')


def test_handler_rejects_unknown_filter_names(conf: cfg.ConfigOpts) -> None:
    conf.set_override('enabled_filters', ['RamFilter', 'NoSuchFilter'], group='scheduler')
    with pytest.raises(exception.InvalidInput, match='NoSuchFilter'):
        base.FilterHandler(conf)
