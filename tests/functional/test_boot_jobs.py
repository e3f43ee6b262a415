"""The conductor's boots as jobs, in an embedded cloud on SQLite with the database board.

A "dead conductor" here is a BootJobs of its own on the cloud's board whose
wall clock lags two hours behind: every claim it makes has already expired
for the cloud's conductor, as if it had died just after claiming. The cloud's
poller is set to look at the board once an hour, so no boot is taken over
behind a test's back.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from oslo_config import cfg
from taskflow import states
from taskflow.jobs import base as jobs_base

from nova_lite.common import timeutils
from nova_lite.conductor import boot_jobs, persistence, token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.jobboards.backends import impl_database
from tests.functional.conftest import CloudEnv, MakeEnv

MAX_CLAIMS = 2


class LaggingClock:
    """A UTC clock two hours behind, moved on by the test."""

    def __init__(self) -> None:
        self.now = timeutils.utcnow() - datetime.timedelta(hours=2)

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


class Board:
    """Boards and BootJobs beside the cloud's conductor, on its board namespace."""

    def __init__(self, env: CloudEnv) -> None:
        self.env = env
        self.persistence = persistence.DatabaseBackend(env.cloud.db)
        self.namespace = env.cloud.conf.jobboard.namespace
        self._made: list[boot_jobs.BootJobs] = []

    def board(self, clock: Any = timeutils.utcnow) -> impl_database.DatabaseJobBoard:
        board = impl_database.DatabaseJobBoard(self.namespace, {'namespace': self.namespace},
                                               persistence=self.persistence,
                                               db=self.env.cloud.db, clock=clock)
        board.connect()
        return board

    def conductor(self, who: str, clock: Any = timeutils.utcnow) -> boot_jobs.BootJobs:
        settings = boot_jobs.JobSettings(claim_expiry=30.0, poll_interval=3600.0,
                                         max_claims=MAX_CLAIMS)
        jobs = boot_jobs.BootJobs(self.board(clock), self.persistence, who, settings)
        self._made.append(jobs)
        return jobs

    def stop(self) -> None:
        for jobs in self._made:
            jobs.stop()


@pytest.fixture
def env(make_env: MakeEnv, conf: cfg.ConfigOpts) -> CloudEnv:
    conf.set_override('poll_interval', 3600.0, group='jobboard')
    conf.set_override('max_claims', MAX_CLAIMS, group='jobboard')
    return make_env()


@pytest.fixture
def board(env: CloudEnv) -> Iterator[Board]:
    made = Board(env)
    yield made
    made.stop()


def _building_instance(env: CloudEnv) -> dict[str, Any]:
    """An instance in BUILD whose boot request the conductor never got."""
    spec = env.cloud.compute_api.build_request_spec(env.ctx, env.server_body())
    return env.cloud.instances.create(
        name='vm', project_id=env.ctx.project_id, user_id=env.ctx.user_id,
        flavor_id=spec['flavor']['id'], image_id=env.image['id'], availability_zone=None,
        metadata={}, build_request={'request_spec': spec, 'networks': spec['networks']})


def _store(env: CloudEnv, instance: dict[str, Any]) -> dict[str, Any]:
    return {keys.INSTANCE_ID: instance['id'],
            keys.SEALED_TOKEN: env.cloud.boot_deps.sealer.seal(env.token),
            keys.REQUEST_SPEC: instance['build_request']['request_spec']}


def _claimed_by_the_dead(board: Board, job: jobs_base.Job, times: int) -> None:
    """A conductor claims ``job`` ``times`` times and dies each time."""
    clock = LaggingClock()
    dead = board.conductor('dead-conductor', clock)
    for _ in range(times):
        assert dead.claim(job) is not None
        clock.advance(60)  # past its claim: it may claim again


def _hold_what_a_half_done_boot_holds(env: CloudEnv, instance_id: str) -> None:
    """A port (with an address) and an attached volume, as the gather tasks leave them."""
    env.cloud.networks.create_port(env.ctx, env.network['id'], device_id=instance_id,
                                   device_owner='compute:nova')
    attachment = env.cloud.volumes.reserve_volume(env.ctx, env.volumes[0]['id'], instance_id)
    env.cloud.volumes.attach_volume(env.ctx, attachment['id'], 'test-host', '/dev/vdb')
    held = env.leftovers(instance_id)
    assert (held.ports, held.ips, held.volume_attachments) == (1, 1, 1)


def _claims(board: Board, flow_uuid: str) -> int:
    return board.persistence.get_connection().get_flow_details(flow_uuid).meta[
        boot_jobs.CLAIMS_META_KEY]


def _run_state(board: Board, instance_id: str) -> str | None:
    (run,) = persistence.runs_of_book(board.persistence, instance_id)
    return run.state


def test_a_boot_claimed_more_than_max_claims_times_is_moved_aside(
        env: CloudEnv, board: Board) -> None:
    instance = _building_instance(env)
    poster = board.conductor('poster')
    job = poster.post_boot(instance['id'], _store(env, instance))
    _hold_what_a_half_done_boot_holds(env, instance['id'])
    _claimed_by_the_dead(board, job, MAX_CLAIMS)

    outcome = env.cloud.conductor.runner.claim_and_run(job)

    assert outcome is boot_jobs.BootOutcome.ERROR
    server = env.cloud.compute_api.get_server(env.ctx, instance['id'])
    assert server['status'] == 'ERROR' and server['task_state'] is None
    assert server['fault']['message'] == (
        f'Boot abandoned: its conductor stopped {MAX_CLAIMS} times while running it')
    assert env.leftovers(instance['id']).total() == 0
    assert env.volume()['status'] == 'available'
    observer = board.board()
    assert [trashed.uuid for trashed in observer.trashed_jobs()] == [job.uuid]
    assert poster.jobs_of_instance(instance['id']) == []
    assert _run_state(board, instance['id']) == states.FAILURE
    assert _claims(board, job.details['flow_uuid']) == MAX_CLAIMS + 1


