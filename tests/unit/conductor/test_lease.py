"""ClaimLease: a board claim mirrored locally, renewed by a keep-alive thread.

Most tests drive the lease with a manual clock and a scripted board (the
board's answers to ``extend_claim``); the rest run it against the database
jobboard on SQLite, where a second conductor tries to take the job.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
import types
import uuid
from collections.abc import Iterator
from typing import Any, cast

import pytest
from taskflow import exceptions as tf_exc
from taskflow.jobs import base as jobs_base

from nova_lite.conductor.jobboards import base as board_base
from nova_lite.conductor.jobboards import lease
from nova_lite.conductor.jobboards.backends import impl_database
from nova_lite.conductor.persistence import DatabaseBackend
from nova_lite.db import api as db_api
from tests.unit.conductor.clocks import ManualClock

EXPIRY = 10.0
PATIENCE = 5.0  # seconds a test waits for a thread before failing


class ScriptedBoard:
    """A board whose ``extend_claim`` answers from a script: True, False or an error.

    Once the script is used up it answers True. ``renewed`` is set after
    ``signal_after`` calls.
    """

    def __init__(self, *answers: bool | Exception, signal_after: int = 1) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, str, float]] = []
        self.renewed = threading.Event()
        self._signal_after = signal_after
        self._guard = threading.Lock()

    def extend_claim(self, job: jobs_base.Job, who: str, expiry: float) -> bool:
        with self._guard:
            self.calls.append((job.name, who, expiry))
            answer = self.answers.pop(0) if self.answers else True
            if len(self.calls) >= self._signal_after:
                self.renewed.set()
        if isinstance(answer, Exception):
            raise answer
        return answer


def _job(name: str = 'boot-inst-1') -> jobs_base.Job:
    return cast(jobs_base.Job, types.SimpleNamespace(name=name))


def _lease(board: ScriptedBoard, clock: ManualClock, expiry: float = EXPIRY,
           job: jobs_base.Job | None = None) -> lease.ClaimLease:
    return lease.ClaimLease(cast(board_base.ClaimingJobBoard, board), job or _job(),
                            'conductor-a', expiry, claimed_at=clock(), clock=clock)


def _lease_thread(job_name: str) -> threading.Thread | None:
    for thread in threading.enumerate():
        if thread.name == f'lease-{job_name}':
            return thread
    return None


# -- ensure / lost -------------------------------------------------------------


def test_ensure_holds_until_the_deadline_then_raises_for_good() -> None:
    clock = ManualClock()
    held = _lease(ScriptedBoard(), clock)
    clock.advance(EXPIRY - 0.001)
    held.ensure()
    assert not held.lost
    clock.advance(0.001)  # exactly claimed_at + expiry
    assert held.lost
    with pytest.raises(lease.ClaimLost, match='expired before it was renewed') as raised:
        held.ensure()
    assert raised.value.job_name == 'boot-inst-1'
    assert 'boot-inst-1' in str(raised.value)
    # Lost for good: even a clock that went back does not bring it back.
    clock.advance(-5)
    with pytest.raises(lease.ClaimLost):
        held.ensure()


def test_deadline_counts_from_claimed_at_not_from_construction() -> None:
    clock = ManualClock()
    claimed_at = clock()
    clock.advance(4)  # the claim round trip took 4 s
    held = lease.ClaimLease(cast(board_base.ClaimingJobBoard, ScriptedBoard()), _job(), 'a',
                            EXPIRY, claimed_at=claimed_at, clock=clock)
    clock.advance(EXPIRY - 4 - 0.01)
    held.ensure()
    clock.advance(0.01)
    with pytest.raises(lease.ClaimLost):
        held.ensure()


def test_renew_moves_the_deadline_to_send_time_plus_expiry() -> None:
    clock = ManualClock()
    board = ScriptedBoard(True)
    held = _lease(board, clock)
    clock.advance(8)
    assert held.renew() is True
    assert board.calls == [('boot-inst-1', 'conductor-a', EXPIRY)]
    clock.advance(EXPIRY - 0.01)  # 17.99 s after the claim: past the first deadline
    held.ensure()
    clock.advance(0.01)
    with pytest.raises(lease.ClaimLost, match='expired'):
        held.ensure()


def test_refused_renewal_loses_the_claim_before_its_deadline() -> None:
    clock = ManualClock()
    board = ScriptedBoard(False)
    held = _lease(board, clock)
    clock.advance(1)
    assert held.renew() is False
    assert held.lost
    with pytest.raises(lease.ClaimLost, match='refused the renewal'):
        held.ensure()
    # Nothing more is asked of the board once lost.
    assert held.renew() is False
    assert len(board.calls) == 1


def test_renew_past_the_deadline_does_not_ask_the_board() -> None:
    clock = ManualClock()
    board = ScriptedBoard()
    held = _lease(board, clock)
    clock.advance(EXPIRY)
    assert held.renew() is False
    assert board.calls == []
    with pytest.raises(lease.ClaimLost, match='expired'):
        held.ensure()


def test_board_error_during_renew_keeps_the_old_deadline(
        caplog: pytest.LogCaptureFixture) -> None:
    clock = ManualClock()
    board = ScriptedBoard(tf_exc.JobFailure('board unreachable'), True)
    held = _lease(board, clock)
    clock.advance(6)
    with caplog.at_level(logging.WARNING, logger=lease.__name__):
        assert held.renew() is True  # not lost: the claim holds until its deadline
    assert 'Could not renew the claim on boot-inst-1' in caplog.text
    clock.advance(EXPIRY - 6 - 0.01)
    held.ensure()  # the old deadline still holds ...
    clock.advance(0.01)
    with pytest.raises(lease.ClaimLost, match='expired'):  # ... and only it
        held.ensure()


def test_board_error_then_a_renewal_before_the_deadline_recovers() -> None:
    clock = ManualClock()
    board = ScriptedBoard(tf_exc.JobFailure('board unreachable'), True)
    held = _lease(board, clock)
    clock.advance(5)
    assert held.renew() is True
    clock.advance(4)
    assert held.renew() is True
    clock.advance(EXPIRY - 0.01)  # 9 + 9.99 s after the claim
    held.ensure()
    assert [call[1] for call in board.calls] == ['conductor-a', 'conductor-a']


# -- the keep-alive thread -----------------------------------------------------------


def test_keep_alive_renews_with_the_lease_expiry_until_stopped() -> None:
    board = ScriptedBoard(signal_after=3)
    job = _job(f'boot-{uuid.uuid4().hex[:8]}')
    held = lease.ClaimLease(cast(board_base.ClaimingJobBoard, board), job, 'conductor-a',
                            0.3, claimed_at=time.monotonic())
    with held:
        thread = _lease_thread(job.name)
        assert thread is not None and thread.daemon
        assert board.renewed.wait(PATIENCE), 'the keep-alive never renewed three times'
        held.ensure()
    assert not thread.is_alive()  # stop() joined it: no renewal after stop
    assert all(call == (job.name, 'conductor-a', 0.3) for call in board.calls)


def test_keep_alive_ends_when_a_renewal_is_refused() -> None:
    board = ScriptedBoard(False)
    job = _job(f'boot-{uuid.uuid4().hex[:8]}')
    held = lease.ClaimLease(cast(board_base.ClaimingJobBoard, board), job, 'conductor-a',
                            0.3, claimed_at=time.monotonic()).start()
    try:
        thread = _lease_thread(job.name)
        assert thread is not None
        thread.join(PATIENCE)
        assert not thread.is_alive(), 'the keep-alive went on after a refused renewal'
        assert len(board.calls) == 1
        with pytest.raises(lease.ClaimLost, match='refused'):
            held.ensure()
    finally:
        held.stop()


def test_keep_alive_survives_a_board_error() -> None:
    # Renewals every 0.2 s: the first fails, the second (before the 0.6 s deadline) works.
    board = ScriptedBoard(tf_exc.JobFailure('down'), True, True, signal_after=3)
    job = _job(f'boot-{uuid.uuid4().hex[:8]}')
    with lease.ClaimLease(cast(board_base.ClaimingJobBoard, board), job, 'conductor-a',
                          0.6, claimed_at=time.monotonic()) as held:
        assert board.renewed.wait(PATIENCE)
        held.ensure()


def test_stop_without_start_and_twice_is_harmless() -> None:
    held = _lease(ScriptedBoard(), ManualClock())
    held.stop()
    held.stop()


# -- against the database jobboard -------------------------------------------------


@pytest.fixture
def boards(db: db_api.Database) -> Iterator[tuple[ManualClock, Any, Any]]:
    """Two conductors' boards on one namespace; conductor B's wall clock is 20 s ahead."""
    clock = ManualClock()
    namespace = f'nl_lease_{uuid.uuid4().hex[:8]}'
    persistence = DatabaseBackend(db)
    board_a = impl_database.DatabaseJobBoard(namespace, {'namespace': namespace},
                                             persistence=persistence, db=db, clock=clock.utc)
    board_b = impl_database.DatabaseJobBoard(
        namespace, {'namespace': namespace}, persistence=persistence, db=db,
        clock=lambda: clock.utc() + datetime.timedelta(seconds=20))
    board_a.connect()
    board_b.connect()
    yield clock, board_a, board_b
    board_a.close()
    board_b.close()


def test_renewal_refused_by_the_board_once_another_conductor_holds_the_job(
        boards: tuple[ManualClock, Any, Any]) -> None:
    clock, board_a, board_b = boards
    job = board_a.post('boot-inst-2', details={'instance_id': 'inst-2'})
    board_a.claim(job, 'conductor-a', expiry=EXPIRY)
    held = lease.ClaimLease(board_a, job, 'conductor-a', EXPIRY, claimed_at=clock(),
                            clock=clock)
    clock.advance(3)
    assert held.renew() is True
    assert board_a.find_owner(job) == 'conductor-a'
    # Conductor B's clock runs ahead: it sees A's claim as expired and takes the job.
    board_b.claim(job, 'conductor-b', expiry=EXPIRY)
    assert held.renew() is False
    with pytest.raises(lease.ClaimLost, match='refused'):
        held.ensure()
    assert board_a.find_owner(job) == 'conductor-b'


def test_keep_alive_holds_a_real_claim_past_its_expiry(db: db_api.Database) -> None:
    namespace = f'nl_lease_{uuid.uuid4().hex[:8]}'
    board_a = impl_database.DatabaseJobBoard(namespace, {'namespace': namespace}, db=db)
    board_b = impl_database.DatabaseJobBoard(namespace, {'namespace': namespace}, db=db)
    board_a.connect()
    board_b.connect()
    expiry = 0.3
    job = board_a.post('boot-inst-3')
    claimed_at = time.monotonic()
    board_a.claim(job, 'conductor-a', expiry=expiry)
    with lease.ClaimLease(board_a, job, 'conductor-a', expiry, claimed_at=claimed_at) as held:
        # Conductor B keeps trying for three expiries: the renewals keep it out.
        until = time.monotonic() + 3 * expiry
        while time.monotonic() < until:
            with pytest.raises(tf_exc.UnclaimableJob):
                board_b.claim(job, 'conductor-b', expiry=expiry)
            time.sleep(0.02)
        held.ensure()
        assert board_b.find_owner(job) == 'conductor-a'
    # Stopped, the lease is not renewed: B gets the job once the claim runs out.
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            board_b.claim(job, 'conductor-b', expiry=30)
            break
        except tf_exc.UnclaimableJob:
            assert time.monotonic() < deadline, 'the stopped lease still held the job'
            time.sleep(0.02)
    with pytest.raises(lease.ClaimLost):
        held.ensure()
    assert held.renew() is False
    assert board_b.find_owner(job) == 'conductor-b'


# -- the log filter ----------------------------------------------------------------------


def _record(message: str, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, None) if exc is not None else None
    return logging.LogRecord('taskflow.engines.action_engine.engine', logging.ERROR,
                             __file__, 1, message, (), exc_info)


def test_quiet_claim_lost_drops_claim_lost_records_only() -> None:
    quiet = lease.QuietClaimLost()
    claim_lost = lease.ClaimLost('boot-x', 'it expired before it was renewed')
    assert quiet.filter(_record('Engine execution has failed', claim_lost)) is False
    assert quiet.filter(_record(
        'Failure: nova_lite.conductor.jobboards.lease.ClaimLost: Lost the claim')) is False
    assert quiet.filter(_record('Engine execution has failed', RuntimeError('boom'))) is True
    assert quiet.filter(_record('Lost the claim on nothing: a plain message')) is True


@pytest.fixture
def engine_loggers() -> Iterator[list[logging.Logger]]:
    """The loggers quiet_taskflow_claim_lost touches, their filters restored after."""
    loggers = [logging.getLogger(name) for name in lease._ENGINE_LOGGERS]
    saved = {logger.name: list(logger.filters) for logger in loggers}
    yield loggers
    for logger in loggers:
        logger.filters[:] = saved[logger.name]


def test_quiet_taskflow_claim_lost_is_idempotent_and_silences_the_engine(
        engine_loggers: list[logging.Logger], caplog: pytest.LogCaptureFixture) -> None:
    lease.quiet_taskflow_claim_lost()
    lease.quiet_taskflow_claim_lost()
    for logger in engine_loggers:
        assert sum(isinstance(f, lease.QuietClaimLost) for f in logger.filters) == 1
    engine_log = logging.getLogger('taskflow.engines.action_engine.engine')
    with caplog.at_level(logging.ERROR):
        try:
            raise lease.ClaimLost('boot-y', 'it expired before it was renewed')
        except lease.ClaimLost:
            engine_log.exception('Engine execution has failed, something bad must have '
                                 'happened')
        try:
            raise RuntimeError('a real failure')
        except RuntimeError:
            engine_log.exception('Engine execution has failed, something bad must have '
                                 'happened')
    assert len(caplog.records) == 1
    assert caplog.records[0].exc_info is not None
    assert isinstance(caplog.records[0].exc_info[1], RuntimeError)
