"""DatabaseBackend.fenced: every write of an engine goes through its write guard.

A conductor fences a boot's engine with its claim on the boot's job; once the
claim is lost the engine can save nothing (no result, no failure, no revert),
so it stops where it is and the job's next holder resumes from what was saved.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Callable, Iterator
from typing import Any, cast

import futurist
import pytest
from taskflow import states
from taskflow.jobs import base as jobs_base
from taskflow.patterns import linear_flow
from taskflow.persistence import models

from nova_lite.conductor import boot_jobs, faults, persistence
from nova_lite.conductor.jobboards import base as board_base
from nova_lite.conductor.jobboards import lease
from nova_lite.conductor.tasks import base as task_base
from nova_lite.db import api as db_api

STEPS = ('one', 'two', 'three', 'four')
EXPIRY = 10.0


class ManualClock:
    """A monotonic clock the tests move."""

    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RenewingBoard:
    """A board that grants every renewal (these tests lose claims by expiry)."""

    def extend_claim(self, job: jobs_base.Job, who: str, expiry: float) -> bool:
        return True


def _lease(clock: ManualClock) -> lease.ClaimLease:
    job = cast(jobs_base.Job, types.SimpleNamespace(name='boot-fenced'))
    return lease.ClaimLease(cast(board_base.ClaimingJobBoard, RenewingBoard()), job,
                            'conductor-a', EXPIRY, claimed_at=clock(), clock=clock)


def _refuse() -> None:
    raise lease.ClaimLost('boot-fenced', 'the test refused the write')


class Journal:
    """What the tasks of a flow did, in order: ('execute' | 'revert', task name)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str]] = []
        self.hooks: dict[str, Callable[[], None]] = {}

    def executed(self) -> list[str]:
        return [name for what, name in self.entries if what == 'execute']

    def reverted(self) -> list[str]:
        return [name for what, name in self.entries if what == 'revert']


class Step(task_base.FlowTask):
    """A FlowTask that journals its execute and its revert; a hook may run in execute."""

    def __init__(self, name: str, journal: Journal, **kwargs: Any) -> None:
        super().__init__(name, provides=name, requires=('seed',), **kwargs)
        self.journal = journal

    def execute(self, seed: str) -> str:
        self.journal.entries.append(('execute', self.name))
        hook = self.journal.hooks.get(self.name)
        if hook is not None:
            hook()
        return f'{self.name}:{seed}'

    def revert(self, seed: str, **kwargs: Any) -> None:
        self.journal.entries.append(('revert', self.name))


def _flow(journal: Journal, fault_injector: faults.FaultInjector = faults.NO_FAULTS,
          **task_kwargs: Any) -> linear_flow.Flow:
    faulty = faults.wrapper_for(fault_injector)  # as the boot flow's factory does
    return linear_flow.Flow('fenced-boot').add(
        *(faulty(Step(name, journal, **task_kwargs)) for name in STEPS))


@pytest.fixture(scope='module')
def executor() -> Iterator[futurist.ThreadPoolExecutor]:
    pool = futurist.ThreadPoolExecutor(max_workers=4)
    yield pool
    pool.shutdown(wait=True)


def _engine(flow: linear_flow.Flow, backend: persistence.DatabaseBackend,
            flow_detail: models.FlowDetail, executor: futurist.ThreadPoolExecutor,
            *, book: models.LogBook | None = None, store: dict[str, Any] | None = None,
            ) -> Any:
    """An engine as the conductor loads one: parallel, on its flow executor."""
    return persistence.load_engine(flow, backend, flow_detail, book=book, store=store,
                                   engine='parallel', executor=executor)


def _stored_atoms(backend: persistence.DatabaseBackend,
                  flow_uuid: str) -> dict[str, models.AtomDetail]:
    with contextlib.closing(backend.get_connection()) as conn:
        return {ad.name: ad for ad in conn.get_atoms_for_flow(flow_uuid)}


def _flow_state(backend: persistence.DatabaseBackend, flow_uuid: str) -> str | None:
    with contextlib.closing(backend.get_connection()) as conn:
        return conn.get_flow_details(flow_uuid).state


def _resume_unfenced(db: db_api.Database, flow_uuid: str,
                     executor: futurist.ThreadPoolExecutor) -> tuple[Journal, Any]:
    """What the job's next holder does: a new backend, the run read back, resumed."""
    backend = persistence.DatabaseBackend(db)
    book, flow_detail = persistence.load_run(backend, flow_uuid)
    journal = Journal()
    _engine(_flow(journal), backend, flow_detail, executor, book=book).run()
    return journal, backend


# -- each write checks the guard -------------------------------------------------------


def _saved_book(backend: persistence.DatabaseBackend,
                ) -> tuple[models.LogBook, models.FlowDetail, models.TaskDetail]:
    book = models.LogBook('boot-1', uuid='inst-fence-1')
    flow_detail = models.FlowDetail('boot-instance', 'fd-fence-1')
    flow_detail.state = states.RUNNING
    atom = models.TaskDetail('spawn', 'ad-fence-1')
    atom.state = states.RUNNING
    flow_detail.add(atom)
    book.add(flow_detail)
    with contextlib.closing(backend.get_connection()) as conn:
        conn.save_logbook(book)
    return book, flow_detail, atom


