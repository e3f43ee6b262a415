"""The action runner on the database jobboard (SQLite): an action posted and run here,
and an action whose conductor was killed between two tasks, resumed by another.

The kill is at the boundary between host-call and record-state: conductor A
claims the job, runs the saved flow until host-call's result is saved, and
stops there (its process gone: no revert, no finish). Once A's claim
expires, conductor B takes the job over from the board and resumes the saved
run: record-state runs, host-call is not asked again.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from oslo_config import cfg
from taskflow import states

from nova_lite.conductor import action_runner, boot_jobs
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys, server_action
from nova_lite.db import api as db_api
from nova_lite.virt import power_state
from tests.unit.conductor.action_fixtures import HOST, ActionWorld
from tests.unit.conductor.test_boot_jobs import EXPIRY, Cloud


@pytest.fixture
def cloud(db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(db)
    yield made
    made.stop()


@pytest.fixture
def world(db: db_api.Database, conf: cfg.ConfigOpts) -> ActionWorld:
    return ActionWorld(db, conf)


def _jobs(cloud: Cloud, who: str) -> boot_jobs.BootJobs:
    settings = boot_jobs.JobSettings(claim_expiry=EXPIRY, poll_interval=60.0, max_claims=3)
    return boot_jobs.BootJobs(cloud.board(), cloud.persistence, who, settings,
                              clock=cloud.clock, job_name_prefix=action_runner.JOB_NAME_PREFIX)


def _runner(cloud: Cloud, world: ActionWorld, who: str) -> action_runner.ActionRunner:
    return action_runner.ActionRunner(world.deps(), _jobs(cloud, who), cloud.persistence,
                                      workers=1)


def _post(runner: action_runner.ActionRunner, world: ActionWorld, instance_id: str,
          action: str) -> object:
    store = world.begin(instance_id, action)
    return runner.post(instance_id, action, HOST, store[keys.ACTION_REQUEST])


def test_an_action_is_posted_run_and_its_job_consumed(cloud: Cloud,
                                                       world: ActionWorld) -> None:
    runner = _runner(cloud, world, 'conductor-a')
    instance_id = world.instance_in('active')
    job = _post(runner, world, instance_id, 'suspend')
    assert job.name.startswith(f'action-{instance_id}-')
    assert runner.claim_and_run(job) is True
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('suspended', None)
    assert audit['domain'] == power_state.SUSPENDED
    assert runner.jobs.unclaimed_jobs() == []
    assert list(runner.jobs.board.iterjobs(ensure_fresh=True)) == []
    runner.stop()


def test_boot_side_does_not_take_action_jobs(cloud: Cloud, world: ActionWorld) -> None:
    runner = _runner(cloud, world, 'conductor-a')
    boots = cloud.conductor('conductor-b')
    instance_id = world.instance_in('active')
    _post(runner, world, instance_id, 'pause')
    assert boots.unclaimed_jobs() == []
    assert boots.jobs_of_instance(instance_id) == []
    assert len(runner.jobs.unclaimed_jobs()) == 1
    runner.stop()


def test_an_action_killed_between_tasks_is_resumed_by_another_conductor(
        cloud: Cloud, world: ActionWorld) -> None:
    first = _runner(cloud, world, 'conductor-a')
    instance_id = world.instance_in('active')
    job = _post(first, world, instance_id, 'pause')

    # Conductor A claims the job and runs its saved flow up to the task boundary.
    claimed = first.jobs.claim(job)
    assert claimed is not None and claimed.claims == 1
    book, flow_detail = flow_persistence.load_run(cloud.persistence, claimed.flow_uuid)
    engine = flow_persistence.load_engine(
        server_action.get_action_flow('pause', world.deps()), cloud.persistence, flow_detail,
        book=book)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(keys.HOST_CALL) == states.SUCCESS:
            break
    steps.close()  # conductor A is gone here: nothing more runs, nothing reverts
    saved = flow_persistence.atom_states(cloud.persistence, claimed.flow_uuid)
    assert saved[keys.HOST_CALL] == states.SUCCESS
    assert saved.get(keys.RECORD_STATE) in (None, states.PENDING)
    assert world.instances.get(instance_id)['task_state'] == 'pausing'
    assert world.host.calls == ['pause']

    # Its claim expires; conductor B finds the job nobody holds and resumes the run.
    cloud.clock.advance(EXPIRY + 1)
    second = _runner(cloud, world, 'conductor-b')
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert unclaimed.uuid == job.uuid
    assert second.claim_and_run(unclaimed) is True

    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('paused', None)
    assert audit['domain'] == audit['power_state'] == power_state.PAUSED
    assert audit['events'] == [('compute_pause', 'Success')]
    assert world.host.calls == ['pause']  # the host was not asked twice
    assert list(second.jobs.board.iterjobs(ensure_fresh=True)) == []
    second.stop()
    first.stop()


def test_an_action_claimed_too_often_is_moved_aside(cloud: Cloud,
                                                     world: ActionWorld) -> None:
    runner = _runner(cloud, world, 'conductor-a')
    instance_id = world.instance_in('active')
    job = _post(runner, world, instance_id, 'stop')
    for who in ('a', 'b', 'c'):
        assert _jobs(cloud, f'dead-{who}').claim(job) is not None
        cloud.clock.advance(EXPIRY + 1)
    assert runner.claim_and_run(job) is False
    instance = world.instances.get(instance_id)
    assert (instance['vm_state'], instance['task_state']) == ('error', None)
    assert world.host.calls == []
    runner.stop()


def test_record_only_actions_run_at_once_and_host_actions_do_not(
        cloud: Cloud, world: ActionWorld) -> None:
    runner = _runner(cloud, world, 'conductor-a')
    instance_id = world.instance_in('active')
    store = world.begin(instance_id, 'lock')
    request = {**store[keys.ACTION_REQUEST],
               'args': {'locked_by': 'admin', 'locked_reason': None}}
    runner.run_here(instance_id, 'lock', request)
    assert world.instances.get(instance_id)['locked_by'] == 'admin'
    assert list(runner.jobs.board.iterjobs(ensure_fresh=True)) == []  # nothing saved
    with pytest.raises(Exception, match='not a record-only action'):
        runner.run_here(instance_id, 'pause', request)
    runner.stop()


def test_an_action_that_cannot_be_saved_is_given_up(cloud: Cloud, world: ActionWorld,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    runner = _runner(cloud, world, 'conductor-a')
    instance_id = world.instance_in('active')
    store = world.begin(instance_id, 'pause')

    def broken_post(*args: object, **kwargs: object) -> None:
        raise RuntimeError('database gone')

    monkeypatch.setattr(runner, 'post', broken_post)
    runner._post_and_run(instance_id, 'pause', HOST, store[keys.ACTION_REQUEST])
    instance = world.instances.get(instance_id)
    assert (instance['vm_state'], instance['task_state']) == ('active', None)
    [action] = world.events.list_actions(instance_id)
    assert action['message'] == 'Error' and action['finish_time'] is not None
    assert world.host.calls == []
    runner.stop()
