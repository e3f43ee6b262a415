"""A server's API status (ACTIVE, SHUTOFF, REBOOT...) from its vm and task states.

The same mapping twice: :func:`status_of_instance` for an instance dict, and
:func:`status_condition` as the SQL condition that lists ``?status=`` filter
with, so that the filter runs in the database query.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova_lite.common.states import ServerStatus, TaskState, VmState
from nova_lite.compute import instance_store
from nova_lite.db.models import compute as models

# Task states nova shows in the status (the rest show their vm_state's status)...
TASK_STATUS = {TaskState.REBOOTING: ServerStatus.REBOOT,
               TaskState.REBOOTING_HARD: ServerStatus.HARD_REBOOT,
               TaskState.RESIZE_PREP: ServerStatus.RESIZE,
               TaskState.RESIZE_REVERTING: ServerStatus.REVERT_RESIZE,
               TaskState.REBUILDING: ServerStatus.REBUILD}
# ...while the server is in one of these vm states.
_TASK_SHOWN_IN = (VmState.ACTIVE, VmState.STOPPED, VmState.RESIZED)
# A failed server shows only a rebuild (as Nova: ERROR while anything else runs).
ERROR_TASK_STATUS = {TaskState.REBUILDING: ServerStatus.REBUILD}
STATUSES = frozenset(instance_store.VM_STATE_TO_STATUS.values()) | set(TASK_STATUS.values())


def status_of_instance(instance: dict[str, Any]) -> str:
    if instance['vm_state'] in _TASK_SHOWN_IN and instance['task_state'] in TASK_STATUS:
        return TASK_STATUS[instance['task_state']]
    if instance['vm_state'] == VmState.ERROR and instance['task_state'] in ERROR_TASK_STATUS:
        return ERROR_TASK_STATUS[instance['task_state']]
    return instance_store.status_of(instance['vm_state'], instance['task_state'])


def status_condition(status: str) -> sa.ColumnElement[bool]:
    """Instances whose :func:`status_of_instance` is ``status`` (upper case)."""
    vm_state = models.Instance.vm_state
    task_state = sa.func.coalesce(models.Instance.task_state, '')
    shows_task = sa.or_(
        sa.and_(vm_state.in_(_TASK_SHOWN_IN), task_state.in_(list(TASK_STATUS))),
        sa.and_(vm_state == VmState.ERROR, task_state.in_(list(ERROR_TASK_STATUS))))
    by_task = [task for task, shown in TASK_STATUS.items() if shown == status]
    by_error_task = [task for task, shown in ERROR_TASK_STATUS.items() if shown == status]
    by_vm_state = [state for state, shown in instance_store.VM_STATE_TO_STATUS.items()
                   if shown == status]
    other_vm_state = sa.and_(vm_state.not_in(list(instance_store.VM_STATE_TO_STATUS)),
                             sa.func.upper(vm_state) == status)
    return sa.or_(
        sa.and_(vm_state.in_(_TASK_SHOWN_IN), task_state.in_(by_task)),
        sa.and_(vm_state == VmState.ERROR, task_state.in_(by_error_task)),
        sa.and_(sa.or_(vm_state.in_(by_vm_state), other_vm_state), sa.not_(shows_task)))
