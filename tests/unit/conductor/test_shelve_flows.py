"""The shelve, shelve-offload and unshelve flows: their contracts and drawings, their
ends from each start state, a failure at each task (nothing left: no orphan image, no
leaked claim, the instance and its guest back as they were) and a kill at a task
boundary resumed by another conductor. A real database and the fake driver; the
image service and the scheduler's claims in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from oslo_config import cfg
from taskflow import engines, states

from nova_lite.common import exception
from nova_lite.conductor import action_runner, faults
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys, server_action
from nova_lite.conductor.tasks import shelve as shelve_tasks
from nova_lite.conductor.tasks import unshelve as unshelve_tasks
from nova_lite.db import api as db_api
from nova_lite.flowviz import action_flows
from nova_lite.virt import power_state
from tests.unit.conductor.action_fixtures import HOST, POWER_OF_VM_STATE
from tests.unit.conductor.shelve_fixtures import USER_TOKEN, ShelveWorld
from tests.unit.conductor.test_action_runner import _jobs
from tests.unit.conductor.test_boot_jobs import EXPIRY, Cloud

FLOW_TASKS = {'shelve': keys.SHELVE_TASKS, 'shelve-offload': keys.SHELVE_OFFLOAD_TASKS,
              'unshelve': keys.UNSHELVE_TASKS}


@pytest.fixture
def world(db: db_api.Database, conf: cfg.ConfigOpts) -> ShelveWorld:
    return ShelveWorld(db, conf)


@pytest.fixture
def cloud(db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(db)
    yield made
    made.stop()


def _run(world: ShelveWorld, action: str, store: dict[str, Any],
         injector: Any = None) -> None:
    engines.load(server_action.get_action_flow(action, world.deps(injector)),
                 store=store).run()


def _failing_at(atom: str, instance_id: str) -> faults.FaultInjector:
    return faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)


# Contracts and drawings ----------------------------------------------------------------

def test_the_shelve_flows_contracts(world: ShelveWorld) -> None:
    token = {keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.SEALED_TOKEN}
    on_host = token | {keys.HOST}
    expected = {
        'shelve': {
            keys.ACTION_TO_ERROR_ON_REVERT: (token, set()),
            keys.SHELVE_POWER_OFF: ({keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST},
                                    {keys.POWER_STATE}),
            keys.SHELVE_UPLOAD: (on_host, set()),
            keys.RECORD_SHELVED: ({keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.POWER_STATE},
                                  set()),
            keys.OFFLOAD_DESTROY: (on_host, set()),
            keys.OFFLOAD_RELEASE: ({keys.INSTANCE_ID, keys.ACTION_REQUEST}, set())},
        'shelve-offload': {
            keys.ACTION_TO_ERROR_ON_REVERT: ({keys.INSTANCE_ID, keys.ACTION_REQUEST}, set()),
            keys.OFFLOAD_DESTROY: (on_host, set()),
            keys.OFFLOAD_RELEASE: ({keys.INSTANCE_ID, keys.ACTION_REQUEST}, set())},
        'unshelve': {
            keys.ACTION_TO_ERROR_ON_REVERT: ({keys.INSTANCE_ID, keys.ACTION_REQUEST}, set()),
            keys.UNSHELVE_SCHEDULE: ({keys.INSTANCE_ID, keys.ACTION_REQUEST},
                                     {keys.UNSHELVE_HOST}),
            keys.UNSHELVE_SPAWN: (token | {keys.UNSHELVE_HOST}, {keys.POWER_STATE}),
            keys.RECORD_STATE: ({keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.POWER_STATE},
                                set()),
            keys.DELETE_SHELVED_IMAGE: (token, set())},
    }
    for action, contract in expected.items():
        flow = server_action.get_action_flow(action, world.deps())
        assert flow.name == f'server-action-{action}'
        assert [t.name for t in flow] == list(FLOW_TASKS[action])
        assert {t.name: (set(t.requires), set(t.provides)) for t in flow} == contract
    # Unshelve of an offloaded server has no host to start from.
    assert keys.HOST not in server_action.get_action_flow('unshelve', world.deps()).requires
    for module in (shelve_tasks, unshelve_tasks):
        for name in dir(module):
            cls = getattr(module, name)
            if isinstance(cls, type) and cls.__module__ == module.__name__ \
                    and hasattr(cls, 'revert'):
                assert 'Reversion strategy:' in (cls.__doc__ or ''), cls


@pytest.mark.parametrize('action', sorted(FLOW_TASKS))
def test_the_shelve_flows_are_drawn(action: str) -> None:
    assert action in action_flows.ACTION_FLOWS
    drawing = action_flows.action_graph(action).to_string()
    for name in FLOW_TASKS[action]:
        assert name in drawing


# Shelve --------------------------------------------------------------------------------

@pytest.mark.parametrize('start', server_action.ACTIONS['shelve'].from_vm_states)
def test_a_shelve_uploads_the_disk_and_powers_off(world: ShelveWorld, start: str) -> None:
    instance_id = world.instance_in(start)
    store, image_id = world.begin_shelve(instance_id, offload=False)
    _run(world, 'shelve', store)
    assert world.images.images[image_id]['status'] == 'active'
    assert world.images.tokens == {USER_TOKEN}
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == ('shelved', None)
    assert state['domain'] == state['power_state'] == power_state.SHUTDOWN
    assert (state['host'], state['claim']) == (HOST, HOST)  # still on its host
    assert state['shelved_image_id'] == image_id
    assert state['events'] == [('compute_shelve', 'Success')] and state['finished']
    assert world.leftovers(instance_id) == []


def test_a_shelve_with_offload_gives_the_host_back(world: ShelveWorld) -> None:
    instance_id = world.instance_in('active')
    store, image_id = world.begin_shelve(instance_id, offload=True)
    _run(world, 'shelve', store)
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == ('shelved_offloaded', None)
    assert state['domain'] is None  # destroyed and undefined on the host
    assert (state['host'], state['claim']) == (None, None)
    assert state['shelved_image_id'] == image_id and state['images'] == [image_id]
    assert state['events'] == [('compute_shelve', 'Success')]
    assert world.host.calls == ['power_off', 'snapshot_instance', 'destroy_instance']


@pytest.mark.parametrize('atom', keys.SHELVE_TASKS)
@pytest.mark.parametrize('start', ['active', 'paused'])
def test_a_shelve_failing_at_each_task_leaves_nothing(world: ShelveWorld, atom: str,
                                                      start: str) -> None:
    instance_id = world.instance_in(start)
    store, image_id = world.begin_shelve(instance_id, offload=True)
    with pytest.raises(faults.InjectedFault):
        _run(world, 'shelve', store, _failing_at(atom, instance_id))
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == (start, None)
    assert state['domain'] == POWER_OF_VM_STATE[start]  # the guest as it was
    assert state['images'] == []  # no orphan image
    assert (state['host'], state['claim']) == (HOST, HOST)  # the claim neither leaked
    assert state['shelved_image_id'] is None  # nor lost
    assert state['events'] == [('compute_shelve', 'Error')] and state['finished']
    assert world.leftovers(instance_id) == []


def test_a_shelve_of_a_server_whose_domain_is_gone_fails_cleanly(world: ShelveWorld) -> None:
    instance_id = world.instance_in('active')
    store, _image_id = world.begin_shelve(instance_id, offload=True)
    world.host.driver.destroy(instance_id)
    with pytest.raises(exception.NotFound):
        _run(world, 'shelve', store)
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state'], state['images']) == ('active', None, [])


# Shelve-offload ------------------------------------------------------------------------

def test_shelve_offload_of_a_shelved_server(world: ShelveWorld) -> None:
    instance_id, image_id = world.shelved_instance(offloaded=False)
    _run(world, 'shelve-offload', world.store(instance_id, 'shelve-offload', {}))
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == ('shelved_offloaded', None)
    assert (state['domain'], state['host'], state['claim']) == (None, None, None)
    assert state['images'] == [image_id]
    assert state['events'] == [('compute_shelveOffload', 'Success')]


@pytest.mark.parametrize('atom', keys.SHELVE_OFFLOAD_TASKS)
def test_shelve_offload_failing_at_each_task_keeps_it_shelved(world: ShelveWorld,
                                                              atom: str) -> None:
    instance_id, image_id = world.shelved_instance(offloaded=False)
    with pytest.raises(faults.InjectedFault):
        _run(world, 'shelve-offload', world.store(instance_id, 'shelve-offload', {}),
             _failing_at(atom, instance_id))
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == ('shelved', None)
    # The guest is back on its host, off (respawned from the image when destroyed).
    assert state['domain'] == power_state.SHUTDOWN
    assert (state['host'], state['claim']) == (HOST, HOST)
    assert state['images'] == [image_id] and state['shelved_image_id'] == image_id
    assert state['events'] == [('compute_shelveOffload', 'Error')]


# Unshelve ------------------------------------------------------------------------------

def test_unshelve_of_an_offloaded_server_schedules_spawns_and_deletes_the_image(
        world: ShelveWorld) -> None:
    instance_id, _image_id = world.shelved_instance(offloaded=True)
    _run(world, 'unshelve', world.store(instance_id, 'unshelve',
                                        {'availability_zone': 'nova'}))
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == ('active', None)
    assert state['domain'] == state['power_state'] == power_state.RUNNING
    assert (state['host'], state['claim']) == (HOST, HOST)
    assert state['images'] == [] and state['shelved_image_id'] is None
    assert state['events'] == [('compute_unshelve', 'Success')]
    assert world.host.calls == ['spawn_instance']
    [spec] = world.scheduler.specs  # the boot's request spec, the zone asked for
    assert spec['flavor']['name'] == 'tiny' and spec['availability_zone'] == 'nova'
    assert spec['instance_id'] == instance_id


def test_unshelve_of_a_shelved_server_powers_it_on(world: ShelveWorld) -> None:
    instance_id, _image_id = world.shelved_instance(offloaded=False)
    _run(world, 'unshelve', world.store(instance_id, 'unshelve', {}))
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == ('active', None)
    assert state['domain'] == power_state.RUNNING
    assert state['images'] == [] and state['claim'] == HOST
    assert world.host.calls == ['power_on'] and world.scheduler.specs == []


@pytest.mark.parametrize('atom', keys.UNSHELVE_TASKS)
@pytest.mark.parametrize('offloaded', [True, False])
def test_unshelve_failing_at_each_task_leaves_it_shelved(world: ShelveWorld, atom: str,
                                                         offloaded: bool) -> None:
    instance_id, image_id = world.shelved_instance(offloaded=offloaded)
    with pytest.raises(faults.InjectedFault):
        _run(world, 'unshelve', world.store(instance_id, 'unshelve', {}),
             _failing_at(atom, instance_id))
    state = world.state(instance_id)
    if offloaded:
        assert (state['vm_state'], state['domain']) == ('shelved_offloaded', None)
        assert (state['host'], state['claim']) == (None, None)  # no leaked claim
    else:
        assert (state['vm_state'], state['domain']) == ('shelved', power_state.SHUTDOWN)
        assert (state['host'], state['claim']) == (HOST, HOST)
    assert state['task_state'] is None
    assert state['images'] == [image_id] and state['shelved_image_id'] == image_id
    assert state['events'] == [('compute_unshelve', 'Error')] and state['finished']


# A kill at a task boundary ---------------------------------------------------------------

def _kill_after(cloud: Cloud, world: ShelveWorld, instance_id: str, action: str,
                store: dict[str, Any], atom: str) -> action_runner.ActionRunner:
    """Conductor A saves and runs the action until ``atom``'s result is saved, and dies;
    conductor B (returned) is the one that finds its job once A's claim expired."""
    first = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                       cloud.persistence, workers=1)
    job = first.post(instance_id, action, store.get(keys.HOST), store[keys.ACTION_REQUEST],
                     auth_token=USER_TOKEN)
    claimed = first.jobs.claim(job)
    assert claimed is not None
    book, flow_detail = flow_persistence.load_run(cloud.persistence, claimed.flow_uuid)
    engine = flow_persistence.load_engine(
        server_action.get_action_flow(action, world.deps()), cloud.persistence,
        flow_detail, book=book)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(atom) == states.SUCCESS:
            break
    steps.close()
    saved = flow_persistence.atom_states(cloud.persistence, claimed.flow_uuid)
    following = FLOW_TASKS[action][FLOW_TASKS[action].index(atom) + 1]
    assert saved[atom] == states.SUCCESS
    assert saved.get(following) in (None, states.PENDING)
    first.stop()
    cloud.clock.advance(EXPIRY + 1)
    return action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-b'),
                                      cloud.persistence, workers=1)


