"""Server actions: stop, start, reboot and the console log, through the host's compute.

Each power action checks the instance's state, marks it with a task state
(``powering-off``, ``powering-on``, ``rebooting``, ``rebooting_hard``) so a
second action is refused with 409 while the first runs, asks the instance's
compute host over ``rpc.call`` and records the power state the hypervisor
reports. A failed call puts the task state back and raises; the instance keeps
the state it had.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import TaskState, VmState
from nova_lite.compute import instance_store
from nova_lite.compute import rpcapi as compute_rpcapi

LOG = logging.getLogger(__name__)

GetServer = Callable[[nl_context.RequestContext, str], dict[str, Any]]

REBOOT_TYPES = ('SOFT', 'HARD')
# Nova's rules: a soft reboot needs a running server, a hard one also revives
# stopped and failed ones (when they have a host to run on).
_REBOOT_STATES = {'SOFT': (VmState.ACTIVE,),
                  'HARD': (VmState.ACTIVE, VmState.STOPPED, VmState.ERROR)}
_CONSOLE_STATES = (VmState.ACTIVE, VmState.STOPPED)


def _tail(text: str, length: Any) -> str:
    """The last ``length`` lines of ``text`` (all of it for None or -1), counted as nova
    counts them: the pieces between newlines, so a log's final newline ends an
    empty last piece (``length`` 3 of ``"a\nb\nc\n"`` is ``"b\nc\n"``)."""
    if length is None or int(length) < 0:
        return text
    count = int(length)
    if count == 0:
        return ''
    return '\n'.join(text.split('\n')[-count:])


def _host_failure(host: str, exc: Exception, reason: str) -> exception.NovaLiteError:
    """What the caller gets when the compute host failed an action."""
    if isinstance(exc, exception.Conflict):
        return exc
    if isinstance(exc, exception.NotFound):  # the host has no domain for it
        return exception.Conflict(reason=f'the hypervisor on {host} has no domain: {reason}')
    return exception.VirtDriverError(host=host, reason=reason)


class ServerActionsAPI:
    """Stop, start, reboot and console output of the caller's servers."""

    def __init__(self, *, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI, get_server: GetServer) -> None:
        self._instances = instances
        self._compute = compute
        self._get_server = get_server

    def _ready(self, ctx: nl_context.RequestContext, server_id: str, action: str,
               vm_states: tuple[str, ...]) -> dict[str, Any]:
        instance = self._get_server(ctx, server_id)
        if instance['vm_state'] not in vm_states:
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state=instance['vm_state'], action=action,
                                         needed=' or '.join(vm_states))
        if instance['task_state'] is not None:
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state=f'busy ({instance["task_state"]})',
                                         action=action, needed='no task in progress')
        if not instance['host']:
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state='without a host', action=action,
                                         needed='a host')
        return instance

    def _power_action(self, ctx: nl_context.RequestContext, instance: dict[str, Any], *,
                      task_state: str, rpc_method: str, end_vm_state: str,
                      ) -> dict[str, Any]:
        instance_id = instance['id']
        start_state = instance['vm_state']
        self._instances.update(instance_id, expected_vm_states=(start_state,),
                               task_state=task_state)
        try:
            power_state = getattr(self._compute, rpc_method)(
                ctx, instance['host'], instance_id=instance_id)
        except Exception as exc:
            self._restore(instance_id, start_state, task_state)
            reason = getattr(exc, 'message', None) or str(exc) or type(exc).__name__
            LOG.warning('%s of instance %s on %s failed: %s', rpc_method, instance_id,
                        instance['host'], reason)
            raise _host_failure(instance['host'], exc, reason) from exc
        if self._instances.get(instance_id)['task_state'] != task_state:
            # Someone else (a delete) took the instance over meanwhile: theirs now.
            raise exception.Conflict(reason=f'instance {instance_id} changed during '
                                     f'{rpc_method}')
        updated = self._instances.update(
            instance_id, expected_vm_states=(start_state,), vm_state=end_vm_state,
            task_state=None, power_state=int(power_state))
        LOG.info('Instance %s: %s done, now %s (power state %s)', instance_id, rpc_method,
                 end_vm_state, power_state)
        return updated

    def _restore(self, instance_id: str, vm_state: str, task_state: str) -> None:
        """Clear our task state again (unless another action, a delete, replaced it)."""
        try:
            if self._instances.get(instance_id)['task_state'] != task_state:
                return
            self._instances.update(instance_id, expected_vm_states=(vm_state,),
                                   task_state=None)
        except exception.NovaLiteError as exc:
            LOG.warning('Could not clear the task state of %s: %s', instance_id, exc.message)

    def stop_server(self, ctx: nl_context.RequestContext, server_id: str) -> dict[str, Any]:
        """Power off an ACTIVE server; it becomes SHUTOFF."""
        instance = self._ready(ctx, server_id, 'stop', (VmState.ACTIVE,))
        return self._power_action(ctx, instance, task_state=TaskState.POWERING_OFF,
                                  rpc_method='power_off', end_vm_state=VmState.STOPPED)

    def start_server(self, ctx: nl_context.RequestContext, server_id: str) -> dict[str, Any]:
        """Power on a SHUTOFF server; it becomes ACTIVE."""
        instance = self._ready(ctx, server_id, 'start', (VmState.STOPPED,))
        return self._power_action(ctx, instance, task_state=TaskState.POWERING_ON,
                                  rpc_method='power_on', end_vm_state=VmState.ACTIVE)

    def reboot_server(self, ctx: nl_context.RequestContext, server_id: str,
                      reboot_type: str = 'SOFT') -> dict[str, Any]:
        """Reboot (SOFT: a running server; HARD: also a stopped or failed one)."""
        kind = reboot_type.upper() if isinstance(reboot_type, str) else ''
        if kind not in REBOOT_TYPES:
            raise exception.InvalidInput(field='reboot.type', reason='must be SOFT or HARD')
        instance = self._ready(ctx, server_id, f'a {kind} reboot', _REBOOT_STATES[kind])
        return self._power_action(
            ctx, instance,
            task_state=TaskState.REBOOTING if kind == 'SOFT' else TaskState.REBOOTING_HARD,
            rpc_method='reboot', end_vm_state=VmState.ACTIVE)

    def get_console_output(self, ctx: nl_context.RequestContext, server_id: str,
                           length: Any = None) -> str:
        """The tail (``length`` lines; all for None or -1) of the server's console log."""
        if length is not None:
            try:
                number = int(length)
            except (TypeError, ValueError):
                raise exception.InvalidInput(field='length',
                                             reason='must be an integer') from None
            if isinstance(length, bool) or number < -1:
                raise exception.InvalidInput(field='length', reason='must be -1 or more')
        instance = self._get_server(ctx, server_id)
        if instance['vm_state'] not in _CONSOLE_STATES or not instance['host']:
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state=instance['vm_state'],
                                         action='console output',
                                         needed=' or '.join(_CONSOLE_STATES))
        try:
            output = self._compute.get_console_output(ctx, instance['host'],
                                                      instance_id=instance['id'])
        except Exception as exc:
            reason = getattr(exc, 'message', None) or str(exc) or type(exc).__name__
            raise _host_failure(instance['host'], exc, reason) from exc
        return _tail(output, length)
