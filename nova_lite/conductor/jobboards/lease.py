"""A conductor's hold on one job: a claim that expires unless renewed.

The claim lives on the board (Redis key TTL, or a row's expiry time); the
lease mirrors it locally so that checking it costs nothing: a renewal sent at
monotonic time ``t`` moves the local deadline to ``t + expiry``, which is never
later than the board's own (the board starts its clock when the renewal
arrives). A keep-alive thread renews every third of the expiry.

When the deadline passes unrenewed (the process was stopped, the board was
unreachable) or a renewal is refused (someone else holds the job), the lease
is lost for good: :meth:`ClaimLease.ensure` raises :class:`ClaimLost` from
then on, and the conductor must stop touching the boot (its flow writes are
fenced by it, see ``DatabaseBackend.fenced``); the job's new owner carries it
on from the saved logbook.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from taskflow.jobs import base as jobs_base

from nova_lite.conductor.jobboards import base

LOG = logging.getLogger(__name__)


class ClaimLost(Exception):
    """This conductor no longer holds the job it was running."""

    def __init__(self, job_name: str, why: str) -> None:
        super().__init__(f'Lost the claim on job {job_name}: {why}')
        self.job_name = job_name


class QuietClaimLost(logging.Filter):
    """Drops the tracebacks logged for a ClaimLost that stopped an engine.

    A lost claim stops the engine through a refused write, which TaskFlow's
    engine (and oslo.utils, when the engine's own last write is refused too)
    log as an unexpected failure, traceback and all; the conductor logs the
    handover itself, once, without one.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, ClaimLost):
            return False
        return f'{__name__}.ClaimLost' not in record.getMessage()


# Loggers that report a ClaimLost raised through a TaskFlow engine.
_ENGINE_LOGGERS = ('taskflow.engines.action_engine.builder',
                   'taskflow.engines.action_engine.engine', 'oslo_utils.excutils')


def quiet_taskflow_claim_lost() -> None:
    """Install :class:`QuietClaimLost` on the loggers that report it (idempotent)."""
    for name in _ENGINE_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, QuietClaimLost) for f in logger.filters):
            logger.addFilter(QuietClaimLost())


class ClaimLease:
    """Keeps ``who``'s claim on ``job`` alive, and says whether it still holds."""

    def __init__(self, board: base.ClaimingJobBoard, job: jobs_base.Job, who: str,
                 expiry: float, *, claimed_at: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``claimed_at``: ``clock()`` read just before the claim was sent."""
        self._board = board
        self._job = job
        self._who = who
        self._expiry = expiry
        self._clock = clock
        self._deadline = claimed_at + expiry
        self._lost_why: str | None = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def job(self) -> jobs_base.Job:
        return self._job

    @property
    def lost(self) -> bool:
        return self._lost_why is not None or self._clock() >= self._deadline

    def ensure(self) -> None:
        """Raise :class:`ClaimLost` unless the claim is certainly still held."""
        with self._lock:
            if self._lost_why is None and self._clock() >= self._deadline:
                self._lost_why = 'it expired before it was renewed'
            if self._lost_why is not None:
                raise ClaimLost(self._job.name, self._lost_why)

    def renew(self) -> bool:
        """Renew once now; False if the lease is (or just became) lost."""
        with self._lock:
            if self._lost_why is not None:
                return False
            sent_at = self._clock()
            if sent_at >= self._deadline:
                self._lost_why = 'it expired before it was renewed'
                return False
        try:
            renewed = self._board.extend_claim(self._job, self._who, self._expiry)
        except Exception:
            # The board may be back before the deadline; until then ensure()
            # keeps answering from the last renewal.
            LOG.warning('Could not renew the claim on %s; it holds until its deadline',
                        self._job.name, exc_info=True)
            return True
        with self._lock:
            if not renewed:
                self._lost_why = 'the board refused the renewal (another owner holds it)'
            elif self._lost_why is None:
                self._deadline = max(self._deadline, sent_at + self._expiry)
        if not renewed:
            LOG.warning('Claim on %s lost: another conductor holds it', self._job.name)
        return renewed

    def start(self) -> ClaimLease:
        self._thread = threading.Thread(target=self._keep_alive, daemon=True,
                                        name=f'lease-{self._job.name}')
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def _keep_alive(self) -> None:
        while not self._stopped.wait(self._expiry / 3.0):
            if not self.renew():
                return

    def __enter__(self) -> ClaimLease:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