def test_a_shelve_killed_after_the_upload_is_resumed_by_another_conductor(
        cloud: Cloud, world: ShelveWorld) -> None:
    instance_id = world.instance_in('active')
    store, image_id = world.begin_shelve(instance_id, offload=True)
    second = _kill_after(cloud, world, instance_id, 'shelve', store, keys.SHELVE_UPLOAD)
    assert world.instances.get(instance_id)['task_state'] == 'shelving_image_uploading'
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == ('shelved_offloaded', None)
    assert (state['domain'], state['host'], state['claim']) == (None, None, None)
    assert state['images'] == [image_id]
    assert world.images.images[image_id]['status'] == 'active'
    assert state['events'] == [('compute_shelve', 'Success')]
    # Powered off and uploaded once (the upload is not redone after the takeover).
    assert world.host.calls == ['power_off', 'snapshot_instance', 'destroy_instance']
    second.stop()


def test_a_shelve_offload_killed_after_the_destroy_is_resumed(
        cloud: Cloud, world: ShelveWorld) -> None:
    instance_id, image_id = world.shelved_instance(offloaded=False)
    store = world.store(instance_id, 'shelve-offload', {})
    second = _kill_after(cloud, world, instance_id, 'shelve-offload', store,
                         keys.OFFLOAD_DESTROY)
    assert world.scheduler.claims.get(instance_id) == HOST  # not yet released
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == ('shelved_offloaded', None)
    assert (state['domain'], state['host'], state['claim']) == (None, None, None)
    assert state['images'] == [image_id]
    assert state['events'] == [('compute_shelveOffload', 'Success')]
    second.stop()