def test_fenced_is_a_new_backend_on_the_same_database(db: db_api.Database) -> None:
    backend = persistence.DatabaseBackend(db, persist_progress=True)
    fenced = backend.fenced(_refuse)
    assert fenced is not backend and fenced.db is db
    assert fenced.written.persist_progress is True
    backend.check_write()  # the unfenced backend has no guard
    with pytest.raises(lease.ClaimLost):
        fenced.check_write()


@pytest.mark.parametrize('write', ['update_atom_details', 'update_flow_details',
                                   'save_logbook'])
def test_every_write_is_refused_when_the_guard_raises(db: db_api.Database,
                                                      write: str) -> None:
    backend = persistence.DatabaseBackend(db)
    book, flow_detail, atom = _saved_book(backend)
    atom.state, atom.results = states.SUCCESS, 'spawned'
    flow_detail.state = states.SUCCESS
    book.meta = {'changed': True}
    argument = {'update_atom_details': atom, 'update_flow_details': flow_detail,
                'save_logbook': book}[write]
    with contextlib.closing(backend.fenced(_refuse).get_connection()) as conn:
        with pytest.raises(lease.ClaimLost, match='the test refused the write'):
            getattr(conn, write)(argument)
    stored = _stored_atoms(backend, flow_detail.uuid)['spawn']
    assert (stored.state, stored.results) == (states.RUNNING, None)
    assert _flow_state(backend, flow_detail.uuid) == states.RUNNING
    with contextlib.closing(backend.get_connection()) as conn:
        assert conn.get_logbook(book.uuid).meta == {}


def test_a_new_logbook_is_refused_too(db: db_api.Database) -> None:
    backend = persistence.DatabaseBackend(db)
    book = models.LogBook('boot-2', uuid='inst-fence-2')
    with contextlib.closing(backend.fenced(_refuse).get_connection()) as conn:
        with pytest.raises(lease.ClaimLost):
            conn.save_logbook(book)
    with pytest.raises(Exception, match='No logbook found'):
        backend.get_connection().get_logbook(book.uuid)


def test_a_guard_that_allows_lets_every_write_through(db: db_api.Database) -> None:
    backend = persistence.DatabaseBackend(db)
    book, flow_detail, atom = _saved_book(backend)
    checks: list[str] = []
    fenced = backend.fenced(lambda: checks.append('checked'))
    with contextlib.closing(fenced.get_connection()) as conn:
        atom.state, atom.results = states.SUCCESS, 'spawned'
        conn.update_atom_details(atom)
        flow_detail.state = states.SUCCESS
        conn.update_flow_details(flow_detail)
        conn.save_logbook(book)
    assert checks == ['checked'] * 3
    stored = _stored_atoms(backend, flow_detail.uuid)['spawn']
    assert (stored.state, stored.results) == (states.SUCCESS, 'spawned')
    assert _flow_state(backend, flow_detail.uuid) == states.SUCCESS


def test_an_unchanged_write_is_refused_as_well(db: db_api.Database) -> None:
    """The guard runs before the skip of rows already written."""
    backend = persistence.DatabaseBackend(db)
    _book, _flow_detail, atom = _saved_book(backend)
    refusing = {'on': False}

    def guard() -> None:
        if refusing['on']:
            _refuse()

    with contextlib.closing(backend.fenced(guard).get_connection()) as conn:
        conn.update_atom_details(atom)
        refusing['on'] = True
        with pytest.raises(lease.ClaimLost):
            conn.update_atom_details(atom)


def test_reads_are_not_fenced(db: db_api.Database) -> None:
    backend = persistence.DatabaseBackend(db)
    book, flow_detail, atom = _saved_book(backend)
    fenced = backend.fenced(_refuse)
    with contextlib.closing(fenced.get_connection()) as conn:
        assert conn.get_logbook(book.uuid).find(flow_detail.uuid) is not None
        assert conn.get_flow_details(flow_detail.uuid).state == states.RUNNING
        assert conn.get_atom_details(atom.uuid).name == 'spawn'
        assert [ad.uuid for ad in conn.get_atoms_for_flow(flow_detail.uuid)] == [atom.uuid]
    assert persistence.load_run(fenced, flow_detail.uuid)[1].uuid == flow_detail.uuid


# -- a real engine stops where the claim was lost -----------------------------------------


def _assert_stopped_by_claim_lost(engine: Any) -> BaseException:
    with pytest.raises(Exception) as raised:
        engine.run()
    assert boot_jobs.is_claim_lost(raised.value), repr(raised.value)
    return raised.value


def _start(db: db_api.Database) -> tuple[persistence.DatabaseBackend, models.LogBook,
                                         models.FlowDetail]:
    backend = persistence.DatabaseBackend(db)
    book, flow_detail = persistence.start_run(backend, 'fenced-boot', book_uuid='inst-run')
    return backend, book, flow_detail


