"""BootJobs on the database jobboard (SQLite): post, claim, count claims, finish, trash.

Every conductor here is a BootJobs with a board of its own on one namespace;
all share a manual clock (monotonic for the leases, UTC for the board's claim
expiry times), so claims run out when a test moves the clock, not after sleeps.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from taskflow import exceptions as tf_exc
from taskflow import states, task
from taskflow.jobs import base as jobs_base
from taskflow.patterns import linear_flow
from taskflow.types import failure as ft

from nova_lite.conductor import boot_jobs, persistence
from nova_lite.conductor.flows import keys
from nova_lite.conductor.jobboards import lease
from nova_lite.conductor.jobboards.backends import impl_database
from nova_lite.db import api as db_api
from tests.unit.conductor.clocks import ManualClock

EXPIRY = 30.0
PATIENCE = 5.0


class Cloud:
    """The conductors of one cloud: one database, one board namespace, one clock."""

    def __init__(self, db: db_api.Database) -> None:
        self.db = db
        self.clock = ManualClock(start=2000.0)
        self.namespace = f'nl_boots_{uuid.uuid4().hex[:8]}'
        self.persistence = persistence.DatabaseBackend(db)
        self._conductors: list[boot_jobs.BootJobs] = []

    def board(self) -> impl_database.DatabaseJobBoard:
        board = impl_database.DatabaseJobBoard(self.namespace, {'namespace': self.namespace},
                                               persistence=self.persistence, db=self.db,
                                               clock=self.clock.utc)
        board.connect()
        return board

    def conductor(self, who: str, *, poll_interval: float = 1.0,
                  max_claims: int = 3) -> boot_jobs.BootJobs:
        settings = boot_jobs.JobSettings(claim_expiry=EXPIRY, poll_interval=poll_interval,
                                         max_claims=max_claims)
        jobs = boot_jobs.BootJobs(self.board(), self.persistence, who, settings,
                                  clock=self.clock)
        self._conductors.append(jobs)
        return jobs

    def stop(self) -> None:
        for jobs in self._conductors:
            jobs.stop()


@pytest.fixture
def cloud(db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(db)
    yield made
    made.stop()


def _store(instance_id: str) -> dict[str, Any]:
    return {keys.INSTANCE_ID: instance_id, keys.SEALED_TOKEN: f'sealed-token-of-{instance_id}',
            keys.REQUEST_SPEC: {'flavor': {'id': 'small'}, 'volume_ids': ['v-1']}}


def _claims_in_meta(cloud: Cloud, flow_uuid: str) -> int:
    with contextlib.closing(cloud.persistence.get_connection()) as conn:
        return conn.get_flow_details(flow_uuid).meta[boot_jobs.CLAIMS_META_KEY]


# -- helpers of the module ----------------------------------------------------------------


def test_conductor_identity_is_new_each_time_and_names_the_host() -> None:
    first, second = (boot_jobs.conductor_identity('conductor-1') for _ in range(2))
    assert first != second
    assert first.startswith('conductor-1:') and second.startswith('conductor-1:')


def _failure_of(exc: Exception) -> ft.Failure:
    try:
        raise exc
    except Exception as raised:
        return ft.Failure.from_exception(raised)


def test_is_claim_lost_sees_a_claim_lost_bare_or_wrapped() -> None:
    lost = lease.ClaimLost('boot-i', 'it expired before it was renewed')
    assert boot_jobs.is_claim_lost(lost)
    assert boot_jobs.is_claim_lost(tf_exc.WrappedFailure([_failure_of(RuntimeError('x')),
                                                          _failure_of(lost)]))
    assert not boot_jobs.is_claim_lost(tf_exc.WrappedFailure([_failure_of(RuntimeError('x'))]))
    assert not boot_jobs.is_claim_lost(RuntimeError('Lost the claim on job boot-i'))


# -- posting --------------------------------------------------------------------------------


class SeeStore(task.Task):
    """Returns the store values a boot's first task would get."""

    def execute(self, instance_id: str, sealed_token: str, request_spec: dict[str, Any],
                ) -> dict[str, Any]:
        return {'instance_id': instance_id, 'sealed_token': sealed_token,
                'request_spec': request_spec}


