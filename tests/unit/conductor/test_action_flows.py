"""The server action flows: their contracts, a failure at each task, and each action's
end state, on a real database and the fake driver."""

from __future__ import annotations

import typing
from typing import Any

import pytest
from oslo_config import cfg
from taskflow import engines
from taskflow import task as tf_task

from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys, server_action
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.db import api as db_api
from nova_lite.virt import power_state
from tests.unit.conductor.action_fixtures import POWER_OF_VM_STATE, ActionWorld

HOST_ACTIONS = [name for name, spec in server_action.ACTIONS.items()
                if spec.host_method and name not in server_action.OWN_TASK_ACTIONS]
RECORD_ACTIONS = [name for name, spec in server_action.ACTIONS.items()
                  if not spec.host_method]


@pytest.fixture
def world(db: db_api.Database, conf: cfg.ConfigOpts) -> ActionWorld:
    return ActionWorld(db, conf)


def _nothing() -> Any:
    return typing.cast(Any, None)


def _flow(action: str) -> Any:
    return server_action.get_action_flow(action, server_action.ActionDependencies(
        instances=_nothing(), events=_nothing(), compute=_nothing()))


# Contracts ------------------------------------------------------------------------

@pytest.mark.parametrize('action', HOST_ACTIONS)
def test_host_action_flow_contract(action: str) -> None:
    flow = _flow(action)
    assert flow.name == f'server-action-{action}'
    tasks = list(flow)
    assert [t.name for t in tasks] == list(keys.ACTION_TASKS)
    contract = {t.name: (set(t.requires), set(t.provides)) for t in tasks}
    assert contract == {
        keys.ACTION_TO_ERROR_ON_REVERT: ({keys.INSTANCE_ID, keys.ACTION_REQUEST}, set()),
        keys.HOST_CALL: ({keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST},
                         {keys.POWER_STATE}),
        keys.RECORD_STATE: ({keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.POWER_STATE}, set()),
    }
    # The flow needs only what the conductor stores: the instance, its host, the request.
    assert set(flow.requires) == {keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST}


@pytest.mark.parametrize('action', RECORD_ACTIONS)
def test_record_only_flow_contract(action: str) -> None:
    flow = _flow(action)
    assert [t.name for t in flow] == [keys.ACTION_TO_ERROR_ON_REVERT, keys.RECORD_STATE]
    assert set(flow.requires) == {keys.INSTANCE_ID, keys.ACTION_REQUEST}
    assert set(flow.provides) == set()


def test_every_task_states_its_reversion_strategy() -> None:
    for cls in (action_tasks.ActionToErrorOnRevert, action_tasks.HostCall,
                action_tasks.RecordState):
        assert 'Reversion strategy:' in (cls.__doc__ or ''), cls


def test_every_undo_is_the_inverse_host_action() -> None:
    for spec in server_action.ACTIONS.values():
        if spec.undo_method is None:
            continue
        inverse = next(other for other in server_action.ACTIONS.values()
                       if other.host_method == spec.undo_method)
        assert inverse.undo_method == spec.host_method
        assert inverse.end_vm_state in spec.from_vm_states


# Each action's end ----------------------------------------------------------------

@pytest.mark.parametrize('action', HOST_ACTIONS)
def test_host_action_reaches_its_end_state(world: ActionWorld, action: str) -> None:
    spec = server_action.ACTIONS[action]
    instance_id = world.instance_in(spec.from_vm_states[0])
    engines.load(_real_flow(world, action), store=world.begin(instance_id, action)).run()
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == (spec.end_vm_state, None)
    assert audit['domain'] == audit['power_state'] == POWER_OF_VM_STATE[spec.end_vm_state]
    assert audit['events'] == [(f'compute_{spec.instance_action}', 'Success')]
    assert audit['finished']


def _real_flow(world: ActionWorld, action: str, injector: Any = None) -> Any:
    return server_action.get_action_flow(action, world.deps(injector))


# A failure at each task -------------------------------------------------------------

_CASES = [(action, atom) for action in HOST_ACTIONS for atom in keys.ACTION_TASKS]


