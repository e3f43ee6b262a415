"""Volumes attached to and detached from a booted server (os-volume_attachments).

The compute API checks the server and the volume, then starts the action
flow (``attach-volume`` or ``detach-volume``,
:mod:`nova_lite.conductor.tasks.volume_actions`) through the server actions'
:meth:`~nova_lite.compute.server_actions_api.ServerActionsAPI.run_host_action`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import VolumeStatus

_DEVICE_RE = re.compile(r'^/dev/vd[b-z]$')
_DEVICES = [f'/dev/vd{letter}' for letter in 'bcdefghijklmnopqrstuvwxyz']

Prepare = Callable[[dict[str, Any]], tuple[dict[str, Any], Callable[[], None]]]


def _nothing() -> None:
    return None


class VolumeAttachments:
    """The checks and arguments of attach and detach."""

    def __init__(self, volumes: protocols.VolumeClient) -> None:
        self._volumes = volumes

    def _attachment(self, ctx: nl_context.RequestContext, instance_id: str,
                    volume_id: str) -> dict[str, Any] | None:
        return next((dict(a) for a in self._volumes.list_attachments(ctx,
                                                                     instance_id=instance_id)
                     if a.get('volume_id') == volume_id), None)

    def attach_preparer(self, ctx: nl_context.RequestContext, volume_id: str,
                        device: str | None) -> Prepare:
        """Checks the volume (404 unknown, 400 not available) and picks the device."""
        volume = self._volumes.get_volume(ctx, volume_id)
        if volume.get('status') != VolumeStatus.AVAILABLE:
            raise exception.InvalidInput(
                field='volumeAttachment.volumeId',
                reason=f'volume {volume_id} is {volume.get("status")}, not available')
        if device is not None and not _DEVICE_RE.match(device):
            raise exception.InvalidInput(field='volumeAttachment.device',
                                         reason='must be /dev/vdb to /dev/vdz')

        def prepare(instance: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            used = {a.get('mountpoint') for a in
                    self._volumes.list_attachments(ctx, instance_id=instance['id'])}
            if device is not None and device in used:
                raise exception.InvalidInput(field='volumeAttachment.device',
                                             reason=f'{device} is in use')
            mountpoint = device or next((d for d in _DEVICES if d not in used), None)
            if mountpoint is None:
                raise exception.InvalidInput(field='volumeAttachment',
                                             reason='no free device left')
            return {'volume_id': volume_id, 'mountpoint': mountpoint}, _nothing

        return prepare

    def ensure_attached(self, ctx: nl_context.RequestContext, instance_id: str,
                        volume_id: str) -> None:
        """404 unless the volume is attached to the instance."""
        if self._attachment(ctx, instance_id, volume_id) is None:
            raise exception.NotFound(message=f'Volume {volume_id} is not attached to '
                                             f'server {instance_id}.')

    def detach_preparer(self, ctx: nl_context.RequestContext, volume_id: str) -> Prepare:
        def prepare(instance: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            self.ensure_attached(ctx, instance['id'], volume_id)  # again, once marked
            return {'volume_id': volume_id}, _nothing

        return prepare
