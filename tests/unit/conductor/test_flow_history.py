"""The recorder's history of a flow run, on real TaskFlow engines saved in SQLite.

A boot-shaped flow retried over hosts by the real HostRetry: a spawn that
fails on host1 moves to host2; a conductor that dies inside a task (an
exception no engine catches) leaves the run to another, which resumes it
from the stored flow detail.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator
from typing import Any

import futurist
import pytest
import sqlalchemy as sa
from taskflow import states, task
from taskflow.patterns import graph_flow, linear_flow

from nova_lite.common import exception
from nova_lite.conductor import flow_states
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import host_retry, keys
from nova_lite.db import api as db_api
from nova_lite.db.models import flow_history
from nova_lite.flowviz import account as run_account

INSTANCE = 'b0075e51-0000-4000-8000-000000000001'
HOSTS = ('host1', 'host2', 'host3')


class ConductorDied(BaseException):
    """Raised inside a task: the engine stops dead, as if its process was killed."""


Hook = Callable[[str], None]


class Schedule(task.Task):
    """Picks the first host that has not failed: (host, alternates)."""

    def __init__(self) -> None:
        super().__init__(keys.SCHEDULE, requires=[keys.FAILED_HOSTS],
                         provides=[keys.HOST, keys.ALTERNATE_HOSTS])

    def execute(self, failed_hosts: list[str]) -> tuple[str, list[str]]:
        free = [host for host in HOSTS if host not in failed_hosts]
        return free[0], free[1:]

    def revert(self, *args: Any, **kwargs: Any) -> None:
        return None


class Step(task.Task):
    """A task that counts its runs and runs the test's hook (given the host) first."""

    def __init__(self, name: str, calls: collections.Counter[str],
                 hooks: dict[str, Hook], requires: tuple[str, ...] = ()) -> None:
        super().__init__(name, requires=[keys.HOST, *requires], provides=name)
        self.calls = calls
        self.hooks = hooks

    def execute(self, host: str, **_inputs: Any) -> str:
        self.calls[self.name] += 1
        hook = self.hooks.get(self.name)
        if hook is not None:
            hook(host)
        return f'{self.name}@{host}'

    def revert(self, *args: Any, **kwargs: Any) -> None:
        return None


class First(task.Task):
    def execute(self) -> str:
        return 'first'


class HostRetryDyingOnce(host_retry.HostRetry):
    """The real HostRetry, whose conductor dies as it starts attempt ``dies_at``."""

    def __init__(self, calls: collections.Counter[str], dies_at: int) -> None:
        super().__init__(max_attempts=3)
        self.calls = calls
        self.dies_at = dies_at

    def execute(self, history: Any, *args: Any, **kwargs: Any) -> list[str]:
        if len(history) + 1 == self.dies_at and not self.calls['died:retry']:
            self.calls['died:retry'] += 1
            raise ConductorDied('retry')
        return super().execute(history, *args, **kwargs)


def boot_flow(calls: collections.Counter[str], hooks: dict[str, Hook],
              retry_dies_at: int = 0) -> linear_flow.Flow:
    """The boot flow's shape with the real HostRetry: schedule, gather, spawn."""
    gather = graph_flow.Flow(keys.GATHER_FLOW).add(
        Step(keys.GET_FLAVOR, calls, hooks), Step(keys.ALLOCATE_NETWORK, calls, hooks))
    reschedule = linear_flow.Flow(keys.RESCHEDULE_FLOW,
                                  retry=HostRetryDyingOnce(calls, retry_dies_at)).add(
        Schedule(), gather,
        Step(keys.SPAWN, calls, hooks, (keys.GET_FLAVOR, keys.ALLOCATE_NETWORK)))
    return linear_flow.Flow(keys.BOOT_FLOW).add(
        First(keys.AUTHENTICATE), reschedule,
        Step(keys.MARK_ACTIVE, calls, hooks, (keys.SPAWN,)))


def fail_spawn_on(bad_host: str) -> Hook:
    def hook(host: str) -> None:
        if host == bad_host:
            raise exception.RetryableBuildError(instance_id=INSTANCE, host=host,
                                                reason='hypervisor refused the domain')
    return hook


def die_once(calls: collections.Counter[str], name: str, host: str | None = None) -> Hook:
    """Kill the conductor the first time ``name`` runs (on ``host``, if given)."""
    def hook(on_host: str) -> None:
        if (host is None or on_host == host) and not calls[f'died:{name}']:
            calls[f'died:{name}'] += 1
            raise ConductorDied(name)
    return hook


@pytest.fixture
def executor() -> Iterator[futurist.ThreadPoolExecutor]:
    pool = futurist.ThreadPoolExecutor(max_workers=4)
    yield pool
    pool.shutdown(wait=True)


