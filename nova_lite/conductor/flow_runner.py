"""Runs one boot or delete flow of one instance: the engine, its saved run, its sweep.

The caller (:mod:`nova_lite.conductor.boot_runner`) decides when a flow runs
and holds the instance's lock around it; this module only runs it. Every
boot is saved as a TaskFlow logbook (named by the instance id) as it runs,
through the conductor's persistence backend; the delete flow is not saved.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable
from concurrent import futures
from typing import Any

from taskflow import engines
from taskflow import exceptions as tf_exc
from taskflow import flow as tf_flow
from taskflow.engines import base as engine_base

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import VmState
from nova_lite.conductor import boot_jobs, faults, flow_states, resource_cleanup, task_hops
from nova_lite.conductor import flow_notifications as task_notifications
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import boot, keys
from nova_lite.conductor.flows import delete as delete_flow
from nova_lite.conductor.jobboards import lease as claim_lease
from nova_lite.db import api as db_api

LOG = logging.getLogger(__name__)


class FlowRunner:
    """Runs the boot and delete flows on one shared flow executor."""

    def __init__(self, db: db_api.Database, boot_deps: boot.BootDependencies,
                 resources: resource_cleanup.InstanceResources,
                 persistence: flow_persistence.DatabaseBackend, *, flow_workers: int,
                 runner_name: str, fault_injection_max_delay: float | None = None) -> None:
        """``runner_name`` names this conductor in the flows' recorded atom states;
        ``fault_injection_max_delay`` None: server metadata injects no faults."""
        self._db = db
        self._deps = boot_deps
        self._instances = boot_deps.instances
        self._resources = resources
        self.persistence = persistence
        self._runner_name = runner_name
        self._fault_injection_max_delay = fault_injection_max_delay
        # TaskFlow's parallel engine takes a concurrent.futures executor; the
        # standard one keeps no more threads than were busy at once.
        self._flow_executor = futures.ThreadPoolExecutor(max_workers=flow_workers,
                                                         thread_name_prefix='flow')

    def boot_store(self, instance: dict[str, Any], auth_token: str, *,
                   request_ids: nl_context.RequestIds | None = None) -> dict[str, Any]:
        """The boot flow's inputs, saved with its logbook: the user's token sealed."""
        store = {keys.INSTANCE_ID: instance['id'],
                 keys.SEALED_TOKEN: self._deps.sealer.seal(auth_token),
                 keys.REQUEST_SPEC: instance['build_request']['request_spec']}
        if request_ids is not None:
            store[keys.REQUEST_IDS] = request_ids
        return store

    def run_boot(self, instance: dict[str, Any], *,
                 store: dict[str, Any] | None = None,
                 resume_flow_uuid: str | None = None,
                 lease: claim_lease.ClaimLease | None = None,
                 taken_over: bool = False) -> boot_jobs.BootOutcome:
        """Run a new boot (with ``store``) or resume a saved one (``resume_flow_uuid``).

        With ``lease``, every write of the run and every task's start first
        checks that this conductor still holds the boot's job.
        """
        instance_id = instance['id']
        # Task results of this run, filled by the recorder: the sweep reads the
        # hosts the schedule task chose (its result is (host, alternates)).
        results: dict[str, list[Any]] = {}

        def sweep(swept_id: str) -> None:
            hosts = {r[0] for r in results.get(keys.SCHEDULE, []) if r}
            if instance.get('host'):
                hosts.add(instance['host'])
            self.sweep(swept_id, hosts)

        claim_check = lease.ensure if lease is not None else None
        run_hops = task_hops.RunHops(keys.BOOT_FLOW)
        flow = boot.get_boot_flow(dataclasses.replace(
            self._deps, sweep=sweep, fault_injector=self._faults_for(instance, taken_over),
            claim_check=claim_check, run_hops=run_hops))
        try:
            engine = self._load_boot_engine(flow, instance_id, store, resume_flow_uuid,
                                            claim_check)
            # The engine is this run's only: the notifier goes with it.
            task_notifications.TaskNotifier(engine, keys.BOOT_FLOW, instance_id,
                                            instance.get('name')).register()
            with flow_states.AtomStateRecorder(engine, self._db, instance_id,
                                               keys.BOOT_FLOW, results,
                                               runner=self._runner_name,
                                               hops_of=run_hops.pop):
                engine.run()
            return boot_jobs.BootOutcome.ACTIVE
        except Exception as exc:
            if boot_jobs.is_claim_lost(exc):
                LOG.warning('Stopped the boot of %s where it was: %s', instance_id, exc)
                return boot_jobs.BootOutcome.HANDED_OVER
            LOG.warning('Boot of %s failed: %s', instance_id, exc)
            self._ensure_not_building(instance_id, exc, sweep)
            return boot_jobs.BootOutcome.ERROR

    def _load_boot_engine(self, flow: tf_flow.Flow, instance_id: str, store: dict[str, Any] | None,
                          resume_flow_uuid: str | None,
                          claim_check: Callable[[], None] | None,
                          ) -> engine_base.Engine:
        """The engine of a new saved run, or of the saved run ``resume_flow_uuid``."""
        backend = self.persistence
        if claim_check is not None:
            backend = backend.fenced(claim_check)
        options: dict[str, Any] = {'engine': 'parallel', 'executor': self._flow_executor}
        if resume_flow_uuid is None:
            book, flow_detail = flow_persistence.start_run(
                backend, keys.BOOT_FLOW, book_uuid=instance_id,
                book_name=f'boot-{instance_id}')
            return flow_persistence.load_engine(flow, backend, flow_detail, book=book,
                                                store=store, **options)
        book, flow_detail = flow_persistence.load_run(backend, resume_flow_uuid)
        return flow_persistence.load_engine(flow, backend, flow_detail, book=book,
                                            **options)

    def run_delete(self, instance: dict[str, Any]) -> bool:
        """Run the delete flow of one instance; True when it ended deleted."""
        instance_id = instance['id']
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

    def hosts_of_run(self, flow_uuid: str, instance: dict[str, Any]) -> set[str]:
        """Every host a saved boot chose (its schedule results), and the instance's."""
        hosts = {instance['host']} if instance.get('host') else set()
        with contextlib.suppress(tf_exc.NotFound):
            _book, flow_detail = flow_persistence.load_run(self.persistence, flow_uuid)
            schedule = next((atom for atom in flow_detail if atom.name == keys.SCHEDULE),
                            None)
            if schedule is not None and schedule.results:
                hosts.add(schedule.results[0])
        return hosts

    def sweep(self, instance_id: str, hosts: set[str]) -> None:
        """Free whatever the instance still holds in any service (on ``hosts``)."""
        try:
            instance = self._instances.get(instance_id, include_deleted=True)
        except exception.NotFound:
            return
        self._resources.sweep(nl_context.get_admin_context(), instance, hosts)

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

    def stop(self) -> None:
        """Wait for the flows' tasks in flight, then release the flow executor."""
        self._flow_executor.shutdown(wait=True)
