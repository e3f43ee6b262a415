"""The tasks of attaching a volume to a booted server, and of detaching it.

::

    server-action-attach-volume          server-action-detach-volume
      action-to-error-on-revert            action-to-error-on-revert
      reserve-volume                       detach-on-host
      attach-on-host                       release-volume
      record-state                         record-state

The volume service is called with the user's token (sealed in the run, as
for a snapshot); the host through compute RPC. A shelved-offloaded server has
no host (the run's store has none): attach-on-host then only marks the volume
attached at its device, and detach-on-host only finds the attachment; unshelve
connects the volumes on its new host (conductor/tasks/unshelve.py).
"""

from __future__ import annotations

import logging
from typing import Any

from nova_lite.clients import protocols
from nova_lite.common import exception
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base
from nova_lite.conductor.tasks.actions import _admin_context
from nova_lite.conductor.tasks.snapshot import user_context

LOG = logging.getLogger(__name__)

_REQUIRES = [keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.SEALED_TOKEN]


def _volume_id(action_request: dict[str, Any]) -> str:
    return str(action_request['args']['volume_id'])


class _VolumeTask(base.FlowTask):
    def __init__(self, name: str, volumes: protocols.VolumeClient,
                 compute: compute_rpcapi.ComputeAPI, sealer: token_seal.TokenSealer,
                 **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._volumes = volumes
        self._compute = compute
        self._sealer = sealer

    def _attachment_of(self, action_request: dict[str, Any], sealed_token: str,
                       instance_id: str) -> dict[str, Any] | None:
        ctx = user_context(action_request, sealed_token, self._sealer)
        volume_id = _volume_id(action_request)
        return next((dict(a) for a in self._volumes.list_attachments(ctx,
                                                                     instance_id=instance_id)
                     if a.get('volume_id') == volume_id), None)

    def _release(self, action_request: dict[str, Any], sealed_token: str,
                 instance_id: str) -> None:
        """Drop this instance's attachment of the volume (the volume is available again)."""
        attachment = self._attachment_of(action_request, sealed_token, instance_id)
        if attachment is not None:
            ctx = user_context(action_request, sealed_token, self._sealer)
            self._volumes.detach_volume(ctx, attachment['id'])


class ReserveVolume(_VolumeTask):
    """Reserves the volume for the instance; provides the attachment.

    Reversion strategy: the instance's attachment of the volume (found by
    instance and volume, so also one a failed reserve made) is deleted, and
    the volume is available again.
    """

    def __init__(self, volumes: protocols.VolumeClient, compute: compute_rpcapi.ComputeAPI,
                 sealer: token_seal.TokenSealer, **kwargs: Any) -> None:
        super().__init__(keys.RESERVE_VOLUME, volumes, compute, sealer, requires=_REQUIRES,
                         provides=keys.ATTACHMENT, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any],
                sealed_token: str) -> dict[str, Any]:
        ctx = user_context(action_request, sealed_token, self._sealer)
        return dict(self._volumes.reserve_volume(ctx, _volume_id(action_request),
                                                 instance_id))

    def revert(self, instance_id: str, action_request: dict[str, Any], sealed_token: str,
               **kwargs: Any) -> None:
        self.best_effort_revert(instance_id, lambda: self._release(
            action_request, sealed_token, instance_id))


