"""Resource weighers: normalised weights, multipliers (spread and stack), ties."""

from __future__ import annotations

import pytest
from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.scheduler.weighers import base, resource_weighers
from tests.unit.scheduler.helpers import make_state, spec


def _order(handler: base.WeigherHandler, hosts: list) -> list[str]:
    return [item.host for item in handler.weigh_hosts(hosts, spec())]


def test_normalize() -> None:
    assert base.normalize([]) == []
    assert base.normalize([5.0, 5.0]) == [0.0, 0.0]
    assert base.normalize([10.0, 20.0, 15.0]) == [0.0, 1.0, 0.5]


def test_each_weigher_scales_its_free_resource(conf: cfg.ConfigOpts) -> None:
    hosts = [make_state('a', memory_mb_used=2048, local_gb_used=0, vcpus_used=1),
             make_state('b', memory_mb_used=0, local_gb_used=50, vcpus_used=3),
             make_state('c', memory_mb_used=1024, local_gb_used=100, vcpus_used=0)]
    assert resource_weighers.RamWeigher(conf).weigh(hosts, spec()) == [0.0, 1.0, 0.5]
    assert resource_weighers.DiskWeigher(conf).weigh(hosts, spec()) == [1.0, 0.5, 0.0]
    assert resource_weighers.VcpuWeigher(conf).weigh(hosts, spec()) == pytest.approx(
        [2 / 3, 0.0, 1.0])


def test_multiplier_scales_weights(conf: cfg.ConfigOpts) -> None:
    conf.set_override('ram_weight_multiplier', 3.0, group='scheduler')
    hosts = [make_state('a', memory_mb_used=1024), make_state('b')]
    assert resource_weighers.RamWeigher(conf).weigh(hosts, spec()) == [0.0, 3.0]


def test_positive_multipliers_spread(conf: cfg.ConfigOpts) -> None:
    handler = base.WeigherHandler(conf)
    hosts = [make_state('full', memory_mb_used=3072, local_gb_used=80, vcpus_used=3),
             make_state('empty'),
             make_state('half', memory_mb_used=2048, local_gb_used=50, vcpus_used=2)]
    assert _order(handler, hosts) == ['empty', 'half', 'full']


def test_negative_multipliers_stack(conf: cfg.ConfigOpts) -> None:
    for name in ('ram_weight_multiplier', 'disk_weight_multiplier', 'cpu_weight_multiplier'):
        conf.set_override(name, -1.0, group='scheduler')
    handler = base.WeigherHandler(conf)
    hosts = [make_state('full', memory_mb_used=3072, local_gb_used=80, vcpus_used=3),
             make_state('empty'),
             make_state('half', memory_mb_used=2048, local_gb_used=50, vcpus_used=2)]
    assert _order(handler, hosts) == ['full', 'half', 'empty']


def test_handler_sums_weighers(conf: cfg.ConfigOpts) -> None:
    conf.set_override('disk_weight_multiplier', 2.0, group='scheduler')
    handler = base.WeigherHandler(conf)
    # 'ram' has the most free RAM; 'disk' the most free disk, which counts double.
    hosts = [make_state('ram', local_gb_used=50), make_state('disk', memory_mb_used=2048)]
    weighed = handler.weigh_hosts(hosts, spec())
    assert [(item.host, item.weight) for item in weighed] == [('disk', 2.0), ('ram', 1.0)]


def test_ties_are_broken_by_host_name(conf: cfg.ConfigOpts) -> None:
    handler = base.WeigherHandler(conf)
    hosts = [make_state('c'), make_state('a'), make_state('b')]
    assert _order(handler, hosts) == ['a', 'b', 'c']


def test_handler_with_no_weighers_orders_by_name(conf: cfg.ConfigOpts) -> None:
    conf.set_override('weighers', [], group='scheduler')
    handler = base.WeigherHandler(conf)
    assert _order(handler, [make_state('z'), make_state('y', memory_mb_used=100)]) == [
        'y', 'z']


def test_handler_rejects_unknown_weigher(conf: cfg.ConfigOpts) -> None:
    conf.set_override('weighers', ['NoSuchWeigher'], group='scheduler')
    with pytest.raises(exception.InvalidInput, match='NoSuchWeigher'):
        base.WeigherHandler(conf)