def test_a_boot_claimed_up_to_max_claims_times_is_taken_over_and_finished(
        env: CloudEnv, board: Board, caplog: pytest.LogCaptureFixture) -> None:
    instance = _building_instance(env)
    poster = board.conductor('poster')
    job = poster.post_boot(instance['id'], _store(env, instance))
    _claimed_by_the_dead(board, job, MAX_CLAIMS - 1)

    with caplog.at_level(logging.WARNING, logger='nova_lite.conductor.boot_runner'):
        outcome = env.cloud.conductor.runner.claim_and_run(job)

    assert outcome is boot_jobs.BootOutcome.ACTIVE
    assert f'Taking over the boot of {instance["id"]} (claim {MAX_CLAIMS} of at most ' \
           f'{MAX_CLAIMS})' in caplog.text
    assert env.cloud.compute_api.get_server(env.ctx, instance['id'])['status'] == 'ACTIVE'
    assert poster.jobs_of_instance(instance['id']) == []  # consumed ...
    assert board.board().trashed_jobs() == []  # ... not trashed
    assert _run_state(board, instance['id']) == states.SUCCESS
    assert _claims(board, job.details['flow_uuid']) == MAX_CLAIMS


def test_claim_and_run_leaves_a_job_held_elsewhere_alone(env: CloudEnv, board: Board) -> None:
    instance = _building_instance(env)
    holder = board.conductor('holder')
    job = holder.post_boot(instance['id'], _store(env, instance))
    assert holder.claim(job) is not None

    assert env.cloud.conductor.runner.claim_and_run(job) is None

    assert holder.board.find_owner(job) == 'holder'
    assert env.cloud.compute_api.get_server(env.ctx, instance['id'])['status'] == 'BUILD'
    assert _run_state(board, instance['id']) == states.PENDING


def test_withdraw_claims_and_consumes_an_unclaimed_boot_job(env: CloudEnv,
                                                            board: Board) -> None:
    instance = _building_instance(env)
    poster = board.conductor('poster')
    job = poster.post_boot(instance['id'], _store(env, instance))

    assert env.cloud.conductor.runner.withdraw_boot_job(instance['id']) is True

    assert poster.jobs_of_instance(instance['id']) == []
    assert board.board().trashed_jobs() == []
    assert _run_state(board, instance['id']) == states.FAILURE
    assert _claims(board, job.details['flow_uuid']) == 1
    # Nothing ran: the instance is as it was.
    assert env.cloud.compute_api.get_server(env.ctx, instance['id'])['status'] == 'BUILD'


def test_withdraw_returns_false_for_a_job_held_elsewhere(env: CloudEnv, board: Board) -> None:
    instance = _building_instance(env)
    holder = board.conductor('holder')
    job = holder.post_boot(instance['id'], _store(env, instance))
    assert holder.claim(job) is not None

    assert env.cloud.conductor.runner.withdraw_boot_job(instance['id']) is False

    assert holder.board.find_owner(job) == 'holder'
    assert [found.uuid for found in holder.jobs_of_instance(instance['id'])] == [job.uuid]
    assert _run_state(board, instance['id']) == states.PENDING
    assert _claims(board, job.details['flow_uuid']) == 1


def test_withdraw_with_no_job_on_the_board_is_true(env: CloudEnv) -> None:
    instance = _building_instance(env)
    assert env.cloud.conductor.runner.withdraw_boot_job(instance['id']) is True


def _rotate_conductor_keys(env: CloudEnv) -> list[int]:
    return token_seal.rotate_repository(env.cloud.conf.conductor.token_key_repository,
                                        env.cloud.conf.conductor.token_max_active_keys)


def test_a_boot_whose_conductor_key_was_rotated_after_its_post_still_runs(
        env: CloudEnv, board: Board) -> None:
    instance = _building_instance(env)
    job = board.conductor('poster').post_boot(instance['id'], _store(env, instance))
    assert _rotate_conductor_keys(env) == [0, 1, 2]  # key 1 sealed the token; 2 is primary

    outcome = env.cloud.conductor.runner.claim_and_run(job)

    assert outcome is boot_jobs.BootOutcome.ACTIVE
    assert env.cloud.compute_api.get_server(env.ctx, instance['id'])['status'] == 'ACTIVE'
    assert _run_state(board, instance['id']) == states.SUCCESS


def test_a_boot_whose_conductor_key_was_rotated_out_ends_in_error(
        env: CloudEnv, board: Board) -> None:
    instance = _building_instance(env)
    job = board.conductor('poster').post_boot(instance['id'], _store(env, instance))
    _rotate_conductor_keys(env)
    assert _rotate_conductor_keys(env) == [0, 2, 3]  # key 1, which sealed it, is gone

    outcome = env.cloud.conductor.runner.claim_and_run(job)

    assert outcome is boot_jobs.BootOutcome.ERROR
    server = env.cloud.compute_api.get_server(env.ctx, instance['id'])
    assert server['status'] == 'ERROR' and server['task_state'] is None
    assert 'cannot be unsealed' in server['fault']['message']
    assert env.leftovers(instance['id']).total() == 0
    assert board.conductor('observer').jobs_of_instance(instance['id']) == []
