"""The conductor: runs the boot and delete flows (the only writer of instance state
besides the compute API)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import futurist
import oslo_messaging
from oslo_config import cfg
from taskflow import engines
from taskflow import exceptions as tf_exc
from taskflow.jobs import base as jobs_base

from nova_lite.common import context as nl_context
from nova_lite.common import exception, keyed_locks, timeutils
from nova_lite.common.states import VmState
from nova_lite.conductor import boot_jobs, faults, flow_states, jobboards, resource_cleanup
from nova_lite.conductor import flow_notifications as task_notifications
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import boot, keys
from nova_lite.conductor.flows import delete as delete_flow
from nova_lite.conductor.jobboards import lease as claim_lease
from nova_lite.conductor.rpcapi import RPC_API_VERSION
from nova_lite.db import api as db_api

LOG = logging.getLogger(__name__)


# Saved boots that finished are deleted after this long (see purge_finished_runs).
FINISHED_RUN_RETENTION = datetime.timedelta(hours=1)


class ConductorManager:
    """RPC endpoint of the conductor; boots run on a worker pool, not the RPC thread."""

    target = oslo_messaging.Target(version=RPC_API_VERSION)

    def __init__(self, db: db_api.Database, boot_deps: boot.BootDependencies,
                 resources: resource_cleanup.InstanceResources, *, boot_workers: int,
                 flow_workers: int, fault_injection_max_delay: float | None = None,
                 persistence: flow_persistence.DatabaseBackend | None = None,
                 jobs: boot_jobs.BootJobs | None = None) -> None:
        """``fault_injection_max_delay`` None: server metadata injects no faults.

        With ``persistence``, every boot is saved as a TaskFlow logbook (named by
        the instance id) as it runs. With ``jobs`` too (the normal case), every
        boot is a job on the conductors' jobboard: it runs on whichever conductor
        claims it, and :meth:`start_taking_over` makes this conductor take the
        boots of conductors that died. Without ``jobs``, a saved boot is not
        resumed by anyone.
        """
        if jobs is not None and persistence is None:
            raise ValueError('a jobboard needs flow persistence')
        if jobs is not None:
            claim_lease.quiet_taskflow_claim_lost()
        self._db = db
        self._persistence = persistence
        self._jobs = jobs
        self._queued_jobs: set[str] = set()
        self._queued_guard = threading.Lock()
        self._fault_injection_max_delay = fault_injection_max_delay
        self._deps = boot_deps
        self._instances = boot_deps.instances
        self._resources = resources
        self._boots = futurist.ThreadPoolExecutor(max_workers=boot_workers)
        self._flow_executor = futurist.ThreadPoolExecutor(max_workers=flow_workers)
        self._instance_locks = keyed_locks.KeyedLocks()

    # RPC methods -----------------------------------------------------------------

    def build_instance(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        if self._jobs is None:
            self._boots.submit(self.run_boot, instance_id, ctx.auth_token or '')
        else:
            self._boots.submit(self.post_boot_job, instance_id, ctx.auth_token or '')

    def delete_instance(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._boots.submit(self.run_delete, instance_id)

    # Flow runs ---------------------------------------------------------------------

    def _lock_for(self, instance_id: str) -> contextlib.AbstractContextManager[None]:
        return self._instance_locks.hold(instance_id)

    def _boot_store(self, instance: dict[str, Any], auth_token: str) -> dict[str, Any]:
        """The boot flow's inputs, saved with its logbook: the user's token sealed."""
        return {keys.INSTANCE_ID: instance['id'],
                keys.SEALED_TOKEN: self._deps.sealer.seal(auth_token),
                keys.REQUEST_SPEC: instance['build_request']['request_spec']}

    def run_boot(self, instance_id: str, auth_token: str) -> bool:
        """Run the boot flow of one instance here, with no job; True when it ended ACTIVE."""
        with self._lock_for(instance_id):
            try:
                instance = self._instances.get(instance_id)
            except exception.NotFound:
                LOG.info('Instance %s was deleted before its boot started', instance_id)
                return False
            outcome = self._run_boot_flow(instance,
                                          store=self._boot_store(instance, auth_token))
            return outcome is boot_jobs.BootOutcome.ACTIVE

    # Boots as jobs -----------------------------------------------------------------

    def post_boot_job(self, instance_id: str, auth_token: str) -> boot_jobs.BootOutcome | None:
        """Post the boot of an instance as a job, then try to run it here at once.

        Returns the outcome if this conductor ran it (None: another one claimed it).
        """
        assert self._jobs is not None
        try:
            instance = self._instances.get(instance_id)
        except exception.NotFound:
            LOG.info('Instance %s was deleted before its boot started', instance_id)
            return None
        job = self._jobs.post_boot(instance_id, self._boot_store(instance, auth_token))
        return self.claim_and_run(job)

    def claim_and_run(self, job: jobs_base.Job) -> boot_jobs.BootOutcome | None:
        """Claim a boot job and run (or resume) its boot; None if not claimed here."""
        assert self._jobs is not None
        claimed = self._jobs.claim(job)
        if claimed is None:
            return None
        if claimed.claims > self._jobs.settings.max_claims:
            self._move_aside(claimed)
            self._jobs.trash(job)
            return boot_jobs.BootOutcome.ERROR
        if claimed.claims > 1:
            LOG.warning('Taking over the boot of %s (claim %d of at most %d)',
                        claimed.instance_id, claimed.claims, self._jobs.settings.max_claims)
        with claimed.lease:
            outcome = self._resume_boot(claimed.instance_id, claimed.flow_uuid,
                                        lease=claimed.lease, taken_over=claimed.claims > 1)
        if outcome is boot_jobs.BootOutcome.HANDED_OVER:
            LOG.warning('Boot of %s handed over: this conductor lost its job', job.name)
        else:
            self._jobs.finish(job)
        return outcome

    def _queue_job(self, job: jobs_base.Job) -> None:
        """Run an unclaimed job on the boot pool, once however often it is seen."""
        with self._queued_guard:
            if job.uuid in self._queued_jobs:
                return
            self._queued_jobs.add(job.uuid)

        def run() -> None:
            try:
                self.claim_and_run(job)
            finally:
                with self._queued_guard:
                    self._queued_jobs.discard(job.uuid)

        self._boots.submit(run)

    def start_taking_over(self) -> None:
        """Look at the board now, then every poll interval, for boots nobody holds."""
        if self._jobs is None:
            return
        self._jobs.poll_once(self._queue_job)
        self._jobs.start_polling(self._queue_job)

    def _move_aside(self, claimed: boot_jobs.ClaimedBoot) -> None:
        """End a boot claimed too often: its instance to ERROR, everything it held freed."""
        assert self._persistence is not None
        LOG.error('Boot of %s was claimed %d times without finishing: moving it aside',
                  claimed.instance_id, claimed.claims)
        with self._lock_for(claimed.instance_id):
            flow_persistence.end_run(self._persistence, claimed.flow_uuid)
            try:
                instance = self._instances.get(claimed.instance_id)
            except exception.NotFound:
                return
            self._sweep(claimed.instance_id, self._hosts_of_run(claimed.flow_uuid, instance))
            if instance['vm_state'] == VmState.BUILDING:
                self._instances.set_error(
                    claimed.instance_id, code=500,
                    message=f'Boot abandoned: its conductor stopped {claimed.claims - 1} '
                            'times while running it')

    def _withdraw_boot_job(self, instance_id: str, wait: float = 0.0) -> bool:
        """Take an instance's boot job off the board, so that no conductor runs it again.

        False if another conductor still holds it after ``wait`` seconds (it is
        running the boot; its every RPC has a timeout, so it ends).
        """
        if self._jobs is None or self._persistence is None:
            return True
        deadline = time.monotonic() + wait
        while True:
            held_elsewhere = False
            for job in self._jobs.jobs_of_instance(instance_id):
                claimed = self._jobs.claim(job)
                if claimed is None:
                    held_elsewhere = True
                    continue
                flow_persistence.end_run(self._persistence, claimed.flow_uuid)
                self._jobs.finish(job)
                LOG.info('Withdrew the boot job of %s from the board', instance_id)
            if not held_elsewhere:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(self._jobs.settings.poll_interval)

    def _hosts_of_run(self, flow_uuid: str, instance: dict[str, Any]) -> set[str]:
        """Every host a saved boot chose (its schedule results), and the instance's."""
        assert self._persistence is not None
        hosts = {instance['host']} if instance.get('host') else set()
        with contextlib.suppress(tf_exc.NotFound):
            _book, flow_detail = flow_persistence.load_run(self._persistence, flow_uuid)
            schedule = next((atom for atom in flow_detail if atom.name == keys.SCHEDULE),
                            None)
            if schedule is not None and schedule.results:
                hosts.add(schedule.results[0])
        return hosts

    def _resume_boot(self, instance_id: str, flow_uuid: str,
                     lease: claim_lease.ClaimLease, taken_over: bool) -> boot_jobs.BootOutcome:
        with self._lock_for(instance_id):
            try:
                instance = self._instances.get(instance_id, include_deleted=True)
            except exception.NotFound:
                instance = {'id': instance_id, 'metadata': {}, 'build_request': {}}
            return self._run_boot_flow(instance, resume_flow_uuid=flow_uuid, lease=lease,
                                       taken_over=taken_over)

    def _run_boot_flow(self, instance: dict[str, Any], *,
                       store: dict[str, Any] | None = None,
                       resume_flow_uuid: str | None = None,
                       lease: claim_lease.ClaimLease | None = None,
                       taken_over: bool = False) -> boot_jobs.BootOutcome:
        """Run (or resume) one boot. With ``lease``, every write of the run and
        every task's start first checks that this conductor still holds the job."""
        instance_id = instance['id']
        # Task results of this run, filled by the recorder: the sweep reads the
        # hosts the schedule task chose (its result is (host, alternates)).
        results: dict[str, list[Any]] = {}

        def sweep(swept_id: str) -> None:
            hosts = {r[0] for r in results.get(keys.SCHEDULE, []) if r}
            if instance.get('host'):
                hosts.add(instance['host'])
            self._sweep(swept_id, hosts)

        claim_check = lease.ensure if lease is not None else None
        flow = boot.get_boot_flow(dataclasses.replace(
            self._deps, sweep=sweep, fault_injector=self._faults_for(instance, taken_over),
            claim_check=claim_check))
        options: dict[str, Any] = {'engine': 'parallel', 'executor': self._flow_executor}
        backend = self._persistence
        if backend is not None and claim_check is not None:
            backend = backend.fenced(claim_check)
        try:
            if backend is None:
                engine = engines.load(flow, store=store, **options)
            elif resume_flow_uuid is None:
                book, flow_detail = flow_persistence.start_run(
                    backend, keys.BOOT_FLOW, book_uuid=instance_id,
                    book_name=f'boot-{instance_id}')
                engine = flow_persistence.load_engine(flow, backend, flow_detail,
                                                      book=book, store=store, **options)
            else:
                book, flow_detail = flow_persistence.load_run(backend, resume_flow_uuid)
                engine = flow_persistence.load_engine(flow, backend, flow_detail,
                                                      book=book, **options)
            runner = self._jobs.who if self._jobs is not None else None
            # The engine is this run's only: the notifier goes with it.
            task_notifications.TaskNotifier(engine, keys.BOOT_FLOW, instance_id,
                                            instance.get('name')).register()
            with flow_states.AtomStateRecorder(engine, self._db, instance_id,
                                               keys.BOOT_FLOW, results, runner=runner):
                engine.run()
            return boot_jobs.BootOutcome.ACTIVE
        except Exception as exc:
            if boot_jobs.is_claim_lost(exc):
                LOG.warning('Stopped the boot of %s where it was: %s', instance_id, exc)
                return boot_jobs.BootOutcome.HANDED_OVER
            LOG.warning('Boot of %s failed: %s', instance_id, exc)
            self._ensure_not_building(instance_id, exc, sweep)
            return boot_jobs.BootOutcome.ERROR

    def purge_finished_runs(self, older_than: datetime.timedelta = FINISHED_RUN_RETENTION,
                            ) -> int:
        """Delete saved boots that finished longer ago than ``older_than``.

        A saved boot holds the user's token, sealed, in the flow's store (a resumed
        boot acts for the user): it goes with the logbook's flows and atoms.
        """
        if self._persistence is None:
            return 0
        return flow_persistence.purge_finished(self._persistence, older_than)

    def fail_stuck_builds(self, build_timeout: int) -> list[str]:
        """Put instances in BUILD for longer than ``build_timeout`` seconds in ERROR.

        A boot this conductor is running is left alone (it ends by itself: every
        RPC it waits on has a timeout); any other is a boot nobody carries on. Its
        resources are swept, then it gets a fault saying it timed out.
        """
        if build_timeout <= 0:
            return []
        limit = timeutils.utcnow() - datetime.timedelta(seconds=build_timeout)
        failed = []
        for instance in self._instances.list(vm_states=[VmState.BUILDING]):
            created = datetime.datetime.fromisoformat(instance['created_at'].rstrip('Z'))
            if created >= limit or self._instance_locks.is_held(instance['id']):
                continue
            with self._lock_for(instance['id']):
                if not self._withdraw_boot_job(instance['id']):
                    continue  # another conductor is running it
                LOG.warning('Instance %s has been in BUILD since %s, past %d s: ERROR',
                            instance['id'], instance['created_at'], build_timeout)
                self._sweep(instance['id'], {instance['host']} if instance['host'] else set())
                self._instances.set_error(
                    instance['id'], code=500,
                    message=f'Build timed out: in BUILD for more than {build_timeout} s')
                failed.append(instance['id'])
        return failed

    def _faults_for(self, instance: dict[str, Any],
                    taken_over: bool = False) -> faults.FaultInjector:
        """Faults the instance's metadata asks for, when fault injection is enabled.

        A boot carried on after its conductor stopped (``taken_over``) does not
        wait again: the delays are there to place that stop.
        """
        if self._fault_injection_max_delay is None:
            return self._deps.fault_injector
        try:
            requested = faults.from_metadata(instance.get('metadata') or {}, keys.BOOT_TASKS,
                                             self._fault_injection_max_delay,
                                             subject=instance['id'])
        except exception.InvalidInput as exc:
            LOG.warning('Ignoring fault injection metadata of %s: %s', instance['id'],
                        exc.message)
            return self._deps.fault_injector
        if requested is faults.NO_FAULTS:
            return self._deps.fault_injector
        if taken_over:
            requested = dataclasses.replace(requested, delay_at={}, delay_after={})
        LOG.warning('Fault injection for instance %s: %s', instance['id'], requested)
        return requested

    def _sweep(self, instance_id: str, hosts: set[str]) -> None:
        try:
            instance = self._instances.get(instance_id, include_deleted=True)
        except exception.NotFound:
            return
        self._resources.sweep(nl_context.get_admin_context(), instance, hosts)

    def _ensure_not_building(self, instance_id: str, exc: Exception,
                             sweep: Callable[[str], None]) -> None:
        """Backstop for a boot whose first task's revert could not set ERROR."""
        try:
            instance = self._instances.get(instance_id)
        except exception.NotFound:
            return
        if instance['vm_state'] == VmState.BUILDING:
            sweep(instance_id)
            message = getattr(exc, 'message', None) or str(exc) or type(exc).__name__
            self._instances.set_error(instance_id, message=message,
                                      code=getattr(exc, 'code', 500))

    def run_delete(self, instance_id: str, boot_wait: float = 900.0) -> bool:
        """Run the delete flow of one instance; True when it ended deleted.

        A boot of the instance still running on another conductor is waited for
        (up to ``boot_wait`` seconds); one nobody runs is withdrawn first, so it
        cannot resume after the delete.
        """
        with self._lock_for(instance_id):
            if not self._withdraw_boot_job(instance_id, wait=boot_wait):
                LOG.warning('Deleting %s while another conductor still runs its boot',
                            instance_id)
            try:
                instance = self._instances.get(instance_id)
            except exception.NotFound:
                return True
            flow = delete_flow.get_delete_flow(self._instances, self._resources,
                                               self._deps.fault_injector)
            engine = engines.load(flow, store={keys.INSTANCE_ID: instance_id,
                                               keys.INSTANCE: instance})
            try:
                with flow_states.AtomStateRecorder(engine, self._db, instance_id,
                                                   keys.DELETE_FLOW):
                    engine.run()
                return True
            except Exception as exc:
                LOG.warning('Delete of %s failed: %s', instance_id, exc)
                return False

    def stop(self) -> None:
        if self._jobs is not None:
            self._jobs.stop()
        self._boots.shutdown(wait=True)
        self._flow_executor.shutdown(wait=True)


def options_from_conf(conf: cfg.ConfigOpts, db: db_api.Database) -> dict[str, Any]:
    """The ConductorManager keyword arguments the configuration decides.

    With ``[conductor] persist_flows`` (the default), this connects to the
    ``[jobboard]``.
    """
    persistence = (flow_persistence.DatabaseBackend(db) if conf.conductor.persist_flows
                   else None)
    jobs = None
    if persistence is not None:
        settings = boot_jobs.JobSettings(claim_expiry=conf.jobboard.claim_expiry,
                                         poll_interval=conf.jobboard.poll_interval,
                                         max_claims=conf.jobboard.max_claims)
        jobs = boot_jobs.BootJobs(jobboards.load(conf, db, persistence), persistence,
                                  boot_jobs.conductor_identity(str(conf.host)), settings)
    return {
        'fault_injection_max_delay': (conf.fault_injection.max_delay
                                      if conf.fault_injection.enabled else None),
        'persistence': persistence,
        'jobs': jobs,
    }
