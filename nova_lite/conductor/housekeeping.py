"""The conductor's housekeeping: builds stuck in BUILD, and finished saved runs.

Both run as periodic tasks of the conductor's service (:meth:`periodic_tasks`,
run on oslo.service looping calls), each at its own ``[conductor]`` interval:

- instances in BUILD past ``[compute] build_timeout`` whose boot nobody runs
  go to ERROR, with everything they hold freed;
- saved boots that finished more than ``[conductor] finished_run_retention``
  seconds ago are deleted (their logbooks hold the user's token, sealed).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging

from oslo_config import cfg

from nova_lite.common import service as nl_service
from nova_lite.common import timeutils
from nova_lite.common.states import VmState
from nova_lite.compute import instance_store
from nova_lite.conductor import boot_runner
from nova_lite.conductor import persistence as flow_persistence

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class HousekeepingSettings:
    """How often each task runs, and what each one considers old."""

    build_timeout: int
    finished_run_retention: datetime.timedelta
    stuck_build_check_interval: float
    purge_interval: float

    @classmethod
    def from_conf(cls, conf: cfg.ConfigOpts) -> HousekeepingSettings:
        return cls(build_timeout=conf.compute.build_timeout,
                   finished_run_retention=datetime.timedelta(
                       seconds=conf.conductor.finished_run_retention),
                   stuck_build_check_interval=conf.conductor.stuck_build_check_interval,
                   purge_interval=conf.conductor.purge_interval)


class Housekeeping:
    """Fails stuck builds and purges finished runs, on the boot runner's locks."""

    def __init__(self, runner: boot_runner.BootRunner,
                 instances: instance_store.InstanceStore,
                 settings: HousekeepingSettings) -> None:
        self._runner = runner
        self._instances = instances
        self.settings = settings

    def periodic_tasks(self) -> list[nl_service.PeriodicTask]:
        """(interval seconds, task) pairs for the conductor's service to run."""
        return [(self.settings.stuck_build_check_interval, self.fail_stuck_builds),
                (self.settings.purge_interval, self.purge_finished_runs)]

    def purge_finished_runs(self, older_than: datetime.timedelta | None = None) -> int:
        """Delete saved boots that finished longer ago than ``older_than``
        (default ``[conductor] finished_run_retention``); returns how many.

        A saved boot holds the user's token, sealed, in the flow's store (a resumed
        boot acts for the user): it goes with the logbook's flows and atoms.
        """
        retention = self.settings.finished_run_retention if older_than is None else older_than
        return flow_persistence.purge_finished(self._runner.flows.persistence, retention)

    def fail_stuck_builds(self, build_timeout: int | None = None) -> list[str]:
        """Put instances in BUILD for longer than ``build_timeout`` seconds (default
        ``[compute] build_timeout``; 0: none) in ERROR; returns their ids.

        A boot this conductor is running is left alone (it ends by itself: every
        RPC it waits on has a timeout), as is one another conductor holds; any
        other is a boot nobody carries on. Its job is withdrawn and its resources
        swept, then it gets a fault saying it timed out.
        """
        timeout = self.settings.build_timeout if build_timeout is None else build_timeout
        if timeout <= 0:
            return []
        limit = timeutils.utcnow() - datetime.timedelta(seconds=timeout)
        failed = []
        for instance in self._instances.list(vm_states=[VmState.BUILDING]):
            created = datetime.datetime.fromisoformat(instance['created_at'].rstrip('Z'))
            if created >= limit or self._runner.is_running(instance['id']):
                continue
            if self._fail_stuck_build(instance['id'], instance['created_at'],
                                      instance['host'], timeout):
                failed.append(instance['id'])
        return failed

    def _fail_stuck_build(self, instance_id: str, created_at: str, host: str | None,
                          timeout: int) -> bool:
        with self._runner.lock_for(instance_id):
            if not self._runner.withdraw_boot_job(instance_id):
                return False  # another conductor is running it
            LOG.warning('Instance %s has been in BUILD since %s, past %d s: ERROR',
                        instance_id, created_at, timeout)
            self._runner.flows.sweep(instance_id, {host} if host else set())
            self._instances.set_error(
                instance_id, code=500,
                message=f'Build timed out: in BUILD for more than {timeout} s')
            return True
