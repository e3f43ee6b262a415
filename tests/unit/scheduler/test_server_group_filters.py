"""Server group filters and weighers, and the group a request spec may carry."""

from __future__ import annotations

from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.scheduler import manager
from nova_lite.scheduler.filters import base as filter_base
from nova_lite.scheduler.filters import server_group_filters as filters
from nova_lite.scheduler.weighers import base as weigher_base
from nova_lite.scheduler.weighers import server_group_weighers as weighers
from tests.unit.scheduler.helpers import make_state, spec


def _group(policy: str, hosts: list[str], **rules: Any) -> dict[str, Any]:
    return {'id': 'g', 'policy': policy, 'rules': rules, 'hosts': hosts}


def _passing(flt: filter_base.BaseHostFilter, group: dict[str, Any] | None) -> list[str]:
    hosts = [make_state('a'), make_state('b'), make_state('c')]
    return [s.host for s in flt.filter_all(hosts, spec(group=group))]


def test_affinity_filter_keeps_the_members_hosts() -> None:
    flt = filters.ServerGroupAffinityFilter()
    assert _passing(flt, None) == ['a', 'b', 'c']
    assert _passing(flt, _group('affinity', [])) == ['a', 'b', 'c']
    assert _passing(flt, _group('affinity', ['b', 'b'])) == ['b']
    assert _passing(flt, _group('anti-affinity', ['b'])) == ['a', 'b', 'c']


def test_anti_affinity_filter_honours_max_server_per_host() -> None:
    flt = filters.ServerGroupAntiAffinityFilter()
    assert _passing(flt, None) == ['a', 'b', 'c']
    assert _passing(flt, _group('anti-affinity', ['a', 'c'])) == ['b']
    assert _passing(flt, _group('anti-affinity', ['a', 'a', 'c'],
                                max_server_per_host=2)) == ['b', 'c']
    assert _passing(flt, _group('affinity', ['a'])) == ['a', 'b', 'c']
    assert _passing(flt, _group('soft-anti-affinity', ['a'])) == ['a', 'b', 'c']


def test_group_filters_are_enabled_by_default(conf: cfg.ConfigOpts) -> None:
    names = filter_base.FilterHandler(conf).names
    assert 'ServerGroupAffinityFilter' in names and 'ServerGroupAntiAffinityFilter' in names


def _ranked(conf: cfg.ConfigOpts, group: dict[str, Any]) -> list[str]:
    handler = weigher_base.WeigherHandler(conf)
    hosts = [make_state('a'), make_state('b'), make_state('c')]
    return [item.host for item in handler.weigh_hosts(hosts, spec(group=group))]


def test_soft_affinity_prefers_the_members_host(conf: cfg.ConfigOpts) -> None:
    assert _ranked(conf, _group('soft-affinity', ['c', 'c', 'b']))[0] == 'c'
    conf.set_override('soft_affinity_weight_multiplier', 0.0, group='scheduler')
    assert _ranked(conf, _group('soft-affinity', ['c', 'c', 'b']))[0] == 'a'


def test_soft_anti_affinity_avoids_the_members_hosts(conf: cfg.ConfigOpts) -> None:
    assert _ranked(conf, _group('soft-anti-affinity', ['a', 'a', 'b'])) == ['c', 'b', 'a']
    assert _ranked(conf, _group('soft-affinity', [])) == ['a', 'b', 'c']


def test_soft_weighers_ignore_other_policies(conf: cfg.ConfigOpts) -> None:
    hosts = [make_state('a'), make_state('b')]
    request = spec(group=_group('anti-affinity', ['a']))
    assert weighers.ServerGroupSoftAffinityWeigher(conf).weigh(hosts, request) == [0.0, 0.0]
    assert weighers.ServerGroupSoftAntiAffinityWeigher(conf).weigh(hosts,
                                                                   request) == [0.0, 0.0]


@pytest.mark.parametrize('group,field', [
    ('affinity', 'group'),
    ({'policy': 'anti-affinity', 'rules': ['x'], 'hosts': []}, 'group.rules'),
    ({'policy': 'anti-affinity', 'rules': {'max_server_per_host': 0}},
     'group.rules.max_server_per_host'),
    ({'policy': 'affinity', 'hosts': 'h1'}, 'group.hosts'),
])
def test_request_spec_group_is_validated(group: Any, field: str) -> None:
    with pytest.raises(exception.InvalidInput, match=field):
        manager._validate_request_spec(spec(group=group), 2)
