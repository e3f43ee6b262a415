"""The tasks of a resize on one host, and of its confirm and revert.

::

    server-action-resize          server-action-confirm-resize   server-action-revert-resize
      action-to-error-on-revert     action-to-error-on-revert      action-to-error-on-revert
      resize-claim                  release-old-flavor             revert-on-host
      resize-on-host                confirm-on-host                release-new-flavor
      record-resized                record-confirmed               record-reverted

While a resize waits for its confirm (VERIFY_RESIZE) the instance's claim
holds both flavors, as Nova's allocations do on one host (the instance's
and its migration's); the confirm shrinks it to the new flavor, the revert
to the old one. The request's args carry both flavors, the image, the
migration id and the vm state the instance started from. The host is
called as the conductor (a service context).
"""

from __future__ import annotations

import logging
from typing import Any

from taskflow.types import failure as tf_failure

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import VmState
from nova_lite.compute import instance_actions, instance_store, migrations
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute.action_specs import ActionSpec
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.conductor.tasks import base
from nova_lite.conductor.tasks import volume as volume_tasks
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.virt import power_state as power_states

LOG = logging.getLogger(__name__)

_REQUIRES = [keys.INSTANCE_ID, keys.ACTION_REQUEST]
_HOST_REQUIRES = [keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST]


def _args(action_request: dict[str, Any]) -> dict[str, Any]:
    return dict(action_request.get('args') or {})


def _old(args: dict[str, Any]) -> list[dict[str, Any]]:
    return [args['old_flavor']]


def _both(args: dict[str, Any]) -> list[dict[str, Any]]:
    return [args['old_flavor'], args['new_flavor']]


def vm_state_for(power_state: int | None) -> str:
    """The state a confirmed or reverted resize ends in: SHUTOFF for a guest that is
    off (it was resized stopped), ACTIVE otherwise."""
    return VmState.STOPPED if power_state == power_states.SHUTDOWN else VmState.ACTIVE


def set_flavor(instances: instance_store.InstanceStore, instance_id: str,
               flavor: dict[str, Any]) -> None:
    """Give the instance record ``flavor`` (its id, and its sizes quotas count)."""
    instances.change_details(instance_id, build_request_change=lambda current: {
        'request_spec': {**(current.get('request_spec') or {}), 'flavor': dict(flavor)}})
    instances.update(instance_id, flavor_id=str(flavor['id']))


def attached_volumes(volumes: protocols.VolumeClient | None, ctx: nl_context.RequestContext,
                     instance_id: str) -> list[dict[str, Any]]:
    """The block devices of the volumes attached to the instance (so the domain,
    defined again, keeps them); none without a volume service."""
    if volumes is None:
        return []
    return [volume_tasks.block_device(a['volume_id'], a['id'], a.get('mountpoint'),
                                      dict(a.get('connection_info') or {}))
            for a in volumes.list_attachments(ctx, instance_id=instance_id)
            if a.get('connection_info')]


def _spawn_instance(instance: dict[str, Any]) -> dict[str, Any]:
    return {key: instance[key] for key in
            ('id', 'name', 'project_id', 'user_id', 'metadata', 'image_id')}