@pytest.mark.parametrize('action,atom', _CASES)
def test_a_failure_at_each_task_puts_the_instance_back(world: ActionWorld, action: str,
                                                       atom: str) -> None:
    spec = server_action.ACTIONS[action]
    start = spec.from_vm_states[0]
    instance_id = world.instance_in(start)
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(_real_flow(world, action, injector),
                     store=world.begin(instance_id, action)).run()
    audit = world.audit(instance_id)
    assert audit['task_state'] is None
    assert audit['events'] == [(f'compute_{spec.instance_action}', 'Error')]
    assert audit['finished']
    if atom == keys.HOST_CALL:
        # The host call failed for a reason nobody knows: the domain's state is
        # unknown, so the instance is ERROR (the fake never ran it: unchanged).
        assert audit['vm_state'] == 'error'
        assert audit['domain'] == POWER_OF_VM_STATE[start]
        assert world.host.calls == []
    else:
        # Nothing left behind: the record and the domain are as before the action.
        assert audit['vm_state'] == start
        assert audit['domain'] == POWER_OF_VM_STATE[start]
        expected_calls = ([spec.host_method] + ([spec.undo_method] if spec.undo_method
                                                else [])
                          if atom == keys.RECORD_STATE else [])
        assert world.host.calls == expected_calls


def test_a_host_refusal_puts_the_instance_back_not_in_error(world: ActionWorld) -> None:
    instance_id = world.instance_in('active')
    world.host.driver.destroy(instance_id)  # the host has no domain: NotFound
    with pytest.raises(Exception, match='Domain of instance'):
        engines.load(_real_flow(world, 'pause'), store=world.begin(instance_id, 'pause')).run()
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['events'] == [('compute_pause', 'Error')]


def test_an_action_taken_over_by_a_delete_is_left_to_it(world: ActionWorld) -> None:
    instance_id = world.instance_in('active')
    store = world.begin(instance_id, 'stop')
    world.instances.update(instance_id, task_state='deleting')
    with pytest.raises(Exception, match='no longer'):
        engines.load(_real_flow(world, 'stop'), store=store).run()
    instance = world.instances.get(instance_id)
    assert (instance['vm_state'], instance['task_state']) == ('active', 'deleting')
    assert world.host.calls == []


# Record-only actions ------------------------------------------------------------------

def _run_record(world: ActionWorld, instance_id: str, action: str,
                args: dict[str, Any]) -> None:
    store = world.begin(instance_id, action)
    store[keys.ACTION_REQUEST]['args'] = args
    engines.load(_real_flow(world, action), store=store).run()


def test_lock_unlock_and_reset_state(world: ActionWorld) -> None:
    instance_id = world.instance_in('active')
    world.instances.update(instance_id, task_state='pausing')
    _run_record(world, instance_id, 'lock', {'locked_by': 'owner', 'locked_reason': 'why'})
    instance = world.instances.get(instance_id)
    assert (instance['locked_by'], instance['locked_reason']) == ('owner', 'why')
    assert instance['task_state'] == 'pausing'  # a lock leaves a running action alone
    _run_record(world, instance_id, 'unlock', {'locked_by': None, 'locked_reason': None})
    assert world.instances.get(instance_id)['locked_by'] is None
    _run_record(world, instance_id, 'reset-state', {'vm_state': 'error'})
    instance = world.instances.get(instance_id)
    assert (instance['vm_state'], instance['task_state']) == ('error', None)
    assert world.audit(instance_id)['events'] == [('compute_resetState', 'Success')]
    assert world.host.calls == []


def test_record_state_run_again_after_its_commit_is_done(world: ActionWorld) -> None:
    """A conductor that died after record-state committed but before its result was
    saved runs it again: it finds the end state and succeeds."""
    instance_id = world.instance_in('active')
    store = world.begin(instance_id, 'pause')
    world.host.driver.pause(instance_id)
    world.instances.update(instance_id, vm_state='paused', task_state=None,
                           power_state=power_state.PAUSED)
    task = next(t for t in _real_flow(world, 'pause') if t.name == keys.RECORD_STATE)
    assert isinstance(task, tf_task.Task)
    task.execute(instance_id, store[keys.ACTION_REQUEST], power_state.PAUSED)
    assert world.audit(instance_id)['events'] == [('compute_pause', 'Success')]