def run_as(runner: str, db: db_api.Database, flow: linear_flow.Flow, flow_uuid: str | None,
           executor: futurist.ThreadPoolExecutor) -> str:
    """Run (flow_uuid None) or resume a stored boot as conductor ``runner``."""
    backend = flow_persistence.DatabaseBackend(db)
    if flow_uuid is None:
        book, detail = flow_persistence.start_run(backend, keys.BOOT_FLOW,
                                                  book_uuid=INSTANCE)
        engine = flow_persistence.load_engine(flow, backend, detail, book=book,
                                              store={keys.INSTANCE_ID: INSTANCE},
                                              engine='parallel', executor=executor)
    else:
        book, detail = flow_persistence.load_run(backend, flow_uuid)
        engine = flow_persistence.load_engine(flow, backend, detail, book=book,
                                              engine='parallel', executor=executor)
    with flow_states.AtomStateRecorder(engine, db, INSTANCE, keys.BOOT_FLOW, runner=runner):
        engine.run()
    return detail.uuid


def crash_as(runner: str, db: db_api.Database, flow: linear_flow.Flow,
             executor: futurist.ThreadPoolExecutor) -> str:
    """Start the boot as ``runner`` and let it die; returns the stored run's uuid."""
    backend = flow_persistence.DatabaseBackend(db)
    with pytest.raises(ConductorDied):
        run_as(runner, db, flow, None, executor)
    [run] = flow_persistence.unfinished_runs(backend)
    return run.flow_uuid


def events(db: db_api.Database) -> list[flow_history.FlowAtomEvent]:
    model = flow_history.FlowAtomEvent
    with db.reader() as session:
        return list(session.scalars(sa.select(model).where(model.instance_id == INSTANCE)
                                    .order_by(model.seq)).all())


@pytest.mark.parametrize('database', ['db', 'pg_db'])
def test_reschedule_is_told_attempt_by_attempt(database: str, request: pytest.FixtureRequest,
                                               executor: futurist.ThreadPoolExecutor) -> None:
    db: db_api.Database = request.getfixturevalue(database)
    calls: collections.Counter[str] = collections.Counter()
    run_as('conductor-a', db, boot_flow(calls, {keys.SPAWN: fail_spawn_on('host1')}),
           None, executor)
    assert calls[keys.SPAWN] == 2

    account = run_account.load_account(db, INSTANCE, keys.BOOT_FLOW)
    lines = account.lines()
    assert lines == [
        'started by conductor conductor-a',
        'attempt 1 on host1 by conductor-a: spawn FAILED, reverted',
        'attempt 2 on host2 by conductor-a: spawn SUCCESS',
        f'{keys.BOOT_FLOW} ended SUCCESS',
    ]
    notes = account.atom_notes()
    assert notes[keys.SPAWN] == ['attempt 1 on host1: REVERTED',
                                 'attempt 2 on host2: SUCCESS']
    assert keys.MARK_ACTIVE not in notes  # outside the retried subflow

    recorded = events(db)
    spawn = [(e.state, e.attempt, e.host) for e in recorded if e.atom_name == keys.SPAWN]
    assert (states.FAILURE, 1, 'host1') in spawn
    assert spawn[-1] == (states.SUCCESS, 2, 'host2')
    # schedule has no host until it chose one; the retry counts the attempts.
    schedule = [(e.state, e.host) for e in recorded if e.atom_name == keys.SCHEDULE]
    assert schedule[0] == (states.RUNNING, None) and schedule[1] == (states.SUCCESS, 'host1')
    retry_runs = [e.attempt for e in recorded
                  if e.atom_name == keys.HOST_RETRY and e.state == states.RUNNING]
    assert retry_runs == [1, 2]
    assert all(e.attempt is None and e.host is None for e in recorded
               if e.atom_name in (keys.AUTHENTICATE, keys.MARK_ACTIVE))
    assert {e.runner for e in recorded} == {'conductor-a'}
    # The last-state table is still written as before.
    last, runs = flow_states.load_atom_states(db, INSTANCE, keys.BOOT_FLOW)
    assert last[keys.SPAWN] == states.SUCCESS and runs[keys.SPAWN] == 2


