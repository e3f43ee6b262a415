"""The volume task: reserve and attach the requested volumes on the host."""

from __future__ import annotations

import logging
from typing import Any

from nova_lite.clients import protocols
from nova_lite.common.states import TaskState, VmState
from nova_lite.compute import instance_store
from nova_lite.conductor import resource_cleanup, token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base

LOG = logging.getLogger(__name__)

_FIRST_DATA_DEVICE = ord('b')
ROOT_DEVICE = '/dev/vda'


def mountpoint(index: int) -> str:
    """/dev/vdb, /dev/vdc, ... (vda is the root disk)."""
    return f'/dev/vd{chr(_FIRST_DATA_DEVICE + index)}'



def block_device(volume_id: str, attachment_id: str, mountpoint: str | None,
                 connection_info: dict[str, Any]) -> dict[str, Any]:
    """A spawn's block device for an attached volume; the one at the root device
    (vda) is the boot volume (boot_index 0: the domain has no local image disk)."""
    entry: dict[str, Any] = {'volume_id': volume_id, 'attachment_id': attachment_id,
                             'mountpoint': mountpoint, 'connection_info': connection_info}
    if mountpoint == ROOT_DEVICE:
        entry['boot_index'] = 0
    return entry

class AttachVolumes(base.UserContextTask):
    """Reserves each requested volume and gets its connection info for the host.

    Steps 26-28. Idempotent: reserving a volume this instance already holds
    returns the same attachment.

    Reversion strategy: detach every attachment of the instance (found by
    instance id), which puts the volumes back to available, as the conductor
    (``cleanup``, with the service's context), so it works after the user's
    token is gone.
    """

    def __init__(self, volumes: protocols.VolumeClient,
                 instances: instance_store.InstanceStore, sealer: token_seal.TokenSealer,
                 cleanup: resource_cleanup.InstanceResources, **kwargs: Any) -> None:
        super().__init__(keys.ATTACH_VOLUMES, sealer=sealer,
                         requires=[keys.CONTEXT, keys.INSTANCE_ID, keys.REQUEST_SPEC, keys.HOST],
                         provides=keys.BLOCK_DEVICES, **kwargs)
        self._volumes = volumes
        self._instances = instances
        self._cleanup = cleanup

    def execute(self, context: dict[str, Any], instance_id: str,
                request_spec: dict[str, Any], host: str,
                block_device_mapping: list[dict[str, Any]] | None = None,
                ) -> list[dict[str, Any]]:
        """``block_device_mapping`` (optional: create-volumes provides it; a boot saved
        before it existed has the request's volume_ids only): the boot volume
        (boot_index 0) is attached as vda, the others as vdb, vdc, ..."""
        ctx = self.user_context(context)
        volumes = ([(m['volume_id'], m.get('boot_index')) for m in block_device_mapping]
                   if block_device_mapping is not None else
                   [(volume_id, None) for volume_id in request_spec.get('volume_ids', [])])
        if not volumes:
            return []
        self._instances.update(instance_id, expected_vm_states=(VmState.BUILDING,),
                               task_state=TaskState.BLOCK_DEVICE_MAPPING)
        block_devices = []
        data_index = 0
        for volume_id, boot_index in volumes:
            attachment = self._volumes.reserve_volume(ctx, volume_id, instance_id)
            if boot_index == 0:
                device = ROOT_DEVICE
            else:
                device = mountpoint(data_index)
                data_index += 1
            connection_info = self._volumes.attach_volume(ctx, attachment['id'], host, device)
            block_devices.append(block_device(volume_id, attachment['id'], device,
                                              dict(connection_info)))
        return block_devices

    def revert(self, context: dict[str, Any], instance_id: str, result: Any = None,
               **kwargs: Any) -> None:
        def undo() -> None:
            self._cleanup.detach_volumes(self.service_context(context), instance_id)

        self.best_effort_revert(instance_id, undo)
