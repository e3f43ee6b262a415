"""Frees everything an instance holds, by instance id, as the conductor (a trusted service).

The delete flow uses it, and so does the conductor after a failed boot, as a
sweep behind the boot's reverts: a revert that failed (or a token revoked
mid-boot) still leaves no port, IP, attachment, claim or domain behind.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from nova_lite.common import context as nl_context
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.network import manager as network_manager
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.volume import manager as volume_manager

LOG = logging.getLogger(__name__)


class PortService(Protocol):
    """What port teardown needs: the network manager and the network clients both have it."""

    def list_ports(self, ctx: nl_context.RequestContext, **filters: Any) -> list[dict[str, Any]]:
        ...

    def update_port(self, ctx: nl_context.RequestContext, port_id: str,
                    **changes: Any) -> dict[str, Any]:
        ...

    def delete_port(self, ctx: nl_context.RequestContext, port_id: str) -> None:
        ...


def user_port_ids(networks: list[dict[str, Any]]) -> set[str]:
    """The ports a boot request passed in (to unbind, never delete)."""
    return {n['port'] for n in networks if n.get('port')}


def free_instance_ports(networks: PortService, ctx: nl_context.RequestContext,
                        instance_id: str, user_ports: set[str]) -> int:
    """Delete the ports the boot made for the instance; unbind those the user passed in."""
    ports = networks.list_ports(ctx, device_id=instance_id)
    for port in ports:
        if port['id'] in user_ports:
            networks.update_port(ctx, port['id'], device_id='', device_owner='',
                                 binding_host_id='')
        else:
            networks.delete_port(ctx, port['id'])
    return len(ports)


class InstanceResources:
    """Idempotent teardown of one instance's resources in every service."""

    def __init__(self, networks: network_manager.NetworkManager,
                 volumes: volume_manager.VolumeManager,
                 scheduler: scheduler_rpcapi.SchedulerAPI,
                 compute: compute_rpcapi.ComputeAPI) -> None:
        self._networks = networks
        self._volumes = volumes
        self._scheduler = scheduler
        self._compute = compute

    def destroy_domain(self, ctx: nl_context.RequestContext, instance_id: str,
                       host: str | None) -> None:
        if host:
            self._compute.destroy_instance(ctx, host, instance_id=instance_id)

    def detach_volumes(self, ctx: nl_context.RequestContext, instance_id: str) -> int:
        attachments = self._volumes.list_attachments(ctx, instance_id=instance_id)
        for attachment in attachments:
            self._volumes.detach_volume(ctx, attachment['id'], ignore_missing=True)
        return len(attachments)

    def free_ports(self, ctx: nl_context.RequestContext, instance_id: str,
                   user_ports: set[str]) -> int:
        return free_instance_ports(self._networks, ctx, instance_id, user_ports)

    def release_claim(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._scheduler.release_claim(ctx, instance_id)

    def sweep(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
              hosts: set[str]) -> None:
        """Free everything, each part on its own so one failure does not stop the rest."""
        instance_id = instance['id']
        user_ports = user_port_ids(instance['build_request'].get('networks', []))
        steps = [
            *[(f'domain on {host}', lambda h=host: self.destroy_domain(ctx, instance_id, h))
              for host in sorted(hosts)],
            ('volume attachments', lambda: self.detach_volumes(ctx, instance_id)),
            ('ports', lambda: self.free_ports(ctx, instance_id, user_ports)),
            ('resource claim', lambda: self.release_claim(ctx, instance_id)),
        ]
        for what, free in steps:
            try:
                free()
            except Exception:
                LOG.exception('Cleanup of %s of instance %s failed', what, instance_id)
