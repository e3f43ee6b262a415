"""What admins decide about hosts: disabled and forced-down services, aggregate zones."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.scheduler import admin_state, manager
from nova_lite.scheduler.filters import aggregate_instance_extra_specs as agg_filter
from tests.unit.scheduler.helpers import AddHost, MakeInstance, make_state, spec

Scheduler = manager.SchedulerManager
Ctx = nl_context.RequestContext


def test_a_disabled_host_is_skipped(scheduler: Scheduler, ctx: Ctx, add_host: AddHost,
                                    make_instance: MakeInstance) -> None:
    add_host('h1')
    add_host('h2', memory_mb=2048)
    node = scheduler.set_host_admin_state(ctx, 'h1', {'enabled': False,
                                                      'disabled_reason': 'maintenance'})
    assert node['enabled'] is False and node['disabled_reason'] == 'maintenance'
    assert scheduler.select_destinations(ctx, spec(make_instance()))['host'] == 'h2'
    # The host's next report does not re-enable it.
    add_host('h1')
    assert scheduler.get_host_usage(ctx, 'h1')[0]['enabled'] is False


def test_a_forced_down_host_is_down_and_skipped(scheduler: Scheduler, ctx: Ctx,
                                                add_host: AddHost,
                                                make_instance: MakeInstance) -> None:
    add_host('h1')
    scheduler.set_host_admin_state(ctx, 'h1', {'forced_down': True})
    add_host('h1')  # reporting does not bring it back up
    [node] = scheduler.get_host_usage(ctx, 'h1')
    assert node['up'] is False and node['forced_down'] is True
    with pytest.raises(exception.NoValidHost, match='ComputeFilter: 1 -> 0'):
        scheduler.select_destinations(ctx, spec(make_instance()))
    scheduler.set_host_admin_state(ctx, 'h1', {'forced_down': False})
    assert scheduler.select_destinations(ctx, spec(make_instance()))['host'] == 'h1'


def test_the_aggregate_zone_wins_over_the_default(scheduler: Scheduler, ctx: Ctx,
                                                  add_host: AddHost,
                                                  make_instance: MakeInstance) -> None:
    add_host('h1')
    add_host('h2')
    scheduler.set_host_admin_state(ctx, 'h2', {'aggregate_zone': 'az-agg'})
    add_host('h2')  # a report carries the default zone; the aggregate's stays
    chosen = scheduler.select_destinations(ctx, spec(make_instance(),
                                                     availability_zone='az-agg'))
    assert chosen['host'] == 'h2' and chosen['availability_zone'] == 'az-agg'
    assert scheduler.get_host_usage(ctx, 'h2')[0]['availability_zone'] == 'az-agg'
    scheduler.set_host_admin_state(ctx, 'h2', {'aggregate_zone': None})
    with pytest.raises(exception.NoValidHost):
        scheduler.select_destinations(ctx, spec(make_instance(), availability_zone='az-agg'))


def test_admin_state_errors(scheduler: Scheduler, ctx: Ctx, add_host: AddHost) -> None:
    add_host('h1')
    with pytest.raises(exception.NotFound):
        scheduler.set_host_admin_state(ctx, 'nope', {'enabled': False})
    for values in ({'enabled': 'no'}, {'vcpus': 1}, {'aggregate_metadata': {'k': 'v'}},
                   {'disabled_reason': 5}, []):
        with pytest.raises(exception.InvalidInput):
            admin_state.validate(values)


def test_delete_compute_node(scheduler: Scheduler, ctx: Ctx, add_host: AddHost,
                             make_instance: MakeInstance) -> None:
    add_host('h1')
    scheduler.select_destinations(ctx, spec(make_instance()))
    with pytest.raises(exception.Conflict):
        scheduler.delete_compute_node(ctx, 'h1')
    add_host('h2')
    scheduler.delete_compute_node(ctx, 'h2')
    assert [n['host'] for n in scheduler.get_host_usage(ctx)] == ['h1']
    with pytest.raises(exception.NotFound):
        scheduler.delete_compute_node(ctx, 'h2')


@pytest.mark.parametrize('extra_specs,metadata,passes', [
    ({}, {}, True),
    ({'hw:cpu_policy': 'shared'}, {}, True),
    ({'aggregate_instance_extra_specs:ssd': 'true'}, {'ssd': ['true']}, True),
    ({'aggregate_instance_extra_specs:ssd': 'true'}, {'ssd': ['false']}, False),
    ({'aggregate_instance_extra_specs:ssd': 'true'}, {}, False),
    ({'aggregate_instance_extra_specs:ssd': 'true'}, {'ssd': ['false', 'true']}, True),
])
def test_aggregate_instance_extra_specs_filter(extra_specs: dict[str, str],
                                               metadata: dict[str, list[str]],
                                               passes: bool) -> None:
    state = make_state(aggregate_metadata=metadata)
    request: dict[str, Any] = spec()
    request['flavor_extra_specs'] = extra_specs
    assert agg_filter.AggregateInstanceExtraSpecsFilter().host_passes(state, request) is passes
