"""Boots as jobs on the conductors' jobboard: post, claim, hold, finish, move aside.

A boot request (the compute API's RPC cast, which reaches one conductor)
becomes a saved logbook holding the boot's store, and a job on the board
naming it. Any conductor may then claim the job: the one that posted it
tries at once, and every conductor looks at the board every
``[jobboard] poll_interval`` for jobs nobody holds, which is how a boot whose
conductor died is taken over once that conductor's claim has expired.

The holder runs the boot under a :class:`.jobboards.lease.ClaimLease`; when
the flow ends (ACTIVE or ERROR) it consumes the job. Each claim is counted
in the logbook: the conductor moves aside (trashes) a job claimed more than
``[jobboard] max_claims`` times, its instance set to ERROR with its
resources freed, so a boot that kills its conductor cannot take every
conductor down in turn.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from taskflow import exceptions as tf_exc
from taskflow import storage as tf_storage
from taskflow.jobs import base as jobs_base

from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys
from nova_lite.conductor.jobboards import base as board_base
from nova_lite.conductor.jobboards import lease as claim_lease

LOG = logging.getLogger(__name__)

JOB_NAME_PREFIX = 'boot-'
CLAIMS_META_KEY = 'claims'


def conductor_identity(host: str) -> str:
    """A name no other conductor process, nor this one after a restart, will have."""
    return f'{host}:{uuid.uuid4().hex[:12]}'


class BootOutcome(enum.Enum):
    ACTIVE = 'active'
    ERROR = 'error'
    # This conductor lost the boot's job to another one, which carries it on.
    HANDED_OVER = 'handed-over'


def is_claim_lost(exc: BaseException) -> bool:
    """Whether an engine stopped because this conductor lost the boot's job."""
    if isinstance(exc, claim_lease.ClaimLost):
        return True
    return isinstance(exc, tf_exc.WrappedFailure) and exc.check(claim_lease.ClaimLost) is not None


@dataclasses.dataclass(frozen=True)
class ClaimedBoot:
    """A boot this conductor holds: what it needs to run it."""

    instance_id: str
    flow_uuid: str
    lease: claim_lease.ClaimLease
    claims: int


@dataclasses.dataclass(frozen=True)
class JobSettings:
    claim_expiry: float
    poll_interval: float
    max_claims: int


class BootJobs:
    """The conductor's side of the jobboard."""

    def __init__(self, board: board_base.ClaimingJobBoard,
                 persistence: flow_persistence.DatabaseBackend, who: str,
                 settings: JobSettings, *,
                 clock: Callable[[], float] = time.monotonic,
                 job_name_prefix: str = JOB_NAME_PREFIX) -> None:
        """``job_name_prefix``: the kind of job this side posts and takes over
        (boots; the server actions use their own, on the same board)."""
        self.board = board
        self.job_name_prefix = job_name_prefix
        self.who = who
        self.settings = settings
        self._persistence = persistence
        self._clock = clock
        self._poller: threading.Thread | None = None
        self._stopped = threading.Event()

    # Posting ---------------------------------------------------------------------

    def post_boot(self, instance_id: str, store: dict[str, Any]) -> jobs_base.Job:
        """Save the boot's logbook (with its store) and post its job."""
        book, flow_detail = flow_persistence.start_run(
            self._persistence, keys.BOOT_FLOW, book_uuid=instance_id,
            book_name=f'{JOB_NAME_PREFIX}{instance_id}')
        tf_storage.Storage(flow_detail, backend=self._persistence).inject(store)
        return self.board.post(f'{JOB_NAME_PREFIX}{instance_id}', book=book,
                               details={'instance_id': instance_id,
                                        'flow_uuid': flow_detail.uuid})

    # Claiming --------------------------------------------------------------------

    def claim(self, job: jobs_base.Job) -> ClaimedBoot | None:
        """Claim ``job`` for this conductor; None if someone else holds it or it is gone.

        The returned boot's lease is not started yet. Its ``claims`` counts
        the claims of this boot so far, this one included: past
        ``settings.max_claims`` the caller moves it aside (:meth:`trash`).
        """
        claimed_at = self._clock()
        try:
            self.board.claim(job, self.who, expiry=self.settings.claim_expiry)
        except (tf_exc.UnclaimableJob, tf_exc.NotFound):
            return None
        lease = claim_lease.ClaimLease(self.board, job, self.who,
                                       self.settings.claim_expiry, claimed_at=claimed_at,
                                       clock=self._clock)
        details = job.details or {}
        instance_id, flow_uuid = details.get('instance_id'), details.get('flow_uuid')
        if not instance_id or not flow_uuid:
            LOG.error('Job %s names no boot (details %r); moving it aside', job.name, details)
            self.trash(job)
            return None
        try:
            claims = flow_persistence.count_claim(self._persistence, flow_uuid, CLAIMS_META_KEY)
        except tf_exc.NotFound:
            LOG.warning('Job %s names boot %s whose logbook is gone; it is done', job.name,
                        flow_uuid)
            self.finish(job)
            return None
        return ClaimedBoot(instance_id=instance_id, flow_uuid=flow_uuid, lease=lease,
                           claims=claims)

    def finish(self, job: jobs_base.Job) -> None:
        """The boot ended (ACTIVE or ERROR): take its job off the board."""
        try:
            self.board.consume(job, self.who)
        except (tf_exc.NotFound, tf_exc.JobFailure) as exc:
            LOG.warning('Could not consume job %s: %s', job.name, exc)

    def trash(self, job: jobs_base.Job) -> None:
        """Move a job this conductor holds aside: no conductor will claim it again."""
        try:
            self.board.trash(job, self.who)
        except (tf_exc.NotFound, tf_exc.JobFailure) as exc:
            LOG.warning('Could not move job %s aside: %s', job.name, exc)

    def jobs_of_instance(self, instance_id: str) -> list[jobs_base.Job]:
        """The boot jobs (normally at most one) of an instance still on the board."""
        return [job for job in self.board.iterjobs(ensure_fresh=True)
                if (job.details or {}).get('instance_id') == instance_id
                and job.name.startswith(self.job_name_prefix)]

    # Taking over -----------------------------------------------------------------

    def unclaimed_jobs(self) -> list[jobs_base.Job]:
        """Boot jobs nobody holds (just posted, or their holder's claim expired)."""
        with contextlib.suppress(tf_exc.JobFailure):
            return [job for job in self.board.iterjobs(only_unclaimed=True, ensure_fresh=True)
                    if job.name.startswith(self.job_name_prefix)]
        return []

    def poll_once(self, submit: Callable[[jobs_base.Job], None]) -> int:
        """Hand every unclaimed job to ``submit``; returns how many there were."""
        jobs = self.unclaimed_jobs()
        for job in jobs:
            submit(job)
        return len(jobs)

    def start_polling(self, submit: Callable[[jobs_base.Job], None]) -> None:
        def poll() -> None:
            while not self._stopped.wait(self.settings.poll_interval):
                try:
                    self.poll_once(submit)
                except Exception:
                    LOG.exception('Looking at the jobboard failed; trying again in %g s',
                                  self.settings.poll_interval)

        self._poller = threading.Thread(target=poll, daemon=True,
                                        name=f'jobboard-poller-{self.job_name_prefix}')
        self._poller.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._poller is not None:
            self._poller.join()
        with contextlib.suppress(Exception):
            self.board.close()
