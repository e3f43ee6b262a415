"""The tasks of unshelve: a host again (when offloaded), the guest back, the image gone.

A SHELVED instance still has its domain: it is powered on. A
SHELVED_OFFLOADED one is scheduled again as a boot is (the scheduler picks a
host and claims on it; ``availability_zone`` and ``host`` in the request's
args narrow the choice), spawned there from its shelved image, and that image
deleted once the instance is ACTIVE. The volumes attached to it (also those
attached while it was offloaded, with no host) are connected on the new host
and handed to the spawn as its block devices.
"""

from __future__ import annotations

import logging
from typing import Any

from taskflow.types import failure as tf_failure

from nova_lite.clients import protocols
from nova_lite.common import exception
from nova_lite.common.states import VmState
from nova_lite.compute import instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.conductor.tasks import base, snapshot
from nova_lite.conductor.tasks import shelve as shelve_tasks
from nova_lite.conductor.tasks import volume as volume_tasks
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.virt import power_state

LOG = logging.getLogger(__name__)


def _offloaded(action_request: dict[str, Any]) -> bool:
    return bool(action_request['prior_vm_state'] == VmState.SHELVED_OFFLOADED)


def connected_volumes(volumes: protocols.VolumeClient | None, ctx: Any, instance_id: str,
                      host: str) -> list[dict[str, Any]]:
    """The block devices of the instance's volumes for a spawn on ``host``: those
    attached with no host (while offloaded) are connected to ``host`` first."""
    if volumes is None:
        return []
    devices = []
    for attachment in volumes.list_attachments(ctx, instance_id=instance_id):
        info: Any = attachment.get('connection_info')
        mountpoint = attachment.get('mountpoint')
        if not info and attachment.get('attached_host') is None and mountpoint:
            info = volumes.attach_volume(ctx, attachment['id'], host, str(mountpoint))
        if info:
            devices.append(volume_tasks.block_device(attachment['volume_id'],
                                                     attachment['id'], mountpoint,
                                                     dict(info)))
    return devices


class UnshelveSchedule(base.FlowTask):
    """Chooses and claims a host for an offloaded instance, as the boot's schedule
    does (the request spec the boot was scheduled with, the zone or host asked for);
    a shelved one keeps its host. Provides the host.

    Reversion strategy: for an offloaded instance, releases the claim through
    the scheduler and clears the instance's host (both idempotent).
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 scheduler: scheduler_rpcapi.SchedulerAPI, **kwargs: Any) -> None:
        super().__init__(keys.UNSHELVE_SCHEDULE,
                         requires=[keys.INSTANCE_ID, keys.ACTION_REQUEST],
                         provides=keys.UNSHELVE_HOST, **kwargs)
        self._instances = instances
        self._scheduler = scheduler

    def execute(self, instance_id: str, action_request: dict[str, Any]) -> str:
        instance = self._instances.get(instance_id)
        if not _offloaded(action_request):
            if not instance['host']:
                raise exception.Conflict(reason=f'shelved instance {instance_id} has no host')
            return str(instance['host'])
        args = action_request.get('args') or {}
        spec = dict((instance['build_request'] or {}).get('request_spec') or {})
        spec.update(instance_id=instance_id, ignore_hosts=[], num_alternates=0)
        if 'availability_zone' in args:
            spec['availability_zone'] = args['availability_zone']
        ctx = action_tasks._admin_context(action_request)
        selection = self._scheduler.select_destinations(ctx, spec)
        try:
            if args.get('host') and selection['host'] != args['host']:
                raise exception.Conflict(reason=f'host {args["host"]} cannot take instance '
                                         f'{instance_id}')
            self._instances.set_host(instance_id, selection['host'],
                                     selection.get('availability_zone'))
        except (exception.NotFound, exception.Conflict):
            self._scheduler.release_claim(ctx, instance_id)
            raise
        return str(selection['host'])

    def revert(self, instance_id: str, action_request: dict[str, Any], result: Any = None,
               **kwargs: Any) -> None:
        if not _offloaded(action_request):
            return

        def undo() -> None:
            self._scheduler.release_claim(action_tasks._admin_context(action_request),
                                          instance_id)
            self._instances.update(instance_id, host=None)

        self.best_effort_revert(instance_id, undo)


class UnshelveSpawn(base.FlowTask):
    """Spawns the offloaded guest on its new host from the shelved image (the user's
    token), or powers a shelved one on. Provides the power state.

    The offloaded guest's volumes are connected on its new host and spawned
    with it (:func:`connected_volumes`).

    Reversion strategy: destroys the spawned domain and its files on that host
    (idempotent), or powers the shelved guest off again. The volumes it
    connected stay attached, connected to that host (a later unshelve on
    another host does not move them; not yet done).
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI, images: protocols.ImageClient,
                 sealer: token_seal.TokenSealer,
                 volumes: protocols.VolumeClient | None = None, **kwargs: Any) -> None:
        super().__init__(keys.UNSHELVE_SPAWN,
                         requires=[keys.INSTANCE_ID, keys.UNSHELVE_HOST, keys.ACTION_REQUEST,
                                   keys.SEALED_TOKEN],
                         provides=keys.POWER_STATE, **kwargs)
        self._instances = instances
        self._compute = compute
        self._images = images
        self._sealer = sealer
        self._volumes = volumes

    def execute(self, instance_id: str, unshelve_host: str, action_request: dict[str, Any],
                sealed_token: str) -> int:
        if not _offloaded(action_request):
            return int(self._compute.power_on(action_tasks._admin_context(action_request),
                                              unshelve_host, instance_id=instance_id))
        instance = self._instances.get(instance_id)
        image_id = shelve_tasks.shelved_image_id(instance)
        if image_id is None:
            raise exception.Conflict(reason=f'offloaded instance {instance_id} has no '
                                     'shelved image')
        ctx = snapshot.user_context(action_request, sealed_token, self._sealer)
        spec = (instance['build_request'] or {}).get('request_spec') or {}
        image = shelve_tasks.image_for_spawn(self._images, ctx, image_id,
                                             (spec.get('image') or {}).get('properties') or {})
        args = shelve_tasks.spawn_args(instance)
        args['block_devices'] = connected_volumes(self._volumes, ctx, instance_id,
                                                  unshelve_host)
        result = self._compute.spawn_instance(ctx, unshelve_host, image=image, **args)
        return int(result.get('power_state', power_state.RUNNING))

    def revert(self, instance_id: str, unshelve_host: str, action_request: dict[str, Any],
               result: Any = None, **kwargs: Any) -> None:
        ctx = action_tasks._admin_context(action_request)
        if _offloaded(action_request):
            self.best_effort_revert(instance_id, lambda: self._compute.destroy_instance(
                ctx, unshelve_host, instance_id=instance_id))
        elif not isinstance(result, tf_failure.Failure):
            def power_off() -> None:
                self._compute.power_off(ctx, unshelve_host, instance_id=instance_id)

            self.best_effort_revert(instance_id, power_off)


