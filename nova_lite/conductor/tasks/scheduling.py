"""Scheduling: choose a host and claim its resources, over rpc.call."""

from __future__ import annotations

import logging
from typing import Any

from nova_lite.common import exception
from nova_lite.common.states import TaskState, VmState
from nova_lite.compute import instance_store
from nova_lite.compute import server_groups as server_group_store
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base
from nova_lite.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)


class ScheduleInstance(base.UserContextTask):
    """Asks the scheduler (rpc.call) for a host; the scheduler claims on it.

    Steps 8-11. Hosts that already failed this boot are excluded. The chosen
    host and its zone are recorded on the instance through the instance store
    (the scheduler never touches instances); when the instance was deleted in
    the meantime, the claim just taken is released before NotFound is raised.
    A member of a server group sends the group's policy, rules and the other
    members' hosts, read fresh on each attempt, for the group filters and weighers.
    Re-running after a crash is safe: the scheduler keeps the claim the
    instance already holds, and recording the host again changes nothing.

    Reversion strategy: release the instance's claim through the scheduler (as
    the conductor, no user token needed) and clear the instance's host (both
    idempotent).
    """

    def __init__(self, scheduler: scheduler_rpcapi.SchedulerAPI,
                 instances: instance_store.InstanceStore, sealer: token_seal.TokenSealer,
                 server_groups: server_group_store.ServerGroupStore | None = None,
                 **kwargs: Any) -> None:
        super().__init__(keys.SCHEDULE, sealer=sealer,
                         requires=[keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC,
                                   keys.FAILED_HOSTS],
                         provides=[keys.HOST, keys.ALTERNATE_HOSTS], **kwargs)
        self._scheduler = scheduler
        self._instances = instances
        self._server_groups = server_groups

    def execute(self, context: dict[str, Any], instance_id: str,
                request_spec: dict[str, Any], failed_hosts: list[str]) -> tuple[str, list[str]]:
        ctx = self.user_context(context)
        self._instances.update(instance_id, expected_vm_states=(VmState.BUILDING,),
                               task_state=TaskState.SCHEDULING)
        spec = dict(request_spec, instance_id=instance_id, ignore_hosts=list(failed_hosts))
        group = (self._server_groups.group_of(instance_id)
                 if self._server_groups is not None else None)
        if group is not None:
            spec['group'] = group
        selection = self._scheduler.select_destinations(ctx, spec)
        try:
            self._instances.set_host(instance_id, selection['host'],
                                     selection.get('availability_zone'))
        except exception.NotFound:
            # Deleted while it was scheduled: give the claim back, nothing leaks.
            self._scheduler.release_claim(ctx, instance_id)
            raise
        return selection['host'], list(selection.get('alternates', []))

    def revert(self, context: dict[str, Any], instance_id: str, result: Any = None,
               **kwargs: Any) -> None:
        def undo() -> None:
            self._scheduler.release_claim(self.service_context(context), instance_id)
            try:
                self._instances.update(instance_id, host=None)
            except Exception:  # the instance may already be deleted
                LOG.debug('Instance %s gone; host not cleared', instance_id)

        self.best_effort_revert(instance_id, undo)
