"""The tasks of shelve and shelve-offload: power off, upload the disk, give the host back.

The compute API made the '<name>-shelved' image record (queued, with the
caller's token) before it cast the shelve; these tasks power the guest off,
fill that image from its disk and record the instance SHELVED with the
image's id in its build request (``shelved_image_id``, Nova's system
metadata key). With ``offload`` in the request's args ([DEFAULT]
shelved_offload_time 0) the same flow goes on: the domain is destroyed on
its host, the host's claim released and the instance left SHELVED_OFFLOADED
with no host. The shelve-offload action is those last two tasks alone.
"""

from __future__ import annotations

import logging
from typing import Any

from taskflow.types import failure as tf_failure

from nova_lite.clients import protocols
from nova_lite.common import exception
from nova_lite.common.states import TaskState, VmState
from nova_lite.compute import instance_actions, instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute.action_specs import ActionSpec
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.conductor.tasks import base, snapshot
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.virt import power_state

LOG = logging.getLogger(__name__)

SHELVED_IMAGE_ID = 'shelved_image_id'
# The task states a shelve run moves through (the first is the spec's).
SHELVE_TASK_STATES = (TaskState.SHELVING, TaskState.SHELVING_IMAGE_PENDING_UPLOAD,
                      TaskState.SHELVING_IMAGE_UPLOADING, TaskState.SHELVING_OFFLOADING)


def shelved_image_id(instance: dict[str, Any]) -> str | None:
    value = (instance.get('build_request') or {}).get(SHELVED_IMAGE_ID)
    return str(value) if value else None


def image_for_spawn(images: protocols.ImageClient, ctx: Any, image_id: str,
                    properties: dict[str, Any]) -> dict[str, Any]:
    """The image dict a compute host spawns from (as the boot's image task makes it)."""
    image = images.get_image(ctx, image_id)
    return {'id': image['id'], 'name': image['name'], 'status': image['status'],
            'disk_format': image['disk_format'], 'size': image['size'],
            'checksum': image['checksum'], 'os_hash_algo': image.get('os_hash_algo'),
            'os_hash_value': image.get('os_hash_value'),
            'min_disk': image.get('min_disk') or 0, 'min_ram': image.get('min_ram') or 0,
            'location': images.get_location(ctx, image_id), 'properties': dict(properties)}


def spawn_args(instance: dict[str, Any]) -> dict[str, Any]:
    """The instance, flavor, network info and block devices of a spawn from its record."""
    spec = (instance.get('build_request') or {}).get('request_spec') or {}
    return {'instance': {key: instance[key] for key in
                         ('id', 'name', 'project_id', 'user_id', 'metadata', 'image_id')},
            'flavor': dict(spec.get('flavor') or {}),
            'network_info': list(instance.get('network_info') or []),
            'block_devices': []}


def _mark(instances: instance_store.InstanceStore, instance_id: str, task_state: str,
          allowed: tuple[str, ...]) -> None:
    """Move the run to ``task_state`` (Conflict if a delete took the instance over)."""
    current = instances.get(instance_id)['task_state']
    if current == task_state:
        return
    if current not in allowed:
        raise exception.Conflict(reason=f'instance {instance_id} is {current}, no longer '
                                 'shelving')
    instances.update(instance_id, task_state=task_state)


def _back_to(instances: instance_store.InstanceStore, instance_id: str,
             task_state: str, allowed: tuple[str, ...]) -> None:
    """Put the run's task state back (a revert), unless a delete took it over."""
    if instances.get(instance_id)['task_state'] in allowed:
        instances.update(instance_id, task_state=task_state)


class ShelveToErrorOnRevert(snapshot.SnapshotToErrorOnRevert):
    """Marks the start of the shelve and checks its image is there, queued.

    Reversion strategy: the run's task state (whichever shelving step it
    reached) is set back to shelving, then, as the snapshot's first task, it
    puts the instance back in the vm state it started from, finishes the
    event as Error and deletes the shelved image with the user's token, so a
    failed shelve leaves no image behind. The later tasks have already
    powered the guest back on (or paused or suspended it again).
    """

    def revert(self, instance_id: str, action_request: dict[str, Any],  # type: ignore[override]
               sealed_token: str, result: Any = None,
               flow_failures: dict[str, tf_failure.Failure] | None = None,
               **kwargs: Any) -> None:
        self.best_effort_revert(instance_id, lambda: _back_to(
            self._instances, instance_id, TaskState.SHELVING, SHELVE_TASK_STATES))
        super().revert(instance_id, action_request, sealed_token, result=result,
                       flow_failures=flow_failures, **kwargs)


