"""The tasks of a rebuild: the server's disk made again from a (new) image.

::

    server-action-rebuild
      action-to-error-on-revert
      rebuild-on-host
      record-rebuilt

The compute API already recorded what the request changes on the record
(the image, name, metadata, ...); the host destroys the domain and its disk
and spawns it again from the image, downloaded with the user's token (sealed
in the run, as for a snapshot).
"""

from __future__ import annotations

from typing import Any

from nova_lite.clients import protocols
from nova_lite.common import exception, timeutils
from nova_lite.common.states import VmState
from nova_lite.compute import instance_actions, instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute.action_specs import ActionSpec
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.conductor.tasks import base
from nova_lite.conductor.tasks.resize import attached_volumes, vm_state_for
from nova_lite.conductor.tasks.snapshot import user_context


class RebuildToErrorOnRevert(action_tasks.ActionToErrorOnRevert):
    """Marks the start of the rebuild; on revert, puts the instance back or in ERROR.

    Reversion strategy: as every action's first task; the host task whose
    failure leaves the guest unknown (so the instance in ERROR, with a fault)
    is rebuild-on-host.
    """

    host_task = keys.REBUILD_ON_HOST


class RebuildOnHost(base.FlowTask):
    """Asks the host to destroy the domain and its disk and spawn it from the image;
    provides the power state.

    Reversion strategy: nothing to undo here: the old disk is gone once the
    host began, so the first task's revert puts the instance in ERROR (with a
    fault) when this call failed, as Nova does; a refusal before anything
    changed (a 4xx) puts it back as it was.
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI, sealer: token_seal.TokenSealer,
                 volumes: protocols.VolumeClient | None = None, **kwargs: Any) -> None:
        super().__init__(keys.REBUILD_ON_HOST,
                         requires=[keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST,
                                   keys.SEALED_TOKEN],
                         provides=keys.POWER_STATE, **kwargs)
        self._instances = instances
        self._compute = compute
        self._sealer = sealer
        self._volumes = volumes

    def execute(self, instance_id: str, host: str, action_request: dict[str, Any],
                sealed_token: str) -> int:
        ctx = user_context(action_request, sealed_token, self._sealer)
        instance = self._instances.get(instance_id)
        args = action_request['args']
        spawn_instance = {key: instance[key] for key in
                          ('id', 'name', 'project_id', 'user_id', 'metadata', 'image_id')}
        info = self._compute.rebuild_instance(
            ctx, host, instance=spawn_instance, flavor=args['flavor'], image=args['image'],
            network_info=instance['network_info'],
            block_devices=attached_volumes(self._volumes, ctx, instance_id))
        if action_request.get('prior_vm_state') == VmState.STOPPED:  # it stays off
            return int(self._compute.power_off(ctx, host, instance_id=instance_id))
        return int(info.get('power_state') or 0)


class RecordRebuilt(base.FlowTask):
    """Records the end of the rebuild: the state it started in (ACTIVE after ERROR),
    the power state and the launch time; finishes the event as Success.

    Reversion strategy: nothing to undo; it is the last task.
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore, **kwargs: Any) -> None:
        super().__init__(keys.RECORD_REBUILT,
                         requires=[keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.POWER_STATE],
                         **kwargs)
        self._spec = spec
        self._instances = instances
        self._events = events

    def execute(self, instance_id: str, action_request: dict[str, Any],
                power_state: int) -> None:
        instance = self._instances.get(instance_id)
        if instance['task_state'] == action_request.get('task_state'):
            prior = action_request.get('prior_vm_state')
            vm_state = (prior if prior in (VmState.ACTIVE, VmState.STOPPED)
                        else vm_state_for(power_state))
            self._instances.update(instance_id, task_state=None, vm_state=vm_state,
                                   power_state=power_state, launched_at=timeutils.utcnow())
        elif instance['task_state'] is not None:
            raise exception.Conflict(reason=f'instance {instance_id} changed during rebuild')
        self._events.finish_event(instance_id, action_request['request_id'],
                                  instance_actions.event_name(self._spec.instance_action),
                                  result=instance_actions.SUCCESS)