class AttachOnHost(_VolumeTask):
    """Exports the volume to the host and adds its disk to the guest; without a
    host (offloaded) marks the volume attached at its device, with no export.

    Provides the power state (None: unchanged).

    Reversion strategy: the volume's disk is removed from the guest on the
    host (nothing without a host); the export or mark goes with the
    attachment (reserve-volume's revert).
    """

    def __init__(self, volumes: protocols.VolumeClient, compute: compute_rpcapi.ComputeAPI,
                 sealer: token_seal.TokenSealer, **kwargs: Any) -> None:
        super().__init__(keys.ATTACH_ON_HOST, volumes, compute, sealer,
                         requires=[*_REQUIRES, keys.ATTACHMENT],
                         provides=keys.POWER_STATE, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any], sealed_token: str,
                attachment: dict[str, Any], host: str | None = None) -> None:
        ctx = user_context(action_request, sealed_token, self._sealer)
        mountpoint = str(action_request['args']['mountpoint'])
        if host is None:  # shelved offloaded: unshelve connects it
            self._volumes.mark_attached(ctx, attachment['id'], mountpoint)
            return None
        connection_info = self._volumes.attach_volume(ctx, attachment['id'], host,
                                                      mountpoint)
        self._compute.attach_volume(
            _admin_context(action_request), host, instance_id=instance_id,
            block_device={'volume_id': _volume_id(action_request),
                          'attachment_id': attachment['id'], 'mountpoint': mountpoint,
                          'connection_info': dict(connection_info)})
        return None

    def revert(self, instance_id: str, action_request: dict[str, Any],
               host: str | None = None, **kwargs: Any) -> None:
        if host is None:
            return
        self.best_effort_revert(instance_id, lambda: self._compute.detach_volume(
            _admin_context(action_request), host, instance_id=instance_id,
            volume_id=_volume_id(action_request)))


class DetachOnHost(_VolumeTask):
    """Removes the volume's disk from the guest (no host call without a host:
    offloaded); provides the attachment it had.

    NotFound when the volume is not attached to the instance.

    Reversion strategy: the disk is added back on the host, with the
    attachment's connection info (the volume is still attached on the volume
    service's side: release-volume, after it, did not finish).
    """

    def __init__(self, volumes: protocols.VolumeClient, compute: compute_rpcapi.ComputeAPI,
                 sealer: token_seal.TokenSealer, **kwargs: Any) -> None:
        super().__init__(keys.DETACH_ON_HOST, volumes, compute, sealer,
                         requires=_REQUIRES, provides=keys.ATTACHMENT, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any], sealed_token: str,
                host: str | None = None) -> dict[str, Any]:
        attachment = self._attachment_of(action_request, sealed_token, instance_id)
        if attachment is None:
            raise exception.NotFound(resource='Volume attachment of instance',
                                     id=f'{instance_id}/{_volume_id(action_request)}')
        if host is None:  # shelved offloaded: no guest to take it from
            return attachment
        self._compute.detach_volume(_admin_context(action_request), host,
                                    instance_id=instance_id,
                                    volume_id=_volume_id(action_request))
        return attachment

    def revert(self, instance_id: str, action_request: dict[str, Any],
               host: str | None = None, result: Any = None, **kwargs: Any) -> None:
        if host is None or not isinstance(result, dict) or not result.get('connection_info'):
            return
        block_device = {'volume_id': _volume_id(action_request),
                        'attachment_id': result['id'], 'mountpoint': result.get('mountpoint'),
                        'connection_info': result['connection_info']}
        self.best_effort_revert(instance_id, lambda: self._compute.attach_volume(
            _admin_context(action_request), host, instance_id=instance_id,
            block_device=block_device))


class ReleaseVolume(_VolumeTask):
    """Deletes the attachment: the export is withdrawn and the volume is available.

    Provides the power state (None: unchanged). Idempotent: an attachment
    already gone (a resumed run) is fine.

    Reversion strategy: nothing to undo; record-state, the only task after
    it, changes nothing that can fail half-way.
    """

    def __init__(self, volumes: protocols.VolumeClient, compute: compute_rpcapi.ComputeAPI,
                 sealer: token_seal.TokenSealer, **kwargs: Any) -> None:
        super().__init__(keys.RELEASE_VOLUME, volumes, compute, sealer,
                         requires=[*_REQUIRES, keys.ATTACHMENT], provides=keys.POWER_STATE,
                         **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any], sealed_token: str,
                attachment: dict[str, Any]) -> None:
        ctx = user_context(action_request, sealed_token, self._sealer)
        try:
            self._volumes.detach_volume(ctx, attachment['id'])
        except exception.NotFound:
            LOG.info('Attachment %s of %s is already gone', attachment['id'], instance_id)
        return None
