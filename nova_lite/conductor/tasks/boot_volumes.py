"""The create-volumes task: the volumes a boot makes (from an image, or blank).

Boot from volume (block_device_mapping_v2, :mod:`nova_lite.compute.block_devices`):
an ``image`` or ``blank`` mapping to a ``volume`` is a volume this task makes in
the user's project and waits for; an existing volume (``volume`` source) is
passed on as it is. The attach task then attaches them all on the chosen host
(the boot volume as vda). Each volume made is recorded in the instance's build
request (``block_device_mapping``) as soon as it exists, so a resumed boot finds
it instead of making another, and so the server's views and its delete see it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import TaskState, VmState, VolumeStatus
from nova_lite.compute import instance_store
from nova_lite.conductor import resource_cleanup, token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base

LOG = logging.getLogger(__name__)

# Where the build request keeps the server's volume mappings (with their volume ids).
BUILD_REQUEST_KEY = 'block_device_mapping'
_MADE = ('image', 'blank')


class VolumeCreateFailed(exception.NovaLiteError):
    """A volume the boot made did not become available (not retried on another host)."""

    msg_fmt = 'Volume %(volume_id)s for the boot did not become available: %(reason)s'
    code = 500


def requested_mappings(request_spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The request's volume mappings (a request from before boot from volume: its
    volume_ids, attached as data volumes)."""
    mapping = request_spec.get('block_device_mapping')
    if mapping is not None:
        return [dict(m) for m in mapping]
    return [{'source_type': 'volume', 'uuid': volume_id, 'boot_index': None,
             'delete_on_termination': False} for volume_id in request_spec.get('volume_ids', [])]


def recorded_mappings(instance: dict[str, Any]) -> list[dict[str, Any]]:
    """The mappings recorded with an instance (its build request), with volume ids."""
    build_request = instance.get('build_request') or {}
    recorded = build_request.get(BUILD_REQUEST_KEY)
    if recorded is None:
        recorded = requested_mappings(build_request.get('request_spec') or {})
        for mapping in recorded:
            if mapping['source_type'] == 'volume':
                mapping['volume_id'] = mapping['uuid']
    return [dict(m) for m in recorded]


def created_volume_ids(instance: dict[str, Any]) -> list[str]:
    """The volumes the boot of ``instance`` made (recorded, whatever came after)."""
    return [m['volume_id'] for m in recorded_mappings(instance)
            if m.get('created') and m.get('volume_id')]


class CreateVolumes(base.UserContextTask):
    """Makes each image and blank volume of the request, in the user's project.

    Steps 26-28 (before them, as nova's block device preparation): a volume is
    created (written from its image by the block storage service), recorded with
    the instance, then waited for until it is available (``error``: the task
    fails). Provides every mapping with its ``volume_id`` (``created``: made here).

    Reversion strategy: every volume recorded as made by this boot is detached
    (if still attached to the instance) and deleted, as the conductor (``cleanup``
    with the service's context), so it works after the user's token is gone; the
    record is cleared. Existing volumes the user named are left alone (the attach
    task's revert detached them).
    """

    def __init__(self, volumes: protocols.VolumeClient,
                 instances: instance_store.InstanceStore, sealer: token_seal.TokenSealer,
                 cleanup: resource_cleanup.InstanceResources, *,
                 wait_timeout: float = 300.0, poll_interval: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep, **kwargs: Any) -> None:
        super().__init__(keys.CREATE_VOLUMES, sealer=sealer,
                         requires=[keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC],
                         provides=keys.BLOCK_DEVICE_MAPPING, **kwargs)
        self._volumes = volumes
        self._instances = instances
        self._cleanup = cleanup
        self._wait_timeout = wait_timeout
        self._poll_interval = poll_interval
        self._sleep = sleep

    def execute(self, context: dict[str, Any], instance_id: str,
                request_spec: dict[str, Any]) -> list[dict[str, Any]]:
        mappings = requested_mappings(request_spec)
        if not any(m['source_type'] in _MADE for m in mappings):
            return [{**m, 'volume_id': m['uuid'], 'created': False} for m in mappings]
        ctx = self.user_context(context)
        self._instances.update(instance_id, expected_vm_states=(VmState.BUILDING,),
                               task_state=TaskState.BLOCK_DEVICE_MAPPING)
        # A resumed boot: the volumes an earlier run made are in the build request.
        recorded = self._instances.get(instance_id)['build_request'].get(BUILD_REQUEST_KEY)
        result = [dict(m) for m in recorded] if recorded else [
            {**m, 'volume_id': m['uuid'] if m['source_type'] == 'volume' else None,
             'created': False} for m in mappings]
        for index, mapping in enumerate(result):
            if mapping['source_type'] not in _MADE or mapping.get('volume_id'):
                continue
            volume = self._volumes.create_volume(
                ctx, size=int(mapping['volume_size']),
                name=f'{instance_id}-{mapping["source_type"]}-vol', description='',
                volume_type=mapping.get('volume_type'),
                image_id=mapping['uuid'] if mapping['source_type'] == 'image' else None)
            result[index] = {**mapping, 'volume_id': volume['id'], 'created': True}
            self._record(instance_id, result)
        for mapping in result:
            if mapping.get('created'):
                self._wait_available(ctx, mapping['volume_id'])
        return result

    def _record(self, instance_id: str, mappings: list[dict[str, Any]]) -> None:
        self._instances.change_details(
            instance_id, build_request={BUILD_REQUEST_KEY: [dict(m) for m in mappings]})

    def _wait_available(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        deadline = time.monotonic() + self._wait_timeout
        while True:
            status = self._volumes.get_volume(ctx, volume_id)['status']
            if status == VolumeStatus.AVAILABLE:
                return
            if status != VolumeStatus.CREATING:
                raise VolumeCreateFailed(volume_id=volume_id, reason=f'it is {status}')
            if time.monotonic() >= deadline:
                raise VolumeCreateFailed(volume_id=volume_id,
                                         reason=f'still creating after {self._wait_timeout}s')
            self._sleep(self._poll_interval)

    def _settled(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        """Wait while the volume is still being made (it cannot be deleted then),
        reading it as the conductor."""
        deadline = time.monotonic() + self._wait_timeout
        while time.monotonic() < deadline:
            if self._cleanup.volume_status(ctx, volume_id) != VolumeStatus.CREATING:
                return
            self._sleep(self._poll_interval)

    def revert(self, context: dict[str, Any], instance_id: str, result: Any = None,
               **kwargs: Any) -> None:
        def undo() -> None:
            ctx = self.service_context(context)
            instance = self._instances.get(instance_id, include_deleted=True)
            made = created_volume_ids(instance)
            if not made:
                return
            self._cleanup.detach_volumes(ctx, instance_id, volume_ids=set(made))
            left = []
            for volume_id in made:
                try:
                    self._settled(ctx, volume_id)
                    self._cleanup.delete_volumes(ctx, [volume_id])
                except Exception:
                    LOG.exception('Could not delete volume %s of failed boot %s',
                                  volume_id, instance_id)
                    left.append(volume_id)
            self._record(instance_id, [m for m in recorded_mappings(instance)
                                       if not m.get('created') or m['volume_id'] in left])
            if left:
                raise VolumeCreateFailed(volume_id=', '.join(left),
                                         reason='not deleted by the revert')

        self.best_effort_revert(instance_id, undo)