class ShelvePowerOff(base.FlowTask):
    """Powers the guest off on its host (task state shelving_image_pending_upload).

    Reversion strategy: brings the guest back to the power state of the vm
    state the shelve started from: powered on for an active server, then
    paused or suspended again for a paused or suspended one; a stopped one
    stays off.
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI, **kwargs: Any) -> None:
        super().__init__(keys.SHELVE_POWER_OFF,
                         requires=[keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST],
                         provides=keys.POWER_STATE, **kwargs)
        self._instances = instances
        self._compute = compute

    def execute(self, instance_id: str, host: str, action_request: dict[str, Any]) -> int:
        _mark(self._instances, instance_id, TaskState.SHELVING_IMAGE_PENDING_UPLOAD,
              SHELVE_TASK_STATES)
        ctx = action_tasks._admin_context(action_request)
        return int(self._compute.power_off(ctx, host, instance_id=instance_id))

    def revert(self, instance_id: str, host: str, action_request: dict[str, Any],
               result: Any = None, **kwargs: Any) -> None:
        prior = action_request['prior_vm_state']
        if prior == VmState.STOPPED:
            return
        ctx = action_tasks._admin_context(action_request)

        def undo() -> None:
            self._compute.power_on(ctx, host, instance_id=instance_id)
            if prior == VmState.PAUSED:
                self._compute.pause(ctx, host, instance_id=instance_id)
            elif prior == VmState.SUSPENDED:
                self._compute.suspend(ctx, host, instance_id=instance_id)

        self.best_effort_revert(instance_id, undo)


class ShelveUpload(base.FlowTask):
    """Captures the powered-off disk and uploads it as the shelved image's data
    (task state shelving_image_uploading), with the user's token.

    After a takeover it is not redone when the image is already active.

    Reversion strategy: nothing of its own: the host removes its capture
    file whatever happens, and the first task's revert deletes the image.
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 images: protocols.ImageWriter, compute: compute_rpcapi.ComputeAPI,
                 sealer: token_seal.TokenSealer, **kwargs: Any) -> None:
        super().__init__(keys.SHELVE_UPLOAD,
                         requires=[keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST,
                                   keys.SEALED_TOKEN], **kwargs)
        self._instances = instances
        self._images = images
        self._compute = compute
        self._sealer = sealer

    def execute(self, instance_id: str, host: str, action_request: dict[str, Any],
                sealed_token: str) -> None:
        _mark(self._instances, instance_id, TaskState.SHELVING_IMAGE_UPLOADING,
              SHELVE_TASK_STATES)
        ctx = snapshot.user_context(action_request, sealed_token, self._sealer)
        image_id = str(action_request['args']['image_id'])
        if self._images.get_image(ctx, image_id).get('status') == 'active':
            LOG.info('Shelved image %s of %s is already uploaded', image_id, instance_id)
            return
        self._compute.snapshot_instance(ctx, host, instance_id=instance_id, image_id=image_id,
                                        disk_format=action_request['args']['disk_format'])

    def revert(self, instance_id: str, result: Any = None, **kwargs: Any) -> None:
        if isinstance(result, tf_failure.Failure):
            LOG.warning('Shelve upload of %s failed: %s', instance_id, result.exception_str)