class RecordUnshelved(action_tasks.RecordState):
    """Records the instance ACTIVE with its power state and finishes the event.

    Reversion strategy: sets the task state back to unshelving, so the first
    task's revert puts the instance back in the shelved state it started from.
    """

    def revert(self, instance_id: str, action_request: dict[str, Any], result: Any = None,
               **kwargs: Any) -> None:
        def undo() -> None:
            instance = self._instances.get(instance_id)
            if instance['vm_state'] == VmState.ACTIVE and instance['task_state'] is None:
                self._instances.update(instance_id, task_state=self._spec.task_state)

        self.best_effort_revert(instance_id, undo)


class DeleteShelvedImage(base.FlowTask):
    """Deletes the shelved image (the user's token; one already gone is fine) and
    forgets its id.

    Reversion strategy: nothing of its own to undo (it is the last task); a
    failure before the image is deleted leaves it for the instance the
    earlier reverts put back.
    """

    def __init__(self, instances: instance_store.InstanceStore,
                 images: protocols.ImageWriter, sealer: token_seal.TokenSealer,
                 **kwargs: Any) -> None:
        super().__init__(keys.DELETE_SHELVED_IMAGE,
                         requires=[keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.SEALED_TOKEN],
                         **kwargs)
        self._instances = instances
        self._images = images
        self._sealer = sealer

    def execute(self, instance_id: str, action_request: dict[str, Any],
                sealed_token: str) -> None:
        image_id = shelve_tasks.shelved_image_id(self._instances.get(instance_id))
        if image_id is None:
            return
        ctx = snapshot.user_context(action_request, sealed_token, self._sealer)
        try:
            self._images.delete_image(ctx, image_id)
        except exception.NotFound:
            LOG.info('Shelved image %s of %s is already gone', image_id, instance_id)
        self._instances.change_details(instance_id,
                                       build_request={shelve_tasks.SHELVED_IMAGE_ID: None})

    def revert(self, instance_id: str, result: Any = None, **kwargs: Any) -> None:
        LOG.debug('Nothing to revert for delete-shelved-image of %s', instance_id)
