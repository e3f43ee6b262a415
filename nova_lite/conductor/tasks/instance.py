"""Tasks that move the instance record through its states."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from taskflow.types import failure as tf_failure

from nova_lite.common import exception, timeutils
from nova_lite.common.states import TaskState, VmState
from nova_lite.compute import instance_store
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base

LOG = logging.getLogger(__name__)


def describe_failures(flow_failures: dict[str, tf_failure.Failure]) -> tuple[str, int, str]:
    """The fault message, HTTP-like code and details for a set of flow failures."""
    for atom_name, failure in flow_failures.items():
        exc = failure.exception
        code = exc.code if isinstance(exc, exception.NovaLiteError) else 500
        message = failure.exception_str or failure.exception_type_names[0]
        return message, code, f'{atom_name}: {failure.pformat(traceback=True)}'
    return 'Build failed', 500, ''


class InstanceToErrorOnRevert(base.FlowTask):
    """Marks the start of the boot; on revert, puts the instance in ERROR.

    Reversion strategy: it reverts last, after every other task gave back what
    it took; it first sweeps whatever a failed revert may have left (by
    instance id, in every service), then sets vm_state ERROR (task_state
    cleared) with a fault carrying the failure's message. So an instance is
    never seen in ERROR while it still holds anything. A deleted instance is
    left alone.
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 sweep: Callable[[str], None] | None = None, **kwargs: Any) -> None:
        super().__init__(keys.INSTANCE_TO_ERROR_ON_REVERT, requires=[keys.INSTANCE_ID],
                         **kwargs)
        self._instances = instances
        self._sweep = sweep

    def execute(self, instance_id: str) -> None:
        self._instances.update(instance_id, expected_vm_states=(VmState.BUILDING,),
                               task_state=TaskState.SCHEDULING)

    def revert(self, instance_id: str, result: Any = None,
               flow_failures: dict[str, tf_failure.Failure] | None = None,
               **kwargs: Any) -> None:
        message, code, details = describe_failures(flow_failures or {})
        LOG.warning('Boot of instance %s failed: %s', instance_id, message)

        def undo() -> None:
            if self._sweep is not None:
                self._sweep(instance_id)
            self._instances.set_error(instance_id, message=message, code=code,
                                      details=details)

        self.best_effort_revert(instance_id, undo)


class MarkActive(base.FlowTask):
    """Records the spawned instance as ACTIVE with its addresses.

    Reversion strategy: nothing to undo; it is the last task, and the tasks
    before it free the resources (the first task sets ERROR).
    """

    def __init__(self, instances: instance_store.InstanceStore, **kwargs: Any) -> None:
        super().__init__(keys.MARK_ACTIVE,
                         requires=[keys.INSTANCE_ID, keys.HOST, keys.NETWORK_INFO,
                                   keys.SPAWN_RESULT],
                         provides=keys.INSTANCE, **kwargs)
        self._instances = instances

    def execute(self, instance_id: str, host: str, network_info: list[dict[str, Any]],
                spawn_result: dict[str, Any]) -> dict[str, Any]:
        try:
            instance = self._instances.update(
                instance_id, expected_vm_states=(VmState.BUILDING,), vm_state=VmState.ACTIVE,
                task_state=None, power_state=spawn_result.get('power_state', 1), host=host,
                network_info=network_info, launched_at=timeutils.utcnow())
        except exception.InvalidState:
            # Run again after a crash that followed its commit: already done.
            instance = self._instances.get(instance_id)
            if instance['vm_state'] != VmState.ACTIVE or instance['host'] != host:
                raise
            return {'id': instance['id'], 'status': instance['status'], 'host': host}
        return {'id': instance['id'], 'status': instance['status'], 'host': host}
