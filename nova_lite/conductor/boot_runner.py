"""The conductor's boot runner: every boot is a job on the jobboard, run by its holder.

A boot request becomes a saved run and a job (:mod:`.boot_jobs`); this
conductor then tries to claim it at once and runs it on its pool of boot
workers. It also looks at the board now and then for jobs nobody holds (the
boots of conductors that died) and takes them over, resuming their saved
runs; a boot claimed too often is moved aside. A delete first withdraws the
instance's boot job, so that no conductor resumes that boot after it.

One flow per instance runs at a time in this conductor (the instance locks).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from concurrent import futures

from taskflow.jobs import base as jobs_base

from nova_lite.common import context as nl_context
from nova_lite.common import exception, hop_timer, keyed_locks
from nova_lite.common.states import VmState
from nova_lite.compute import instance_store
from nova_lite.conductor import boot_jobs, flow_runner
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.jobboards import lease as claim_lease

LOG = logging.getLogger(__name__)


class BootRunner:
    """Posts, claims, runs, takes over, moves aside and withdraws boots; runs deletes."""

    def __init__(self, flows: flow_runner.FlowRunner, jobs: boot_jobs.BootJobs,
                 instances: instance_store.InstanceStore, *, boot_workers: int,
                 delete_boot_wait: float) -> None:
        """``delete_boot_wait``: seconds a delete waits for the instance's boot
        that another conductor still runs."""
        claim_lease.quiet_taskflow_claim_lost()
        self.flows = flows
        self.jobs = jobs
        self._instances = instances
        self._delete_boot_wait = delete_boot_wait
        self._locks = keyed_locks.KeyedLocks()
        # The standard library's pool reuses an idle thread before it starts
        # another, and an idle one sleeps until work comes (futurist's starts a
        # thread per submit up to the maximum, each waking once a second).
        self._boots = futures.ThreadPoolExecutor(max_workers=boot_workers,
                                                 thread_name_prefix='boot')
        self._queued_jobs: set[str] = set()
        self._queued_guard = threading.Lock()

    # What the RPC endpoint hands over -------------------------------------------

    def submit_boot(self, instance_id: str, auth_token: str, *,
                    request_ids: nl_context.RequestIds | None = None) -> None:
        """Post the boot of an instance and run it on the boot pool (not the caller's thread).

        ``request_ids``: the boot request's (its context logs under them).
        """
        self._boots.submit(self._timed_boot, instance_id, auth_token, request_ids)

    def _timed_boot(self, instance_id: str, auth_token: str,
                    request_ids: nl_context.RequestIds | None) -> None:
        # The hops of this thread (job post and claim, the run's saves and events) go
        # with the flow's end event (hop_timer, task_hops).
        with hop_timer.accumulate():
            self.post_boot_job(instance_id, auth_token, request_ids=request_ids)

    def submit_delete(self, instance_id: str) -> None:
        """Run the delete of an instance on the boot pool."""
        self._boots.submit(self.run_delete, instance_id)

    # Instances -------------------------------------------------------------------

    def lock_for(self, instance_id: str) -> contextlib.AbstractContextManager[None]:
        """Held while a flow of the instance runs here."""
        return self._locks.hold(instance_id)

    def is_running(self, instance_id: str) -> bool:
        """Whether a flow of the instance runs (or waits to run) in this conductor."""
        return self._locks.is_held(instance_id)

    # Boots as jobs ---------------------------------------------------------------

    def post_boot_job(self, instance_id: str, auth_token: str, *,
                      request_ids: nl_context.RequestIds | None = None,
                      ) -> boot_jobs.BootOutcome | None:
        """Post the boot of an instance as a job, then try to run it here at once.

        Returns the outcome if this conductor ran it (None: another one claimed it).
        """
        try:
            instance = self._instances.get(instance_id)
        except exception.NotFound:
            LOG.info('Instance %s was deleted before its boot started', instance_id)
            return None
        job = self.jobs.post_boot(instance_id, self.flows.boot_store(instance, auth_token,
                                                                     request_ids=request_ids))
        return self.claim_and_run(job)

    def claim_and_run(self, job: jobs_base.Job) -> boot_jobs.BootOutcome | None:
        """Claim a boot job and run (or resume) its boot; None if not claimed here."""
        claimed = self.jobs.claim(job)
        if claimed is None:
            return None
        max_claims = self.jobs.settings.max_claims
        if claimed.claims > max_claims:
            self._move_aside(claimed)
            self.jobs.trash(job)
            return boot_jobs.BootOutcome.ERROR
        if claimed.claims > 1:
            LOG.warning('Taking over the boot of %s (claim %d of at most %d)',
                        claimed.instance_id, claimed.claims, max_claims)
        with claimed.lease:
            outcome = self._resume_boot(claimed)
        if outcome is boot_jobs.BootOutcome.HANDED_OVER:
            LOG.warning('Boot of %s handed over: this conductor lost its job', job.name)
        else:
            self.jobs.finish(job)
        return outcome

    def _resume_boot(self, claimed: boot_jobs.ClaimedBoot) -> boot_jobs.BootOutcome:
        with self.lock_for(claimed.instance_id):
            try:
                instance = self._instances.get(claimed.instance_id, include_deleted=True)
            except exception.NotFound:
                instance = {'id': claimed.instance_id, 'metadata': {}, 'build_request': {}}
            return self.flows.run_boot(instance, resume_flow_uuid=claimed.flow_uuid,
                                       lease=claimed.lease, taken_over=claimed.claims > 1)

    def _move_aside(self, claimed: boot_jobs.ClaimedBoot) -> None:
        """End a boot claimed too often: its instance to ERROR, everything it held freed."""
        LOG.error('Boot of %s was claimed %d times without finishing: moving it aside',
                  claimed.instance_id, claimed.claims)
        with self.lock_for(claimed.instance_id):
            flow_persistence.end_run(self.flows.persistence, claimed.flow_uuid)
            try:
                instance = self._instances.get(claimed.instance_id)
            except exception.NotFound:
                return
            self.flows.sweep(claimed.instance_id,
                             self.flows.hosts_of_run(claimed.flow_uuid, instance))
            if instance['vm_state'] == VmState.BUILDING:
                self._instances.set_error(
                    claimed.instance_id, code=500,
                    message=f'Boot abandoned: its conductor stopped {claimed.claims - 1} '
                            'times while running it')

    # Taking over -----------------------------------------------------------------

    def _queue_job(self, job: jobs_base.Job) -> None:
        """Run an unclaimed job on the boot pool, once however often it is seen."""
        with self._queued_guard:
            if job.uuid in self._queued_jobs:
                return
            self._queued_jobs.add(job.uuid)

        def run() -> None:
            try:
                with hop_timer.accumulate():
                    self.claim_and_run(job)
            finally:
                with self._queued_guard:
                    self._queued_jobs.discard(job.uuid)

        self._boots.submit(run)

    def start_taking_over(self) -> None:
        """Look at the board now, then every poll interval, for boots nobody holds."""
        self.jobs.poll_once(self._queue_job)
        self.jobs.start_polling(self._queue_job)

    # Withdrawing -----------------------------------------------------------------

    def withdraw_boot_job(self, instance_id: str, wait: float = 0.0) -> bool:
        """Take an instance's boot job off the board, so that no conductor runs it again.

        False if another conductor still holds it after ``wait`` seconds (it is
        running the boot; its every RPC has a timeout, so it ends).
        """
        deadline = time.monotonic() + wait
        while True:
            held_elsewhere = False
            for job in self.jobs.jobs_of_instance(instance_id):
                claimed = self.jobs.claim(job)
                if claimed is None:
                    held_elsewhere = True
                    continue
                flow_persistence.end_run(self.flows.persistence, claimed.flow_uuid)
                self.jobs.finish(job)
                LOG.info('Withdrew the boot job of %s from the board', instance_id)
            if not held_elsewhere:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(self.jobs.settings.poll_interval)

    # Deletes ---------------------------------------------------------------------

    def run_delete(self, instance_id: str) -> bool:
        """Run the delete flow of one instance; True when it ended deleted.

        A boot of the instance still running on another conductor is waited for
        (up to ``[conductor] delete_boot_wait`` seconds); one nobody runs is
        withdrawn first, so it cannot resume after the delete.

        The wait happens before the instance's lock is taken: a boot that this
        conductor claimed waits for that lock before it runs, so waiting for its
        claim while holding the lock would hold both threads until
        ``delete_boot_wait`` ran out. Under the lock, a boot job posted in the
        meantime is withdrawn too, without waiting; one this conductor claimed in
        that moment runs after the delete and stops at its first task (the
        instance is gone).
        """
        if not self.withdraw_boot_job(instance_id, wait=self._delete_boot_wait):
            LOG.warning('Deleting %s while another conductor still runs its boot',
                        instance_id)
        with self.lock_for(instance_id):
            self.withdraw_boot_job(instance_id)
            try:
                instance = self._instances.get(instance_id)
            except exception.NotFound:
                return True
            return self.flows.run_delete(instance)

    def stop(self) -> None:
        """Stop looking at the board, let the boots and deletes in flight finish."""
        self.jobs.stop()
        self._boots.shutdown(wait=True)
        self.flows.stop()
