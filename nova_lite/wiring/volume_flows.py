"""Crash-safe volume flows: saved, posted on the jobboard and held, as the boot is.

A volume flow run (:mod:`nova_lite.volume.flows.runner`) is saved as a
logbook holding its store, posted as a job ``volume-flow-<subject>-<run>``
(details: the run's ``flow_uuid``, its ``flow`` name and ``subject``) on the
conductors' jobboard, claimed at once by the process that posted it, run
under a :class:`~nova_lite.conductor.jobboards.lease.ClaimLease` (its writes
fenced by the claim) and consumed when the run has ended (SUCCESS or
REVERTED). The API service looks at the board when it starts and then every
``[jobboard] poll_interval`` for volume jobs nobody holds: a job whose
holder died is claimed once its claim expired, its flow rebuilt by name
(:func:`nova_lite.volume.flows.rebuild.flow_for_resume`) and resumed from
the saved flow detail; a run that had already ended only has its job
consumed. If another process claims a job before its poster does, the
poster waits for that run to end and answers as it ended.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from taskflow import exceptions as tf_exc
from taskflow import flow as tf_flow
from taskflow import states
from taskflow import storage as tf_storage
from taskflow.jobs import base as jobs_base
from taskflow.patterns import linear_flow

from nova_lite.common import exception
from nova_lite.conductor import boot_jobs
from nova_lite.conductor import faults as fault_injection
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.jobboards import base as board_base
from nova_lite.conductor.jobboards import lease as claim_lease

LOG = logging.getLogger(__name__)

JOB_NAME_PREFIX = 'volume-flow-'
# How often a poster whose job another process claimed looks whether the run ended.
WAIT_INTERVAL = 0.1


class RunNotFinished(exception.NovaLiteError):
    msg_fmt = 'The volume flow run %(run)s did not end: %(reason)s'
    code = 500


class VolumeFlowJobs:
    """Posts, claims, runs and takes over the volume flows (``HeldRuns``)."""

    def __init__(self, board: board_base.ClaimingJobBoard,
                 persistence: flow_persistence.DatabaseBackend,
                 rebuild: Callable[[str], tf_flow.Flow], *, who: str, claim_expiry: float,
                 poll_interval: float, fault_max_delay: float | None = None,
                 wait_timeout: float = 600.0) -> None:
        """``rebuild``: the flow of a saved run, by its name; ``who``: this
        process's name on the board (unique, see ``boot_jobs.conductor_identity``);
        ``fault_max_delay``: None unless ``[fault_injection] enabled``."""
        self.board = board
        self.persistence = persistence
        self._rebuild = rebuild
        self.who = who
        self._claim_expiry = claim_expiry
        self._poll_interval = poll_interval
        self._fault_max_delay = fault_max_delay
        self._wait_timeout = wait_timeout
        self._stopped = threading.Event()
        self._poller: threading.Thread | None = None

    # A request's run ------------------------------------------------------------

    def run(self, flow: tf_flow.Flow, store: dict[str, Any], subject: str,
            faults: Mapping[str, str] | None = None) -> None:
        """Save, post, claim and run ``flow``; raises as the flow's failure."""
        book, flow_detail = flow_persistence.start_run(
            self.persistence, flow.name, book_name=f'{flow.name}-{subject}',
            meta={'subject': subject})
        tf_storage.Storage(flow_detail, backend=self.persistence).inject(store)
        job = self.board.post(f'{JOB_NAME_PREFIX}{subject}-{flow_detail.uuid}', book=book,
                              details={'flow_uuid': flow_detail.uuid, 'flow': flow.name,
                                       'subject': subject})
        lease = self._claim(job)
        if lease is None:
            self._wait_for_end(flow_detail.uuid)
            return
        self._run_held(self._with_faults(flow, subject, faults), job, lease,
                       flow_detail.uuid)

    def _with_faults(self, flow: tf_flow.Flow, subject: str,
                     asked: Mapping[str, str] | None) -> tf_flow.Flow:
        """``flow`` with its tasks wrapped by the faults asked for (if enabled)."""
        if not asked or self._fault_max_delay is None:
            return flow
        tasks = list(flow)
        try:
            injector = fault_injection.from_metadata(asked, tuple(t.name for t in tasks),
                                            self._fault_max_delay, subject=subject)
        except exception.InvalidInput as exc:
            LOG.warning('Volume %s: fault injection ignored: %s', subject, exc)
            return flow
        wrap = fault_injection.wrapper_for(injector)
        return linear_flow.Flow(flow.name).add(*(wrap(t) for t in tasks))

    def _wait_for_end(self, flow_uuid: str) -> None:
        """Another process holds the run just posted: wait until it has ended."""
        deadline = time.monotonic() + self._wait_timeout
        while time.monotonic() < deadline:
            state = self._state_of(flow_uuid)
            if state == states.SUCCESS:
                return
            if state in flow_persistence.FINISHED_STATES or state is None:
                raise RunNotFinished(run=flow_uuid, reason=f'another process ended it {state}')
            time.sleep(WAIT_INTERVAL)
        raise RunNotFinished(run=flow_uuid, reason='another process holds it still')

    def _state_of(self, flow_uuid: str) -> str | None:
        try:
            _book, flow_detail = flow_persistence.load_run(self.persistence, flow_uuid)
        except tf_exc.NotFound:
            return None
        return flow_detail.state

    # Claiming and running ---------------------------------------------------------

    def _claim(self, job: jobs_base.Job) -> claim_lease.ClaimLease | None:
        claimed_at = time.monotonic()
        try:
            self.board.claim(job, self.who, expiry=self._claim_expiry)
        except (tf_exc.UnclaimableJob, tf_exc.NotFound):
            return None
        return claim_lease.ClaimLease(self.board, job, self.who, self._claim_expiry,
                                      claimed_at=claimed_at)

    def _run_held(self, flow: tf_flow.Flow, job: jobs_base.Job,
                  lease: claim_lease.ClaimLease, flow_uuid: str) -> None:
        """Run (or resume) the saved run under ``lease``; consume its job once it ended."""
        with lease:
            backend = self.persistence.fenced(lease.ensure)
            book, flow_detail = flow_persistence.load_run(backend, flow_uuid)
            if flow_detail.state in flow_persistence.FINISHED_STATES:
                self._finish(job)
                return
            engine = flow_persistence.load_engine(flow, backend, flow_detail, book=book)
            try:
                engine.run()
            except Exception as exc:
                if boot_jobs.is_claim_lost(exc):
                    LOG.warning('Volume flow %s handed over: this process lost its job',
                                job.name)
                elif engine.storage.get_flow_state() in flow_persistence.FINISHED_STATES:
                    self._finish(job)
                raise
        self._finish(job)

    def _finish(self, job: jobs_base.Job) -> None:
        try:
            self.board.consume(job, self.who)
        except (tf_exc.NotFound, tf_exc.JobFailure) as exc:
            LOG.warning('Could not consume job %s: %s', job.name, exc)

    # Taking over ------------------------------------------------------------------

    def unclaimed_jobs(self) -> list[jobs_base.Job]:
        """Volume flow jobs nobody holds (just posted, or their holder's claim expired)."""
        return [job for job in self.board.iterjobs(only_unclaimed=True, ensure_fresh=True)
                if job.name.startswith(JOB_NAME_PREFIX)]

    def take_over(self, job: jobs_base.Job) -> bool:
        """Claim a job nobody holds and carry its run on; whether this process took it."""
        lease = self._claim(job)
        if lease is None:
            return False
        details = job.details or {}
        flow_uuid, flow_name = details.get('flow_uuid'), details.get('flow')
        try:
            flow = self._rebuild(str(flow_name))
        except LookupError:
            LOG.error('Job %s names no known volume flow (%r); moving it aside', job.name,
                      flow_name)
            self.board.trash(job, self.who)
            return True
        LOG.warning('Taking over volume flow %s of %s (run %s)', flow_name,
                    details.get('subject'), flow_uuid)
        try:
            self._run_held(flow, job, lease, str(flow_uuid))
        except tf_exc.NotFound:
            LOG.warning('Job %s names run %s whose logbook is gone; it is done', job.name,
                        flow_uuid)
            self._finish(job)
        except Exception as exc:
            LOG.warning('Volume flow %s of %s (run %s) ended reverted: %s', flow_name,
                        details.get('subject'), flow_uuid, exc)
        return True

    def poll_once(self) -> int:
        """Take over every volume job nobody holds; how many were taken."""
        return sum(self.take_over(job) for job in self.unclaimed_jobs())

    def start_taking_over(self) -> None:
        """Look at the board now (in the background), then every poll interval."""
        if self._poller is not None:
            return

        def poll() -> None:
            while True:
                try:
                    self.poll_once()
                except Exception:
                    LOG.exception('Looking for volume flows to take over failed; trying '
                                  'again in %g s', self._poll_interval)
                if self._stopped.wait(self._poll_interval):
                    return

        self._poller = threading.Thread(target=poll, daemon=True, name='volume-flow-takeover')
        self._poller.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._poller is not None:
            self._poller.join()
            self._poller = None


def build(board: board_base.ClaimingJobBoard, persistence: flow_persistence.DatabaseBackend,
          rebuild: Callable[[str], tf_flow.Flow], *, host: str, claim_expiry: float,
          poll_interval: float, fault_max_delay: float | None) -> VolumeFlowJobs:
    """This process's volume flow jobs, under a name no other process has."""
    return VolumeFlowJobs(board, persistence, rebuild,
                          who=f'{host}:volume:{uuid.uuid4().hex[:12]}',
                          claim_expiry=claim_expiry, poll_interval=poll_interval,
                          fault_max_delay=fault_max_delay)