def test_engine_stops_without_reverting_when_the_lease_expires_mid_task(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    """The lease runs out while task two works: its result cannot be saved."""
    clock = ManualClock()
    held = _lease(clock)
    backend, book, flow_detail = _start(db)
    journal = Journal()
    journal.hooks['two'] = lambda: clock.advance(EXPIRY)
    engine = _engine(_flow(journal), backend.fenced(held.ensure), flow_detail, executor,
                     book=book, store={'seed': 's'})

    _assert_stopped_by_claim_lost(engine)

    assert journal.executed() == ['one', 'two']
    assert journal.reverted() == []
    stored = _stored_atoms(backend, flow_detail.uuid)
    assert (stored['one'].state, stored['one'].results) == (states.SUCCESS, 'one:s')
    assert stored['two'].state == states.RUNNING and stored['two'].results is None
    assert {stored[name].state for name in ('three', 'four')} <= {None, states.PENDING}
    assert _flow_state(backend, flow_detail.uuid) == states.RUNNING

    # The job's next holder resumes from the stored run: two runs again, then the rest.
    resumed, unfenced = _resume_unfenced(db, flow_detail.uuid, executor)
    assert resumed.executed() == ['two', 'three', 'four']
    assert resumed.reverted() == []
    assert _flow_state(unfenced, flow_detail.uuid) == states.SUCCESS
    final = _stored_atoms(unfenced, flow_detail.uuid)
    assert {name: final[name].results for name in STEPS} == {
        name: f'{name}:s' for name in STEPS}


def test_engine_stops_when_a_flag_flipped_by_a_task_fences_it(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    refusing = {'on': False}

    def guard() -> None:
        if refusing['on']:
            _refuse()

    backend, book, flow_detail = _start(db)
    journal = Journal()
    journal.hooks['three'] = lambda: refusing.update(on=True)
    engine = _engine(_flow(journal), backend.fenced(guard), flow_detail, executor,
                     book=book, store={'seed': 's'})

    _assert_stopped_by_claim_lost(engine)

    assert journal.executed() == ['one', 'two', 'three']
    assert journal.reverted() == []
    stored = _stored_atoms(backend, flow_detail.uuid)
    assert [stored[name].state for name in ('one', 'two', 'three')] == [
        states.SUCCESS, states.SUCCESS, states.RUNNING]
    assert stored['four'].state in (None, states.PENDING)

    resumed, unfenced = _resume_unfenced(db, flow_detail.uuid, executor)
    assert resumed.executed() == ['three', 'four']
    assert resumed.reverted() == []
    assert _flow_state(unfenced, flow_detail.uuid) == states.SUCCESS


class ClockStoppingFaults(faults.FaultInjector):
    """Moves the clock past the claim's expiry as ``atom`` is about to start
    (the conductor was stopped between the atom's RUNNING write and its work)."""

    def __init__(self, clock: ManualClock, atom: str) -> None:
        super().__init__()
        object.__setattr__(self, '_clock', clock)
        object.__setattr__(self, '_atom', atom)

    def before_execute(self, atom_name: str) -> None:
        if atom_name == self._atom:
            self._clock.advance(EXPIRY)


def test_claim_check_stops_a_task_before_its_work_and_the_fence_its_failure(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    """As the conductor runs a boot: FlowTasks checking the lease, on a fenced backend."""
    clock = ManualClock()
    held = _lease(clock)
    backend, book, flow_detail = _start(db)
    journal = Journal()
    flow = _flow(journal, claim_check=held.ensure,
                 fault_injector=ClockStoppingFaults(clock, 'three'))
    engine = _engine(flow, backend.fenced(held.ensure), flow_detail, executor, book=book,
                     store={'seed': 's'})

    _assert_stopped_by_claim_lost(engine)

    assert journal.executed() == ['one', 'two']  # three never did its work
    assert journal.reverted() == []
    stored = _stored_atoms(backend, flow_detail.uuid)
    assert [stored[name].state for name in ('one', 'two', 'three')] == [
        states.SUCCESS, states.SUCCESS, states.RUNNING]
    assert stored['three'].failure is None
    assert stored['four'].state in (None, states.PENDING)

    resumed, unfenced = _resume_unfenced(db, flow_detail.uuid, executor)
    assert resumed.executed() == ['three', 'four']
    assert resumed.reverted() == []
    assert _flow_state(unfenced, flow_detail.uuid) == states.SUCCESS


def test_a_failing_task_reverts_normally_while_the_claim_holds(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    """Control for the tests above: with the claim held, the same flow reverts."""
    clock = ManualClock()
    held = _lease(clock)
    backend, book, flow_detail = _start(db)
    journal = Journal()

    def fail() -> None:
        raise RuntimeError('spawn failed')

    journal.hooks['three'] = fail
    engine = _engine(_flow(journal, claim_check=held.ensure), backend.fenced(held.ensure),
                     flow_detail, executor, book=book, store={'seed': 's'})
    with pytest.raises(RuntimeError, match='spawn failed') as raised:
        engine.run()
    assert not boot_jobs.is_claim_lost(raised.value)
    assert journal.reverted() == ['three', 'two', 'one']
    assert _flow_state(backend, flow_detail.uuid) == states.REVERTED