def test_resumed_run_tells_which_task_ran_twice_and_who_ran_it(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    calls: collections.Counter[str] = collections.Counter()
    hooks = {keys.SPAWN: die_once(calls, keys.SPAWN)}
    flow_uuid = crash_as('conductor-a', db, boot_flow(calls, hooks), executor)
    last, _runs = flow_states.load_atom_states(db, INSTANCE, keys.BOOT_FLOW)
    assert last[keys.SPAWN] == states.RUNNING

    run_as('conductor-b', db, boot_flow(calls, hooks), flow_uuid, executor)
    assert calls[keys.SPAWN] == 2 and calls[keys.GET_FLAVOR] == 1

    account = run_account.load_account(db, INSTANCE, keys.BOOT_FLOW)
    first, resumed = account.runs
    assert (first.runner, first.ended, first.left_unfinished) == (
        'conductor-a', None, (keys.SPAWN,))
    assert (resumed.runner, resumed.ran_again, resumed.ended) == (
        'conductor-b', {keys.SPAWN: 2}, states.SUCCESS)
    assert account.ran_twice == (keys.SPAWN,)
    assert account.lines() == [
        f'started by conductor conductor-a; stopped while running {keys.SPAWN}',
        'attempt 1 on host1 by conductor-a then conductor-b: spawn SUCCESS',
        'resumed by conductor conductor-b (tasks run twice: spawn)',
        f'{keys.BOOT_FLOW} ended SUCCESS',
    ]
    assert 'run again after a stop by conductor-b' in account.atom_notes()[keys.SPAWN]
    # The resumed spawn is counted as a run, with the host the first conductor chose.
    _last, runs = flow_states.load_atom_states(db, INSTANCE, keys.BOOT_FLOW)
    assert runs[keys.SPAWN] == 2 and runs[keys.SCHEDULE] == 1
    rerun = [e for e in events(db) if e.atom_name == keys.SPAWN and e.runner == 'conductor-b']
    assert (rerun[0].state, rerun[0].attempt, rerun[0].host) == (states.RUNNING, 1, 'host1')


def test_resume_in_the_second_attempt_keeps_its_number_and_host(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    calls: collections.Counter[str] = collections.Counter()
    died = die_once(calls, keys.SPAWN, host='host2')
    failed = fail_spawn_on('host1')

    def spawn(host: str) -> None:
        failed(host)
        died(host)

    hooks = {keys.SPAWN: spawn}
    flow_uuid = crash_as('conductor-a', db, boot_flow(calls, hooks), executor)
    run_as('conductor-b', db, boot_flow(calls, hooks), flow_uuid, executor)

    lines = run_account.load_account(db, INSTANCE, keys.BOOT_FLOW).lines()
    assert 'attempt 1 on host1 by conductor-a: spawn FAILED, reverted' in lines
    assert 'attempt 2 on host2 by conductor-a then conductor-b: spawn SUCCESS' in lines
    assert 'resumed by conductor conductor-b (tasks run twice: spawn)' in lines
    assert lines[-1] == f'{keys.BOOT_FLOW} ended SUCCESS'
    _last, runs = flow_states.load_atom_states(db, INSTANCE, keys.BOOT_FLOW)
    assert runs[keys.SPAWN] == 3 and runs[keys.HOST_RETRY] == 2


def test_death_as_the_retry_starts_an_attempt_resumes_that_attempt(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    calls: collections.Counter[str] = collections.Counter()
    hooks = {keys.SPAWN: fail_spawn_on('host1')}
    flow_uuid = crash_as('conductor-a', db, boot_flow(calls, hooks, retry_dies_at=1),
                         executor)
    run_as('conductor-b', db, boot_flow(calls, hooks, retry_dies_at=1), flow_uuid, executor)

    account = run_account.load_account(db, INSTANCE, keys.BOOT_FLOW)
    assert [a.describe() for a in account.attempts] == [
        'attempt 1 on host1 by conductor-a then conductor-b: spawn FAILED, reverted',
        'attempt 2 on host2 by conductor-b: spawn SUCCESS']
    assert account.runs[1].ran_again == {keys.HOST_RETRY: 2}
    _last, runs = flow_states.load_atom_states(db, INSTANCE, keys.BOOT_FLOW)
    assert runs[keys.HOST_RETRY] == 3 and runs[keys.SPAWN] == 2


def test_suspended_and_resumed_run_ran_nothing_twice(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    calls: collections.Counter[str] = collections.Counter()
    engines: list[Any] = []
    hooks = {keys.GET_FLAVOR: lambda _host: engines[0].suspend()}
    backend = flow_persistence.DatabaseBackend(db)
    book, detail = flow_persistence.start_run(backend, keys.BOOT_FLOW, book_uuid=INSTANCE)
    engines.append(flow_persistence.load_engine(
        boot_flow(calls, hooks), backend, detail, book=book,
        store={keys.INSTANCE_ID: INSTANCE}, engine='serial'))
    with flow_states.AtomStateRecorder(engines[0], db, INSTANCE, keys.BOOT_FLOW,
                                       runner='conductor-a'):
        engines[0].run()
    run_as('conductor-a', db, boot_flow(calls, {}), detail.uuid, executor)

    account = run_account.load_account(db, INSTANCE, keys.BOOT_FLOW)
    assert [run.ended for run in account.runs] == [states.SUSPENDED, states.SUCCESS]
    assert account.ran_twice == ()
    assert ('resumed by conductor conductor-a (no task was running when the previous run '
            'stopped)') in account.lines()
    assert set(calls.values()) == {1}


def test_last_states_are_kept_without_an_upsert(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A dialect with no INSERT ... ON CONFLICT: UPDATE, then INSERT when no row was."""
    monkeypatch.setattr(flow_states, '_UPSERT_LAST_STATE', {})
    calls: collections.Counter[str] = collections.Counter()
    run_as('conductor-a', db, boot_flow(calls, {keys.SPAWN: fail_spawn_on('host1')}),
           None, executor)
    last, runs = flow_states.load_atom_states(db, INSTANCE, keys.BOOT_FLOW)
    assert last[keys.SPAWN] == states.SUCCESS and runs[keys.SPAWN] == 2
    assert last[keys.AUTHENTICATE] == states.SUCCESS and runs[keys.AUTHENTICATE] == 1
    assert keys.BOOT_FLOW not in last  # the flow's own events have no last-state row
