"""Client side of the compute host's RPC API (server: compute/manager.py).

Every method is addressed to one host (``prepare(server=host)``) on the
``nova_lite-compute`` topic, and every one is an ``rpc.call``: the caller needs
each answer (a spawn's outcome, a host's resources, a power state).

API version history:
    1.0 - spawn_instance, destroy_instance, get_host_resources,
          list_instance_ids, get_power_state, power_on, power_off, reboot,
          get_console_output
    1.1 - pause, unpause, suspend, resume
    1.2 - snapshot_instance, attach_volume, detach_volume
    1.3 - attach_interface, detach_interface
    1.4 - resize_instance, revert_resize, confirm_resize, rebuild_instance
"""

from __future__ import annotations

from typing import Any

import oslo_messaging

from nova_lite.common import context as nl_context
from nova_lite.common import exception, rpc

RPC_API_VERSION = '1.4'
TOPIC = 'nova_lite-compute'


class ComputeAPI:
    """Talks to the compute service of a named host."""

    def __init__(self, transport: oslo_messaging.Transport,
                 timeout: float | None = None) -> None:
        target = oslo_messaging.Target(topic=TOPIC, version=RPC_API_VERSION)
        self._client = rpc.get_client(transport, target, version_cap=RPC_API_VERSION,
                                      timeout=timeout)

    def _call(self, ctx: nl_context.RequestContext, host: str, method: str,
              version: str = '1.0', **kwargs: Any) -> Any:
        if not self._client.can_send_version(version):
            raise exception.Conflict(reason=f'the compute service cannot {method} yet '
                                     f'(needs RPC API {version})')
        return self._client.prepare(server=host, version=version).call(ctx, method,
                                                                         **kwargs)

    def spawn_instance(self, ctx: nl_context.RequestContext, host: str, *,
                       instance: dict[str, Any], flavor: dict[str, Any],
                       image: dict[str, Any], network_info: list[dict[str, Any]],
                       block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        """Build and start the instance on ``host``; returns the domain's info.

        An ``rpc.call``, not the ``rpc.cast`` of the classic step 12: the boot
        flow needs the outcome, to revert what it assembled or to reschedule
        to another host when the spawn fails, and a timeout on the call is how
        it notices a dead host.
        """
        return self._call(ctx, host, 'spawn_instance', instance=instance, flavor=flavor,
                          image=image, network_info=network_info,
                          block_devices=block_devices)

    def destroy_instance(self, ctx: nl_context.RequestContext, host: str, *,
                         instance_id: str) -> None:
        """Destroy the domain and remove the instance's files (idempotent)."""
        self._call(ctx, host, 'destroy_instance', instance_id=instance_id)

    def get_host_resources(self, ctx: nl_context.RequestContext,
                           host: str) -> dict[str, Any]:
        return self._call(ctx, host, 'get_host_resources')

    def list_instance_ids(self, ctx: nl_context.RequestContext, host: str) -> list[str]:
        """Instance uuids with a domain on ``host`` (for the orphan audit)."""
        return self._call(ctx, host, 'list_instance_ids')

    def get_power_state(self, ctx: nl_context.RequestContext, host: str, *,
                        instance_id: str) -> int:
        return self._call(ctx, host, 'get_power_state', instance_id=instance_id)

    def power_on(self, ctx: nl_context.RequestContext, host: str, *,
                 instance_id: str) -> int:
        return self._call(ctx, host, 'power_on', instance_id=instance_id)

    def power_off(self, ctx: nl_context.RequestContext, host: str, *,
                  instance_id: str) -> int:
        return self._call(ctx, host, 'power_off', instance_id=instance_id)

    def reboot(self, ctx: nl_context.RequestContext, host: str, *,
               instance_id: str) -> int:
        return self._call(ctx, host, 'reboot', instance_id=instance_id)

    def pause(self, ctx: nl_context.RequestContext, host: str, *, instance_id: str) -> int:
        return self._call(ctx, host, 'pause', version='1.1', instance_id=instance_id)

    def unpause(self, ctx: nl_context.RequestContext, host: str, *,
                instance_id: str) -> int:
        return self._call(ctx, host, 'unpause', version='1.1', instance_id=instance_id)

    def suspend(self, ctx: nl_context.RequestContext, host: str, *,
                instance_id: str) -> int:
        return self._call(ctx, host, 'suspend', version='1.1', instance_id=instance_id)

    def resume(self, ctx: nl_context.RequestContext, host: str, *,
               instance_id: str) -> int:
        return self._call(ctx, host, 'resume', version='1.1', instance_id=instance_id)

    def snapshot_instance(self, ctx: nl_context.RequestContext, host: str, *,
                          instance_id: str, image_id: str, disk_format: str) -> dict[str, Any]:
        """Capture and upload the instance's disk (``ctx``: the user's, for the upload)."""
        return self._call(ctx, host, 'snapshot_instance', version='1.2',
                          instance_id=instance_id, image_id=image_id, disk_format=disk_format)

    def attach_volume(self, ctx: nl_context.RequestContext, host: str, *,
                      instance_id: str, block_device: dict[str, Any]) -> None:
        self._call(ctx, host, 'attach_volume', version='1.2', instance_id=instance_id,
                   block_device=block_device)

    def detach_volume(self, ctx: nl_context.RequestContext, host: str, *,
                      instance_id: str, volume_id: str) -> None:
        self._call(ctx, host, 'detach_volume', version='1.2', instance_id=instance_id,
                   volume_id=volume_id)

    def attach_interface(self, ctx: nl_context.RequestContext, host: str, *,
                         instance_id: str, vif: dict[str, Any]) -> None:
        self._call(ctx, host, 'attach_interface', version='1.3', instance_id=instance_id,
                   vif=vif)

    def detach_interface(self, ctx: nl_context.RequestContext, host: str, *,
                         instance_id: str, mac_address: str) -> None:
        self._call(ctx, host, 'detach_interface', version='1.3', instance_id=instance_id,
                   mac_address=mac_address)

    def get_console_output(self, ctx: nl_context.RequestContext, host: str, *,
                           instance_id: str) -> str:
        return self._call(ctx, host, 'get_console_output', instance_id=instance_id)

    # Resize on one host, and rebuild (1.3).

    def resize_instance(self, ctx: nl_context.RequestContext, host: str, *,
                        instance: dict[str, Any], flavor: dict[str, Any],
                        image: dict[str, Any], network_info: list[dict[str, Any]],
                        block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        """Give the instance the new ``flavor`` on ``host``, keeping its disk."""
        return self._call(ctx, host, 'resize_instance', version='1.4', instance=instance,
                          flavor=flavor, image=image, network_info=network_info,
                          block_devices=block_devices)

    def revert_resize(self, ctx: nl_context.RequestContext, host: str, *,
                      instance: dict[str, Any], flavor: dict[str, Any],
                      image: dict[str, Any], network_info: list[dict[str, Any]],
                      block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        """Put back the disk and the old ``flavor`` of before the resize."""
        return self._call(ctx, host, 'revert_resize', version='1.4', instance=instance,
                          flavor=flavor, image=image, network_info=network_info,
                          block_devices=block_devices)

    def confirm_resize(self, ctx: nl_context.RequestContext, host: str, *,
                       instance_id: str) -> None:
        self._call(ctx, host, 'confirm_resize', version='1.4', instance_id=instance_id)

    def rebuild_instance(self, ctx: nl_context.RequestContext, host: str, *,
                         instance: dict[str, Any], flavor: dict[str, Any],
                         image: dict[str, Any], network_info: list[dict[str, Any]],
                         block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        """Destroy the instance's domain and disk and spawn it from ``image``."""
        return self._call(ctx, host, 'rebuild_instance', version='1.4', instance=instance,
                          flavor=flavor, image=image, network_info=network_info,
                          block_devices=block_devices)
