"""The boot runner on the database jobboard (SQLite): post and run, hand over, take
over, move aside, withdraw, delete.

The flows themselves are a fake (what they were asked to run is recorded);
the board, the saved runs and the claims are real, on a manual clock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, cast

import pytest
from taskflow import states

from nova_lite.common import exception
from nova_lite.conductor import boot_jobs, boot_runner
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys
from nova_lite.db import api as db_api
from tests.unit.conductor.test_boot_jobs import EXPIRY, Cloud

MAX_CLAIMS = 2


class FakeFlows:
    """The flow runner: records each run and answers ``outcome``."""

    def __init__(self, persistence: flow_persistence.DatabaseBackend) -> None:
        self.persistence = persistence
        self.outcome = boot_jobs.BootOutcome.ACTIVE
        self.boots: list[dict[str, Any]] = []
        self.deletes: list[str] = []
        self.swept: list[tuple[str, set[str]]] = []
        self.ran = threading.Event()

    def boot_store(self, instance: dict[str, Any], auth_token: str, *,
                   request_ids: Any = None) -> dict[str, Any]:
        store = {keys.INSTANCE_ID: instance['id'], keys.SEALED_TOKEN: f'sealed-{auth_token}',
                 keys.REQUEST_SPEC: {}}
        if request_ids is not None:
            store[keys.REQUEST_IDS] = request_ids
        return store

    def run_boot(self, instance: dict[str, Any], **kwargs: Any) -> boot_jobs.BootOutcome:
        kwargs['lease'].ensure()  # the runner holds the job while the flow runs
        self.boots.append({'instance_id': instance['id'], **kwargs})
        self.ran.set()
        return self.outcome

    def run_delete(self, instance: dict[str, Any]) -> bool:
        self.deletes.append(instance['id'])
        return True

    def hosts_of_run(self, flow_uuid: str, instance: dict[str, Any]) -> set[str]:
        return {'host-of-the-run'}

    def sweep(self, instance_id: str, hosts: set[str]) -> None:
        self.swept.append((instance_id, hosts))

    def stop(self) -> None:
        pass


class FakeInstances:
    def __init__(self) -> None:
        self.instances: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, str] = {}

    def add(self, instance_id: str) -> None:
        self.instances[instance_id] = {'id': instance_id, 'vm_state': 'building',
                                       'metadata': {}, 'host': None}

    def get(self, instance_id: str, *, include_deleted: bool = False) -> dict[str, Any]:
        if instance_id not in self.instances:
            raise exception.NotFound(resource='Instance', id=instance_id)
        return dict(self.instances[instance_id])

    def set_error(self, instance_id: str, *, message: str, code: int = 500) -> None:
        self.errors[instance_id] = message


class Runner:
    """One conductor's boot runner, with its fakes, on the cloud's board."""

    def __init__(self, cloud: Cloud, who: str = 'conductor-a') -> None:
        self.flows = FakeFlows(cloud.persistence)
        self.instances = FakeInstances()
        self.jobs = cloud.conductor(who, poll_interval=0.05, max_claims=MAX_CLAIMS)
        self.runner = boot_runner.BootRunner(
            cast(Any, self.flows), self.jobs, cast(Any, self.instances), boot_workers=2,
            delete_boot_wait=0.2)


@pytest.fixture
def cloud(db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(db)
    yield made
    made.stop()


@pytest.fixture
def here(cloud: Cloud) -> Iterator[Runner]:
    made = Runner(cloud)
    yield made
    made.runner.stop()


def _run_state(cloud: Cloud, instance_id: str) -> str | None:
    (run,) = flow_persistence.runs_of_book(cloud.persistence, instance_id)
    return run.state


def test_a_boot_is_posted_then_run_here_and_its_job_consumed(cloud: Cloud,
                                                             here: Runner) -> None:
    here.instances.add('inst-1')

    assert here.runner.post_boot_job('inst-1', 'tok') is boot_jobs.BootOutcome.ACTIVE

    [boot] = here.flows.boots
    (run,) = flow_persistence.runs_of_book(cloud.persistence, 'inst-1')
    assert boot['instance_id'] == 'inst-1'
    assert boot['resume_flow_uuid'] == run.flow_uuid
    assert boot['taken_over'] is False
    assert here.jobs.jobs_of_instance('inst-1') == []
    assert here.jobs.board.trashed_jobs() == []


def test_no_job_is_posted_for_an_instance_deleted_before_its_boot(here: Runner) -> None:
    assert here.runner.post_boot_job('gone', 'tok') is None
    assert here.flows.boots == []
    assert here.jobs.unclaimed_jobs() == []


def test_a_boot_handed_over_leaves_its_job_on_the_board(cloud: Cloud, here: Runner) -> None:
    here.instances.add('inst-2')
    here.flows.outcome = boot_jobs.BootOutcome.HANDED_OVER

    assert here.runner.post_boot_job('inst-2', 'tok') is boot_jobs.BootOutcome.HANDED_OVER

    [job] = here.jobs.jobs_of_instance('inst-2')
    assert here.jobs.board.find_owner(job) == 'conductor-a'


def test_a_boot_another_conductor_dropped_is_taken_over(cloud: Cloud, here: Runner) -> None:
    here.instances.add('inst-3')
    dead = cloud.conductor('dead-conductor')
    job = dead.post_boot('inst-3', here.flows.boot_store({'id': 'inst-3'}, 'tok'))
    assert dead.claim(job) is not None
    cloud.clock.advance(EXPIRY)  # the dead conductor's claim ran out

    here.runner.start_taking_over()

    assert here.flows.ran.wait(10), 'the boot was never taken over'
    [boot] = here.flows.boots
    assert boot['taken_over'] is True
    assert boot['resume_flow_uuid'] == job.details['flow_uuid']


def test_a_boot_claimed_too_often_is_moved_aside(cloud: Cloud, here: Runner) -> None:
    here.instances.add('inst-4')
    dead = cloud.conductor('dead-conductor')
    job = dead.post_boot('inst-4', here.flows.boot_store({'id': 'inst-4'}, 'tok'))
    for _ in range(MAX_CLAIMS):
        assert dead.claim(job) is not None
        cloud.clock.advance(EXPIRY)

    assert here.runner.claim_and_run(job) is boot_jobs.BootOutcome.ERROR

    assert here.flows.boots == []
    assert here.flows.swept == [('inst-4', {'host-of-the-run'})]
    assert here.instances.errors['inst-4'] == (
        f'Boot abandoned: its conductor stopped {MAX_CLAIMS} times while running it')
    assert [trashed.uuid for trashed in here.jobs.board.trashed_jobs()] == [job.uuid]
    assert _run_state(cloud, 'inst-4') == states.FAILURE


def test_a_delete_withdraws_the_boot_nobody_runs_then_runs_the_delete(
        cloud: Cloud, here: Runner) -> None:
    here.instances.add('inst-5')
    poster = cloud.conductor('poster')
    poster.post_boot('inst-5', here.flows.boot_store({'id': 'inst-5'}, 'tok'))

    assert here.runner.run_delete('inst-5') is True

    assert here.flows.deletes == ['inst-5']
    assert here.flows.boots == []
    assert poster.jobs_of_instance('inst-5') == []
    assert _run_state(cloud, 'inst-5') == states.FAILURE


def test_a_delete_waits_for_a_boot_held_elsewhere_then_goes_on(cloud: Cloud,
                                                               here: Runner) -> None:
    here.instances.add('inst-6')
    holder = cloud.conductor('holder')
    job = holder.post_boot('inst-6', here.flows.boot_store({'id': 'inst-6'}, 'tok'))
    assert holder.claim(job) is not None

    assert here.runner.withdraw_boot_job('inst-6', wait=0.1) is False
    assert here.runner.run_delete('inst-6') is True  # after [conductor] delete_boot_wait

    assert here.flows.deletes == ['inst-6']
    assert holder.board.find_owner(job) == 'holder'


def test_a_delete_of_a_deleted_instance_runs_no_flow(here: Runner) -> None:
    assert here.runner.run_delete('gone') is True
    assert here.flows.deletes == []


def test_submitted_boots_run_on_the_pool_and_stop_waits_for_them(cloud: Cloud) -> None:
    runner = Runner(cloud)
    runner.instances.add('inst-7')
    runner.instances.add('inst-7b')
    runner.runner.submit_boot('inst-7', 'tok')
    runner.runner.submit_delete('inst-7b')
    runner.runner.stop()
    assert [boot['instance_id'] for boot in runner.flows.boots] == ['inst-7']
    assert runner.flows.deletes == ['inst-7b']


def test_is_running_while_the_instance_lock_is_held(here: Runner) -> None:
    assert not here.runner.is_running('inst-8')
    with here.runner.lock_for('inst-8'):
        assert here.runner.is_running('inst-8')
    assert not here.runner.is_running('inst-8')



def test_a_delete_does_not_hold_the_lock_its_own_waiting_boot_needs(cloud: Cloud) -> None:
    """The boot of an instance is posted and claimed here while its delete holds the
    instance's lock: the claimed boot waits for that lock, so the delete must not
    wait for the boot's claim under it (it used to, until delete_boot_wait ran out).
    The delete goes on; the boot runs after it."""
    runner = Runner(cloud)
    runner.runner.stop()
    runner.runner = boot_runner.BootRunner(
        cast(Any, runner.flows), runner.jobs, cast(Any, runner.instances), boot_workers=2,
        delete_boot_wait=60.0)
    runner.instances.add('inst-12')
    ended: list[str] = []
    threads: list[threading.Thread] = []
    jobs_of_instance = runner.jobs.jobs_of_instance

    def boot_claimed_while_the_delete_holds_the_lock(instance_id: str) -> Any:
        if runner.runner.is_running(instance_id) and not threads:
            job = runner.jobs.post_boot(instance_id, runner.flows.boot_store(
                {'id': instance_id}, 'tok'))
            threads.append(threading.Thread(target=lambda: (
                runner.runner.claim_and_run(job), ended.append('boot'))))
            threads[0].start()
            waited = threading.Event()
            while runner.jobs.board.find_owner(job) is None and not waited.wait(0.01):
                pass
        return jobs_of_instance(instance_id)

    runner.jobs.jobs_of_instance = boot_claimed_while_the_delete_holds_the_lock  # type: ignore[method-assign]
    delete = threading.Thread(target=lambda: (runner.runner.run_delete('inst-12'),
                                              ended.append('delete')))
    delete.start()
    delete.join(timeout=20)
    try:
        assert not delete.is_alive(), 'the delete stalled behind the boot it blocks'
        threads[0].join(timeout=20)
        assert ended == ['delete', 'boot']
        assert runner.flows.deletes == ['inst-12']
    finally:
        runner.runner.stop()