def test_post_boot_saves_the_logbook_with_its_store_and_posts_one_job(cloud: Cloud) -> None:
    jobs = cloud.conductor('conductor-a')
    job = jobs.post_boot('inst-1', _store('inst-1'))

    assert job.name == 'boot-inst-1'
    assert job.details == {'instance_id': 'inst-1', 'flow_uuid': job.details['flow_uuid']}
    assert job.book_uuid == 'inst-1'
    assert jobs.board.job_count == 1
    (run,) = persistence.runs_of_book(cloud.persistence, 'inst-1')
    assert (run.book_name, run.flow_name, run.flow_uuid) == (
        'boot-inst-1', keys.BOOT_FLOW, job.details['flow_uuid'])
    assert run.state == states.PENDING
    (listed,) = jobs.board.fetch_jobs()
    assert listed.uuid == job.uuid and listed.details == job.details

    # An engine loaded later from the stored run, with no store given, sees it.
    book, flow_detail = persistence.load_run(persistence.DatabaseBackend(cloud.db),
                                             run.flow_uuid)
    flow = linear_flow.Flow(keys.BOOT_FLOW).add(SeeStore(name='see', provides='seen'))
    engine = persistence.load_engine(flow, cloud.persistence, flow_detail, book=book)
    engine.run()
    assert engine.storage.fetch('seen') == _store('inst-1')


# -- claiming -------------------------------------------------------------------------------


def test_claims_are_counted_across_conductors_as_claims_expire(cloud: Cloud) -> None:
    conductor_a, conductor_b = cloud.conductor('conductor-a'), cloud.conductor('conductor-b')
    job = conductor_a.post_boot('inst-2', _store('inst-2'))

    first = conductor_a.claim(job)
    assert first is not None
    assert (first.instance_id, first.flow_uuid, first.claims) == (
        'inst-2', job.details['flow_uuid'], 1)
    assert first.lease.job is job
    assert conductor_a.board.find_owner(job) == 'conductor-a'
    assert conductor_b.claim(job) is None  # held
    assert conductor_a.claim(job) is None  # held, even by the claimer itself

    cloud.clock.advance(EXPIRY)  # conductor A's claim ran out
    second = conductor_b.claim(job)
    assert second is not None and second.claims == 2
    assert conductor_b.board.find_owner(job) == 'conductor-b'
    with pytest.raises(lease.ClaimLost):
        first.lease.ensure()

    cloud.clock.advance(EXPIRY)
    third = conductor_a.claim(job)
    assert third is not None and third.claims == 3
    assert _claims_in_meta(cloud, job.details['flow_uuid']) == 3


def test_claim_does_not_start_the_lease_and_its_deadline_is_the_claims(cloud: Cloud) -> None:
    jobs = cloud.conductor('conductor-a')
    job = jobs.post_boot('inst-3', _store('inst-3'))
    claimed = jobs.claim(job)
    assert claimed is not None
    assert not any(thread.name == f'lease-{job.name}' for thread in threading.enumerate())
    cloud.clock.advance(EXPIRY - 0.01)
    claimed.lease.ensure()
    assert claimed.lease.renew() is True  # against the board: this conductor holds it
    cloud.clock.advance(EXPIRY - 0.01)
    claimed.lease.ensure()
    assert jobs.board.find_owner(job) == 'conductor-a'
    cloud.clock.advance(0.01)
    with pytest.raises(lease.ClaimLost):
        claimed.lease.ensure()


def test_claim_of_a_job_whose_logbook_is_gone_consumes_it(cloud: Cloud) -> None:
    jobs = cloud.conductor('conductor-a')
    job = jobs.post_boot('inst-4', _store('inst-4'))
    with contextlib.closing(cloud.persistence.get_connection()) as conn:
        conn.destroy_logbook('inst-4')

    assert jobs.claim(job) is None
    assert jobs.board.job_count == 0
    assert jobs.board.trashed_jobs() == []
    assert job.state == states.COMPLETE
    assert jobs.jobs_of_instance('inst-4') == []


def test_claim_of_a_job_naming_no_boot_trashes_it(cloud: Cloud) -> None:
    jobs = cloud.conductor('conductor-a')
    job = jobs.board.post('boot-inst-5', details={'instance_id': 'inst-5'})  # no flow_uuid
    assert jobs.claim(job) is None
    assert [trashed.uuid for trashed in jobs.board.trashed_jobs()] == [job.uuid]
    assert jobs.board.job_count == 0


def test_claim_of_a_finished_job_returns_none(cloud: Cloud) -> None:
    conductor_a, conductor_b = cloud.conductor('conductor-a'), cloud.conductor('conductor-b')
    job = conductor_a.post_boot('inst-6', _store('inst-6'))
    assert conductor_a.claim(job) is not None
    conductor_a.finish(job)
    assert conductor_b.claim(job) is None


# -- listing --------------------------------------------------------------------------------


def test_unclaimed_jobs_lists_only_boot_jobs_nobody_holds(cloud: Cloud) -> None:
    jobs = cloud.conductor('conductor-a')
    held = jobs.post_boot('inst-7', _store('inst-7'))
    free = jobs.post_boot('inst-8', _store('inst-8'))
    jobs.board.post('purge-old-runs', details={'what': 'not a boot'})
    assert jobs.claim(held) is not None

    assert [job.name for job in jobs.unclaimed_jobs()] == [free.name]
    cloud.clock.advance(EXPIRY)
    assert sorted(job.name for job in jobs.unclaimed_jobs()) == [held.name, free.name]