class RecordShelved(base.FlowTask):
    """Records the instance SHELVED, powered off, with its shelved image's id; finishes
    the event when no offload follows (else marks it shelving_offloading).

    Reversion strategy: forgets the shelved image's id and sets the task state
    back to shelving, so the first task's revert puts the instance back.
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore, **kwargs: Any) -> None:
        super().__init__(keys.RECORD_SHELVED,
                         requires=[keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.POWER_STATE],
                         **kwargs)
        self._spec = spec
        self._instances = instances
        self._events = events

    def execute(self, instance_id: str, action_request: dict[str, Any],
                power_state: int) -> None:
        args = action_request['args']
        offload = bool(args.get('offload'))
        task_state = TaskState.SHELVING_OFFLOADING if offload else None
        instance = self._instances.get(instance_id)
        if instance['vm_state'] != VmState.SHELVED:
            if instance['task_state'] not in SHELVE_TASK_STATES:
                raise exception.Conflict(reason=f'instance {instance_id} changed during '
                                         'shelve')
            self._instances.change_details(
                instance_id, build_request={SHELVED_IMAGE_ID: str(args['image_id'])})
            self._instances.update(instance_id, vm_state=VmState.SHELVED,
                                   task_state=task_state, power_state=power_state)
        if not offload:
            self._events.finish_event(instance_id, action_request['request_id'],
                                      instance_actions.event_name(self._spec.instance_action),
                                      result=instance_actions.SUCCESS)

    def revert(self, instance_id: str, action_request: dict[str, Any], result: Any = None,
               **kwargs: Any) -> None:
        def undo() -> None:
            self._instances.change_details(instance_id, build_request={SHELVED_IMAGE_ID: None})
            _back_to(self._instances, instance_id, TaskState.SHELVING, SHELVE_TASK_STATES)

        self.best_effort_revert(instance_id, undo)


class OffloadDestroy(base.FlowTask):
    """Destroys the shelved guest's domain and files on its host (when offloading).

    Reversion strategy: spawns the guest again on the same host (whose claim
    is still held) from the shelved image, and powers it off: the instance
    is SHELVED on its host as before the offload.
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI, images: protocols.ImageClient,
                 sealer: token_seal.TokenSealer, **kwargs: Any) -> None:
        super().__init__(keys.OFFLOAD_DESTROY,
                         requires=[keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST,
                                   keys.SEALED_TOKEN], **kwargs)
        self._instances = instances
        self._compute = compute
        self._images = images
        self._sealer = sealer

    @staticmethod
    def _offloads(action_request: dict[str, Any]) -> bool:
        return action_request['action'] != 'shelve' or bool(
            action_request['args'].get('offload'))

    def execute(self, instance_id: str, host: str, action_request: dict[str, Any],
                sealed_token: str) -> None:
        if not self._offloads(action_request):
            return
        _mark(self._instances, instance_id, TaskState.SHELVING_OFFLOADING, SHELVE_TASK_STATES)
        self._compute.destroy_instance(action_tasks._admin_context(action_request), host,
                                       instance_id=instance_id)

    def revert(self, instance_id: str, host: str, action_request: dict[str, Any],
               sealed_token: str, result: Any = None, **kwargs: Any) -> None:
        if not self._offloads(action_request) or isinstance(result, tf_failure.Failure):
            return

        def undo() -> None:
            instance = self._instances.get(instance_id)
            image_id = shelved_image_id(instance)
            if image_id is None:
                return
            ctx = snapshot.user_context(action_request, sealed_token, self._sealer)
            image = image_for_spawn(self._images, ctx, image_id, {})
            self._compute.spawn_instance(ctx, host, image=image, **spawn_args(instance))
            self._compute.power_off(action_tasks._admin_context(action_request), host,
                                    instance_id=instance_id)

        self.best_effort_revert(instance_id, undo)


class OffloadRelease(base.FlowTask):
    """Releases the host's claim and records SHELVED_OFFLOADED with no host (when
    offloading); finishes the action's event.

    Reversion strategy: nothing to undo; it is the last task, and a claim
    released stays released.
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore,
                 scheduler: scheduler_rpcapi.SchedulerAPI, **kwargs: Any) -> None:
        super().__init__(keys.OFFLOAD_RELEASE, requires=[keys.INSTANCE_ID, keys.ACTION_REQUEST],
                         **kwargs)
        self._spec = spec
        self._instances = instances
        self._events = events
        self._scheduler = scheduler

    def execute(self, instance_id: str, action_request: dict[str, Any]) -> None:
        if OffloadDestroy._offloads(action_request):
            instance = self._instances.get(instance_id)
            if instance['vm_state'] != VmState.SHELVED_OFFLOADED:
                self._scheduler.release_claim(action_tasks._admin_context(action_request),
                                              instance_id)
                self._instances.update(instance_id, expected_vm_states=(VmState.SHELVED,),
                                       vm_state=VmState.SHELVED_OFFLOADED, task_state=None,
                                       host=None, power_state=power_state.NOSTATE)
            self._events.finish_event(instance_id, action_request['request_id'],
                                      instance_actions.event_name(self._spec.instance_action),
                                      result=instance_actions.SUCCESS)

    def revert(self, instance_id: str, result: Any = None, **kwargs: Any) -> None:
        LOG.debug('Nothing to revert for offload-release of %s', instance_id)
