"""The tasks of the server action flows (pause, stop, reboot, lock, ...).

Every action flow is the same three steps, told apart by its
:class:`ActionSpec`: mark the start (and, on revert, put the instance back),
ask the instance's host, record the state the action ends in.
"""

from __future__ import annotations

import logging
from typing import Any

from taskflow.types import failure as tf_failure

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import instance_actions, instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute.action_specs import ActionSpec
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base

LOG = logging.getLogger(__name__)


def _admin_context(request: dict[str, Any]) -> nl_context.RequestContext:
    """A service context that logs under the action request's ids."""
    ctx = nl_context.get_admin_context()
    nl_context.set_request_ids(ctx, {'request_id': request['request_id'],
                                     'global_request_id': request.get('global_request_id')})
    return ctx


def _host_state_unknown(flow_failures: dict[str, tf_failure.Failure],
                        host_task: str = keys.HOST_CALL) -> bool:
    """Whether the host call failed in a way that leaves the domain's state unknown.

    A refusal (a 4xx NovaLiteError: wrong state, no domain) changed nothing;
    a timeout, a hypervisor error or anything unexpected may have.
    """
    failure = flow_failures.get(host_task)
    if failure is None:
        return False
    exc = failure.exception
    if isinstance(exc, exception.NovaLiteError):
        return exc.code >= 500
    if exc is None:  # read back after a restart: only its type names are left
        return not any(name.endswith(('Conflict', 'NotFound', 'InvalidState'))
                       for name in failure.exception_type_names)
    return True


class ActionToErrorOnRevert(base.FlowTask):
    """Marks the start of the action; on revert, puts the instance back as it was.

    Reversion strategy: it reverts last, after the host call undid what it
    did. The instance goes back to the vm_state it started from with its task
    state cleared, or to ERROR (with a fault) when the host call failed so
    that the domain's state is unknown. An instance whose task state is no
    longer this action's (a delete took it over) is left alone. The action's
    event is finished as Error, with the failure's traceback.
    """

    # The task whose failure may leave the domain's state unknown.
    host_task: str = keys.HOST_CALL

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore, **kwargs: Any) -> None:
        super().__init__(keys.ACTION_TO_ERROR_ON_REVERT,
                         requires=[keys.INSTANCE_ID, keys.ACTION_REQUEST], **kwargs)
        self._spec = spec
        self._instances = instances
        self._events = events

    def execute(self, instance_id: str, action_request: dict[str, Any]) -> None:
        instance = self._instances.get(instance_id)
        if (self._spec.task_state is not None
                and instance['task_state'] != action_request.get('task_state')):
            raise exception.Conflict(reason=f'instance {instance_id} is no longer '
                                     f'{action_request.get("task_state")}')
        self._events.start_event(instance_id, action_request['request_id'],
                                 instance_actions.event_name(self._spec.instance_action),
                                 host=instance.get('host'))

    def revert(self, instance_id: str, action_request: dict[str, Any], result: Any = None,
               flow_failures: dict[str, tf_failure.Failure] | None = None,
               **kwargs: Any) -> None:
        failures = flow_failures or {}
        traceback = '\n'.join(f'{name}: {failure.pformat(traceback=True)}'
                              for name, failure in failures.items())
        message = next((f.exception_str or f.exception_type_names[0]
                        for f in failures.values()), 'action failed')
        LOG.warning('%s of instance %s failed: %s', self._spec.name, instance_id, message)

        def undo() -> None:
            instance = self._instances.get(instance_id)
            if (self._spec.task_state is not None
                    and instance['task_state'] != action_request.get('task_state')):
                return
            if _host_state_unknown(failures, self.host_task):
                self._instances.set_error(instance_id, code=500, host=instance.get('host'),
                                          message=f'{self._spec.name} failed: {message}',
                                          details=traceback)
            else:
                self._instances.update(instance_id, task_state=None,
                                       vm_state=action_request['prior_vm_state'])

        self.best_effort_revert(instance_id, undo)
        self.best_effort_revert(instance_id, lambda: self._events.finish_event(
            instance_id, action_request['request_id'],
            instance_actions.event_name(self._spec.instance_action),
            result=instance_actions.ERROR, traceback=traceback))


class HostCall(base.FlowTask):
    """Asks the instance's compute host to do the action; provides the power state.

    Reversion strategy: runs the spec's undo on the host (unpause after a
    pause, start after a stop, ...) so the domain is back in the state the
    instance goes back to; a reboot has nothing to undo. Only reverted when a
    later task failed, i.e. when the host did the action.
    """

    def __init__(self, spec: ActionSpec, compute: compute_rpcapi.ComputeAPI,
                 **kwargs: Any) -> None:
        super().__init__(keys.HOST_CALL,
                         requires=[keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST],
                         provides=keys.POWER_STATE, **kwargs)
        self._spec = spec
        self._compute = compute

    def execute(self, instance_id: str, host: str, action_request: dict[str, Any]) -> int:
        method = getattr(self._compute, str(self._spec.host_method))
        return int(method(_admin_context(action_request), host, instance_id=instance_id))

    def revert(self, instance_id: str, host: str, action_request: dict[str, Any],
               result: Any = None, **kwargs: Any) -> None:
        if self._spec.undo_method is None or isinstance(result, tf_failure.Failure):
            return
        undo = getattr(self._compute, self._spec.undo_method)
        self.best_effort_revert(instance_id, lambda: undo(
            _admin_context(action_request), host, instance_id=instance_id))


class RecordState(base.FlowTask):
    """Records the state the action ends in and finishes its event as Success.

    Reversion strategy: nothing to undo; it is the last task (the host call's
    revert undoes the host's part, the first task's puts the record back).
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore, **kwargs: Any) -> None:
        requires = [keys.INSTANCE_ID, keys.ACTION_REQUEST]
        if spec.host_method is not None:
            requires.append(keys.POWER_STATE)
        super().__init__(keys.RECORD_STATE, requires=requires, **kwargs)
        self._spec = spec
        self._instances = instances
        self._events = events

    def _values(self, action_request: dict[str, Any],
                power_state: int | None) -> dict[str, Any]:
        args = action_request.get('args') or {}
        values: dict[str, Any] = {}
        end_vm_state = self._spec.end_vm_state or args.get('vm_state')
        if end_vm_state is not None:
            # An action that changes the vm state (reset-state too) ends its task.
            values['vm_state'] = end_vm_state
            values['task_state'] = None
        if power_state is not None:
            values['power_state'] = power_state
        if 'locked_by' in args:
            values['locked_by'] = args['locked_by']
            values['locked_reason'] = args.get('locked_reason')
        return values

    def execute(self, instance_id: str, action_request: dict[str, Any],
                power_state: int | None = None) -> None:
        values = self._values(action_request, power_state)
        instance = self._instances.get(instance_id)
        already = all(instance.get(key) == value for key, value in values.items())
        if not already:
            if (self._spec.task_state is not None
                    and instance['task_state'] != action_request.get('task_state')):
                raise exception.Conflict(reason=f'instance {instance_id} changed during '
                                         f'{self._spec.name}')
            self._instances.update(instance_id, **values)
        self._events.finish_event(instance_id, action_request['request_id'],
                                  instance_actions.event_name(self._spec.instance_action),
                                  result=instance_actions.SUCCESS)