def test_jobs_of_instance_lists_its_job_claimed_or_not(cloud: Cloud) -> None:
    jobs = cloud.conductor('conductor-a')
    job = jobs.post_boot('inst-9', _store('inst-9'))
    jobs.post_boot('inst-10', _store('inst-10'))
    assert [found.uuid for found in jobs.jobs_of_instance('inst-9')] == [job.uuid]
    assert jobs.claim(job) is not None
    assert [found.uuid for found in jobs.jobs_of_instance('inst-9')] == [job.uuid]
    assert jobs.jobs_of_instance('inst-unknown') == []


# -- finishing and moving aside -------------------------------------------------------------


def test_finish_consumes_the_job(cloud: Cloud) -> None:
    jobs = cloud.conductor('conductor-a')
    job = jobs.post_boot('inst-11', _store('inst-11'))
    assert jobs.claim(job) is not None
    jobs.finish(job)
    assert job.state == states.COMPLETE
    assert jobs.board.job_count == 0
    assert jobs.jobs_of_instance('inst-11') == []
    assert jobs.board.trashed_jobs() == []
    # The logbook stays (finished runs are purged later).
    assert persistence.runs_of_book(cloud.persistence, 'inst-11') != []


def test_finish_by_a_conductor_that_does_not_hold_the_job_changes_nothing(
        cloud: Cloud, caplog: pytest.LogCaptureFixture) -> None:
    conductor_a, conductor_b = cloud.conductor('conductor-a'), cloud.conductor('conductor-b')
    job = conductor_a.post_boot('inst-12', _store('inst-12'))
    assert conductor_a.claim(job) is not None
    with caplog.at_level(logging.WARNING, logger=boot_jobs.__name__):
        conductor_b.finish(job)
        conductor_b.trash(job)
    assert f'Could not consume job {job.name}' in caplog.text
    assert f'Could not move job {job.name} aside' in caplog.text
    assert conductor_a.board.find_owner(job) == 'conductor-a'
    assert conductor_a.board.trashed_jobs() == []


def test_trash_moves_the_job_aside_for_good(cloud: Cloud) -> None:
    conductor_a, conductor_b = cloud.conductor('conductor-a'), cloud.conductor('conductor-b')
    job = conductor_a.post_boot('inst-13', _store('inst-13'))
    assert conductor_a.claim(job) is not None
    conductor_a.trash(job)
    assert [trashed.uuid for trashed in conductor_a.board.trashed_jobs()] == [job.uuid]
    assert conductor_a.jobs_of_instance('inst-13') == []
    cloud.clock.advance(EXPIRY)
    assert conductor_b.unclaimed_jobs() == []
    assert conductor_b.claim(job) is None


# -- polling ------------------------------------------------------------------------------


def test_poll_once_hands_every_unclaimed_boot_job_over(cloud: Cloud) -> None:
    jobs = cloud.conductor('conductor-a')
    posted = [jobs.post_boot(f'inst-p{i}', _store(f'inst-p{i}')) for i in range(3)]
    assert jobs.claim(posted[0]) is not None
    submitted: list[jobs_base.Job] = []
    assert jobs.poll_once(submitted.append) == 2
    assert sorted(job.uuid for job in submitted) == sorted(job.uuid for job in posted[1:])


def test_polling_submits_jobs_until_stopped(cloud: Cloud) -> None:
    jobs = cloud.conductor('conductor-a', poll_interval=0.05)
    job = jobs.post_boot('inst-14', _store('inst-14'))
    seen = threading.Event()
    submitted: list[str] = []

    def submit(found: jobs_base.Job) -> None:
        submitted.append(found.uuid)
        seen.set()

    jobs.start_polling(submit)
    assert seen.wait(PATIENCE), 'the poller never handed the job over'
    jobs.stop()
    assert not any(thread.name == 'jobboard-poller' and thread.is_alive()
                   for thread in threading.enumerate())
    assert set(submitted) == {job.uuid}
    assert not jobs.board.connected


def test_a_failing_look_at_the_board_does_not_stop_the_poller(
        cloud: Cloud, caplog: pytest.LogCaptureFixture) -> None:
    jobs = cloud.conductor('conductor-a', poll_interval=0.05)
    jobs.post_boot('inst-15', _store('inst-15'))
    calls: list[int] = []
    again = threading.Event()

    def submit(found: jobs_base.Job) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError('the pool is gone')
        again.set()

    submit_fn: Callable[[jobs_base.Job], None] = submit
    with caplog.at_level(logging.ERROR, logger=boot_jobs.__name__):
        jobs.start_polling(submit_fn)
        assert again.wait(PATIENCE), 'the poller stopped after a failure'
        jobs.stop()
    assert 'Looking at the jobboard failed' in caplog.text