class ResizeToErrorOnRevert(action_tasks.ActionToErrorOnRevert):
    """Marks the start of a resize (confirm, revert); on revert, puts it back.

    Reversion strategy: as every action's first task (the instance back in
    the state it started from, or ERROR with a fault when its host call
    failed so that the guest's state is unknown; the event finished as
    Error); then the resize's migration is marked ``error`` (a failed
    resize) or back to ``finished`` (a failed confirm or revert: the resize
    still waits).
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore, *,
                 migration_store: migrations.MigrationStore, host_task: str,
                 **kwargs: Any) -> None:
        super().__init__(spec, instances, events, **kwargs)
        self._migrations = migration_store
        self.host_task = host_task

    def revert(self, instance_id: str, action_request: dict[str, Any], result: Any = None,
               flow_failures: dict[str, tf_failure.Failure] | None = None,
               **kwargs: Any) -> None:
        super().revert(instance_id, action_request, result=result,
                       flow_failures=flow_failures, **kwargs)
        status = (migrations.ERROR if self._spec.name == 'resize' else migrations.FINISHED)
        migration_id = _args(action_request).get('migration_id')
        if migration_id is not None:
            def undo() -> None:
                self._migrations.set_status(int(migration_id), status)

            self.best_effort_revert(instance_id, undo)


class _ClaimTask(base.FlowTask):
    def __init__(self, name: str, scheduler: scheduler_rpcapi.SchedulerAPI,
                 **kwargs: Any) -> None:
        super().__init__(name, requires=_REQUIRES, **kwargs)
        self._scheduler = scheduler

    def _adjust(self, instance_id: str, action_request: dict[str, Any],
                expected: list[dict[str, Any]], target: list[dict[str, Any]]) -> None:
        self._scheduler.adjust_claim(action_tasks._admin_context(action_request), instance_id,
                                     expected_flavors=expected, target_flavors=target)


class ResizeClaim(_ClaimTask):
    """Grows the instance's claim on its host to hold the new flavor too.

    ClaimFailed (the resize fails, nothing changed) when the host has no room.

    Reversion strategy: the claim shrinks back to the old flavor (a no-op
    when it never grew).
    """

    def __init__(self, scheduler: scheduler_rpcapi.SchedulerAPI, **kwargs: Any) -> None:
        super().__init__(keys.RESIZE_CLAIM, scheduler, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any]) -> None:
        args = _args(action_request)
        self._adjust(instance_id, action_request, _old(args),
                     _both(args))

    def revert(self, instance_id: str, action_request: dict[str, Any],
               **kwargs: Any) -> None:
        args = _args(action_request)
        self.best_effort_revert(instance_id, lambda: self._adjust(
            instance_id, action_request, _both(args), _old(args)))


class _HostTask(base.FlowTask):
    def __init__(self, name: str, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI,
                 volumes: protocols.VolumeClient | None = None, **kwargs: Any) -> None:
        super().__init__(name, requires=_HOST_REQUIRES, provides=keys.POWER_STATE, **kwargs)
        self._instances = instances
        self._compute = compute
        self._volumes = volumes

    def _undo(self, instance_id: str, host: str, action_request: dict[str, Any],
              method: str, flavor_key: str) -> None:
        """Define the domain back, unless a delete took the instance over meanwhile
        (its domain is the delete's to destroy: defining it again would orphan it)."""
        def undo() -> None:
            if self._instances.get(instance_id)['task_state'] != action_request.get(
                    'task_state'):
                LOG.info('Instance %s changed during %s: its domain is left to the delete',
                         instance_id, action_request.get('action'))
                return
            self._define(method, instance_id, host, action_request,
                         _args(action_request)[flavor_key])

        self.best_effort_revert(instance_id, undo)

    def _define(self, method: str, instance_id: str, host: str,
                action_request: dict[str, Any], flavor: dict[str, Any]) -> int:
        """Ask the host to define the instance with ``flavor``; the power state after."""
        instance = self._instances.get(instance_id)
        call = getattr(self._compute, method)
        ctx = action_tasks._admin_context(action_request)
        info = call(ctx, host, instance=_spawn_instance(instance), flavor=flavor,
                    image=_args(action_request).get('image') or {},
                    network_info=instance['network_info'],
                    block_devices=attached_volumes(self._volumes, ctx, instance_id))
        return int(info.get('power_state') or 0)


class ResizeOnHost(_HostTask):
    """Asks the host to grow the disk (keeping a copy) and define the domain with the
    new flavor; provides the power state.

    Reversion strategy: the host puts the copy of the disk back and defines
    the domain with the old flavor again (only reverted when a later task
    failed, i.e. when the host resized), unless a delete took the instance
    over meanwhile.
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI,
                 volumes: protocols.VolumeClient | None = None, **kwargs: Any) -> None:
        super().__init__(keys.RESIZE_ON_HOST, instances, compute, volumes, **kwargs)

    def execute(self, instance_id: str, host: str, action_request: dict[str, Any]) -> int:
        return self._define('resize_instance', instance_id, host, action_request,
                            _args(action_request)['new_flavor'])

    def revert(self, instance_id: str, host: str, action_request: dict[str, Any],
               result: Any = None, **kwargs: Any) -> None:
        if isinstance(result, tf_failure.Failure):
            return
        self._undo(instance_id, host, action_request, 'revert_resize', 'old_flavor')


class RevertOnHost(_HostTask):
    """Asks the host to put back the disk of before the resize and define the domain
    with the old flavor; provides the power state.

    Reversion strategy: the host resizes it again to the new flavor, so the
    resize still waits for its confirm or revert as it did (unless a delete
    took the instance over meanwhile).
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI,
                 volumes: protocols.VolumeClient | None = None, **kwargs: Any) -> None:
        super().__init__(keys.REVERT_ON_HOST, instances, compute, volumes, **kwargs)

    def execute(self, instance_id: str, host: str, action_request: dict[str, Any]) -> int:
        return self._define('revert_resize', instance_id, host, action_request,
                            _args(action_request)['old_flavor'])

    def revert(self, instance_id: str, host: str, action_request: dict[str, Any],
               result: Any = None, **kwargs: Any) -> None:
        if isinstance(result, tf_failure.Failure):
            return
        self._undo(instance_id, host, action_request, 'resize_instance', 'new_flavor')


class _ShrinkClaim(_ClaimTask):
    """Shrinks the instance's claim from both flavors to the one it keeps.

    Reversion strategy: the claim grows back to hold both flavors.
    """

    task_name: str
    # The flavor the claim keeps: the new one (confirm) or the old one (revert).
    kept_flavor: str

    def __init__(self, scheduler: scheduler_rpcapi.SchedulerAPI, **kwargs: Any) -> None:
        super().__init__(self.task_name, scheduler, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any]) -> None:
        args = _args(action_request)
        self._adjust(instance_id, action_request, _both(args), [args[self.kept_flavor]])

    def revert(self, instance_id: str, action_request: dict[str, Any],
               result: Any = None, **kwargs: Any) -> None:
        if isinstance(result, tf_failure.Failure):
            return
        args = _args(action_request)
        self.best_effort_revert(instance_id, lambda: self._adjust(
            instance_id, action_request, [args[self.kept_flavor]], _both(args)))