def test_an_unshelve_killed_after_the_spawn_is_resumed(cloud: Cloud,
                                                       world: ShelveWorld) -> None:
    instance_id, _image_id = world.shelved_instance(offloaded=True)
    store = world.store(instance_id, 'unshelve', {})
    second = _kill_after(cloud, world, instance_id, 'unshelve', store, keys.UNSHELVE_SPAWN)
    assert world.instances.get(instance_id)['task_state'] == 'unshelving'
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    state = world.state(instance_id)
    assert (state['vm_state'], state['task_state']) == ('active', None)
    assert state['domain'] == power_state.RUNNING
    assert (state['host'], state['claim']) == (HOST, HOST)
    assert state['images'] == [] and state['shelved_image_id'] is None
    assert state['events'] == [('compute_unshelve', 'Success')]
    assert world.host.calls == ['spawn_instance']  # spawned once
    assert len(world.scheduler.specs) == 1  # scheduled once
    second.stop()


def test_a_shelve_run_is_not_saved_without_the_callers_token(
        cloud: Cloud, world: ShelveWorld) -> None:
    runner = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                        cloud.persistence, workers=1)
    instance_id = world.instance_in('active')
    store, _image_id = world.begin_shelve(instance_id, offload=True)
    with pytest.raises(exception.Conflict):
        runner.post(instance_id, 'shelve', HOST, store[keys.ACTION_REQUEST])
    runner.stop()
