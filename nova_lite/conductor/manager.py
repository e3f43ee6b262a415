"""The conductor: runs the boot and delete flows (the only writer of instance state
besides the compute API)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import futurist
import oslo_messaging
from oslo_config import cfg
from taskflow import engines

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.conductor import faults, flow_states, resource_cleanup
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import boot, keys
from nova_lite.conductor.flows import delete as delete_flow
from nova_lite.conductor.rpcapi import RPC_API_VERSION
from nova_lite.db import api as db_api

LOG = logging.getLogger(__name__)


class _KeyedLocks:
    """One lock per instance id, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextlib.contextmanager
    def hold(self, key: str) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)

    def is_held(self, key: str) -> bool:
        with self._guard:
            return key in self._locks


# Saved boots that finished are deleted after this long (see purge_finished_runs).
FINISHED_RUN_RETENTION = datetime.timedelta(hours=1)


class ConductorManager:
    """RPC endpoint of the conductor; boots run on a worker pool, not the RPC thread."""

    target = oslo_messaging.Target(version=RPC_API_VERSION)

    def __init__(self, db: db_api.Database, boot_deps: boot.BootDependencies,
                 resources: resource_cleanup.InstanceResources, *, boot_workers: int,
                 flow_workers: int, fault_injection_max_delay: float | None = None,
                 persistence: flow_persistence.DatabaseBackend | None = None) -> None:
        """``fault_injection_max_delay`` None: server metadata injects no faults.

        With ``persistence``, every boot is saved as a TaskFlow logbook (named by
        the instance id) as it runs, and :meth:`resume_unfinished_boots` carries
        on the boots a stopped or killed conductor left unfinished.
        """
        self._db = db
        self._persistence = persistence
        self._fault_injection_max_delay = fault_injection_max_delay
        self._deps = boot_deps
        self._instances = boot_deps.instances
        self._resources = resources
        self._boots = futurist.ThreadPoolExecutor(max_workers=boot_workers)
        self._flow_executor = futurist.ThreadPoolExecutor(max_workers=flow_workers)
        self._instance_locks = _KeyedLocks()

    # RPC methods -----------------------------------------------------------------

    def build_instance(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._boots.submit(self.run_boot, instance_id, ctx.auth_token or '')

    def delete_instance(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._boots.submit(self.run_delete, instance_id)

    # Flow runs ---------------------------------------------------------------------

    def _lock_for(self, instance_id: str) -> contextlib.AbstractContextManager[None]:
        return self._instance_locks.hold(instance_id)

    def run_boot(self, instance_id: str, auth_token: str) -> bool:
        """Run the boot flow of one instance; True when it ended ACTIVE."""
        with self._lock_for(instance_id):
            try:
                instance = self._instances.get(instance_id)
            except exception.NotFound:
                LOG.info('Instance %s was deleted before its boot started', instance_id)
                return False
            store = {keys.INSTANCE_ID: instance_id, keys.AUTH_TOKEN: auth_token,
                     keys.REQUEST_SPEC: instance['build_request']['request_spec']}
            return self._run_boot_flow(instance, store=store)

    def resume_unfinished_boots(self) -> list[str]:
        """Queue every saved boot that has not finished; returns their instance ids.

        Tasks that had finished are not run again; a task that was running when
        the conductor died runs again, and every task is idempotent.
        """
        if self._persistence is None:
            return []
        resumed = []
        for run in flow_persistence.unfinished_runs(self._persistence):
            if run.flow_name == keys.BOOT_FLOW:
                LOG.warning('Resuming the unfinished boot of instance %s (was %s)',
                            run.book_uuid, run.state)
                self._boots.submit(self._resume_boot, run.book_uuid, run.flow_uuid)
                resumed.append(run.book_uuid)
        return resumed

    def _resume_boot(self, instance_id: str, flow_uuid: str) -> bool:
        with self._lock_for(instance_id):
            try:
                instance = self._instances.get(instance_id, include_deleted=True)
            except exception.NotFound:
                instance = {'id': instance_id, 'metadata': {}, 'build_request': {}}
            return self._run_boot_flow(instance, resume_flow_uuid=flow_uuid)

    def _run_boot_flow(self, instance: dict[str, Any], *,
                       store: dict[str, Any] | None = None,
                       resume_flow_uuid: str | None = None) -> bool:
        instance_id = instance['id']
        # Task results of this run, filled by the recorder: the sweep reads the
        # hosts the schedule task chose (its result is (host, alternates)).
        results: dict[str, list[Any]] = {}

        def sweep(swept_id: str) -> None:
            hosts = {r[0] for r in results.get(keys.SCHEDULE, []) if r}
            if instance.get('host'):
                hosts.add(instance['host'])
            self._sweep(swept_id, hosts)

        flow = boot.get_boot_flow(dataclasses.replace(
            self._deps, sweep=sweep, fault_injector=self._faults_for(instance)))
        options: dict[str, Any] = {'engine': 'parallel', 'executor': self._flow_executor}
        if self._persistence is None:
            engine = engines.load(flow, store=store, **options)
        elif resume_flow_uuid is None:
            book, flow_detail = flow_persistence.start_run(
                self._persistence, keys.BOOT_FLOW, book_uuid=instance_id,
                book_name=f'boot-{instance_id}')
            engine = flow_persistence.load_engine(flow, self._persistence, flow_detail,
                                                  book=book, store=store, **options)
        else:
            book, flow_detail = flow_persistence.load_run(self._persistence,
                                                          resume_flow_uuid)
            engine = flow_persistence.load_engine(flow, self._persistence, flow_detail,
                                                  book=book, **options)
        try:
            with flow_states.AtomStateRecorder(engine, self._db, instance_id,
                                               keys.BOOT_FLOW, results):
                engine.run()
            return True
        except Exception as exc:
            LOG.warning('Boot of %s failed: %s', instance_id, exc)
            self._ensure_not_building(instance_id, exc, sweep)
            return False

    def purge_finished_runs(self, older_than: datetime.timedelta = FINISHED_RUN_RETENTION,
                            ) -> int:
        """Delete saved boots that finished longer ago than ``older_than``.

        A saved boot holds the user's token (it is in the flow's store so that a
        resumed boot can act for the user): it is kept no longer than needed.
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
        for instance in self._instances.list(vm_states=['building']):
            created = datetime.datetime.fromisoformat(instance['created_at'].rstrip('Z'))
            if created >= limit or self._instance_locks.is_held(instance['id']):
                continue
            with self._lock_for(instance['id']):
                LOG.warning('Instance %s has been in BUILD since %s, past %d s: ERROR',
                            instance['id'], instance['created_at'], build_timeout)
                self._sweep(instance['id'], {instance['host']} if instance['host'] else set())
                self._instances.set_error(
                    instance['id'], code=500,
                    message=f'Build timed out: in BUILD for more than {build_timeout} s')
                failed.append(instance['id'])
        return failed

    def _faults_for(self, instance: dict[str, Any]) -> faults.FaultInjector:
        """Faults the instance's metadata asks for, when fault injection is enabled."""
        if self._fault_injection_max_delay is None:
            return self._deps.fault_injector
        try:
            requested = faults.from_metadata(instance.get('metadata') or {}, keys.BOOT_TASKS,
                                             self._fault_injection_max_delay)
        except exception.InvalidInput as exc:
            LOG.warning('Ignoring fault injection metadata of %s: %s', instance['id'],
                        exc.message)
            return self._deps.fault_injector
        if requested is faults.NO_FAULTS:
            return self._deps.fault_injector
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
        if instance['vm_state'] == 'building':
            sweep(instance_id)
            message = getattr(exc, 'message', None) or str(exc) or type(exc).__name__
            self._instances.set_error(instance_id, message=message,
                                      code=getattr(exc, 'code', 500))

    def run_delete(self, instance_id: str) -> bool:
        """Run the delete flow of one instance; True when it ended deleted."""
        with self._lock_for(instance_id):
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
        self._boots.shutdown(wait=True)
        self._flow_executor.shutdown(wait=True)


def options_from_conf(conf: cfg.ConfigOpts, db: db_api.Database) -> dict[str, Any]:
    """The ConductorManager keyword arguments the configuration decides."""
    return {
        'fault_injection_max_delay': (conf.fault_injection.max_delay
                                      if conf.fault_injection.enabled else None),
        'persistence': (flow_persistence.DatabaseBackend(db)
                        if conf.conductor.persist_flows else None),
    }