class ReleaseOldFlavor(_ShrinkClaim):
    """Shrinks the instance's claim to the new flavor (the resize is confirmed).

    Reversion strategy: the claim grows back to hold both flavors.
    """

    task_name = keys.RELEASE_OLD_FLAVOR
    kept_flavor = 'new_flavor'


class ReleaseNewFlavor(_ShrinkClaim):
    """Shrinks the instance's claim to the old flavor (the resize is reverted).

    Reversion strategy: the claim grows back to hold both flavors.
    """

    task_name = keys.RELEASE_NEW_FLAVOR
    kept_flavor = 'old_flavor'


class ConfirmOnHost(base.FlowTask):
    """Asks the host to drop its copy of the disk of before the resize.

    Reversion strategy: nothing to undo; it runs after the claim shrank and
    only record-confirmed, which cannot half-fail, follows it.
    """

    def __init__(self, compute: compute_rpcapi.ComputeAPI, **kwargs: Any) -> None:
        super().__init__(keys.CONFIRM_ON_HOST, requires=_HOST_REQUIRES, **kwargs)
        self._compute = compute

    def execute(self, instance_id: str, host: str, action_request: dict[str, Any]) -> None:
        self._compute.confirm_resize(action_tasks._admin_context(action_request), host,
                                     instance_id=instance_id)


class _RecordTask(base.FlowTask):
    def __init__(self, name: str, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore,
                 migration_store: migrations.MigrationStore, *, power: bool,
                 **kwargs: Any) -> None:
        requires = [*_REQUIRES, keys.POWER_STATE] if power else list(_REQUIRES)
        super().__init__(name, requires=requires, **kwargs)
        self._spec = spec
        self._instances = instances
        self._events = events
        self._migrations = migration_store

    def _finish(self, instance_id: str, action_request: dict[str, Any], flavor_key: str,
                status: str, values: dict[str, Any]) -> None:
        instance = self._instances.get(instance_id)
        args = _args(action_request)
        event = instance_actions.event_name(self._spec.instance_action)
        if instance['task_state'] != action_request.get('task_state'):
            done = (instance['task_state'] is None and self._migrations.get(
                int(args['migration_id']))['status'] == status)
            if not done:  # not a resumed run whose record was written: a delete took over
                raise exception.Conflict(reason=f'instance {instance_id} changed during '
                                         f'{self._spec.name}')
            self._events.finish_event(instance_id, action_request['request_id'], event,
                                      result=instance_actions.SUCCESS)
            return
        set_flavor(self._instances, instance_id, args[flavor_key])
        self._migrations.set_status(int(args['migration_id']), status)
        self._instances.update(instance_id, task_state=None, **values)
        self._events.finish_event(instance_id, action_request['request_id'], event,
                                  result=instance_actions.SUCCESS)


class RecordResized(_RecordTask):
    """Records the new flavor, VERIFY_RESIZE (vm_state resized) and the migration
    ``finished``; finishes the event.

    Reversion strategy: nothing to undo; it is the last task.
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore,
                 migration_store: migrations.MigrationStore, **kwargs: Any) -> None:
        super().__init__(keys.RECORD_RESIZED, spec, instances, events, migration_store,
                         power=True, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any],
                power_state: int) -> None:
        self._finish(instance_id, action_request, 'new_flavor', migrations.FINISHED,
                     {'vm_state': VmState.RESIZED, 'power_state': power_state})


class RecordConfirmed(_RecordTask):
    """Records the confirm: ACTIVE (or SHUTOFF) with the new flavor, the migration
    ``confirmed``; finishes the event.

    Reversion strategy: nothing to undo; it is the last task.
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore,
                 migration_store: migrations.MigrationStore, **kwargs: Any) -> None:
        super().__init__(keys.RECORD_CONFIRMED, spec, instances, events, migration_store,
                         power=False, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any]) -> None:
        power = self._instances.get(instance_id)['power_state']
        self._finish(instance_id, action_request, 'new_flavor', migrations.CONFIRMED,
                     {'vm_state': vm_state_for(power)})


class RecordReverted(_RecordTask):
    """Records the revert: the old flavor back, ACTIVE (or SHUTOFF), the migration
    ``reverted``; finishes the event.

    Reversion strategy: nothing to undo; it is the last task.
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore,
                 migration_store: migrations.MigrationStore, **kwargs: Any) -> None:
        super().__init__(keys.RECORD_REVERTED, spec, instances, events, migration_store,
                         power=True, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any],
                power_state: int) -> None:
        self._finish(instance_id, action_request, 'old_flavor', migrations.REVERTED,
                     {'vm_state': vm_state_for(power_state), 'power_state': power_state})
