"""Finds and frees what an instance holds, by instance id, as the conductor (a trusted service).

The delete flow uses it, and so does the conductor after a failed boot, as a
sweep behind the boot's reverts: a revert that failed (or a token revoked
mid-boot) still leaves no port, IP, attachment, claim or domain behind. The
orphan audit asks it what the services hold.

It reaches the network and block storage services through their
:mod:`nova_lite.clients.protocols` clients, called with the conductor's own
context, and the scheduler and compute hosts through their RPC APIs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from nova_lite.clients import payloads, protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import rpcapi as compute_rpcapi

LOG = logging.getLogger(__name__)

# The device owner of the ports the boot makes (``compute:<availability zone>``).
COMPUTE_PORT_OWNER_PREFIX = 'compute:'


class SchedulerClaims(Protocol):
    """The scheduler's claims as teardown and the audit use them (its RPC API or manager)."""

    def release_claim(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        ...

    def list_claims(self, ctx: nl_context.RequestContext,
                    instance_id: str | None = None) -> list[dict[str, Any]]:
        ...

    def get_host_usage(self, ctx: nl_context.RequestContext,
                       host: str | None = None) -> list[dict[str, Any]]:
        ...


def user_port_ids(networks: list[dict[str, Any]]) -> set[str]:
    """The ports a boot request passed in (to unbind, never delete)."""
    return {n['port'] for n in networks if n.get('port')}


def kept_port_ids(instance: dict[str, Any]) -> set[str]:
    """The instance's ports that were the user's (to unbind, never delete): those
    its boot request passed in, and those attached later by port id (kept in
    network_info with ``preserve_on_delete``, as nova's info cache marks them)."""
    return user_port_ids(instance['build_request'].get('networks', [])) | {
        str(vif['port_id']) for vif in instance.get('network_info') or []
        if vif.get('preserve_on_delete')}


def free_instance_ports(networks: protocols.NetworkClient, ctx: nl_context.RequestContext,
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


def boot_made_volumes(instance: dict[str, Any]) -> list[str]:
    """The volumes a boot that did not finish made (boot from volume), which a sweep
    deletes: recorded in its build request, for an instance still building or in
    ERROR (a server that booted keeps them until its delete, as asked)."""
    if instance.get('vm_state') not in ('building', 'error') or instance.get('launched_at'):
        return []
    recorded = (instance.get('build_request') or {}).get('block_device_mapping') or []
    return [m['volume_id'] for m in recorded if m.get('created') and m.get('volume_id')]


class InstanceResources:
    """Idempotent teardown of one instance's resources in every service."""

    def __init__(self, networks: protocols.NetworkClient, volumes: protocols.VolumeClient,
                 scheduler: SchedulerClaims, compute: compute_rpcapi.ComputeAPI) -> None:
        self._networks = networks
        self._volumes = volumes
        self._scheduler = scheduler
        self._compute = compute

    def destroy_domain(self, ctx: nl_context.RequestContext, instance_id: str,
                       host: str | None) -> None:
        if host:
            self._compute.destroy_instance(ctx, host, instance_id=instance_id)

    def detach_volumes(self, ctx: nl_context.RequestContext, instance_id: str,
                       volume_ids: set[str] | None = None) -> int:
        """Detach the instance's volumes (only ``volume_ids`` when given)."""
        attachments = [a for a in self._volumes.list_attachments(ctx, instance_id=instance_id)
                       if volume_ids is None or a['volume_id'] in volume_ids]
        for attachment in attachments:
            self._volumes.detach_volume(ctx, attachment['id'])
        return len(attachments)

    def volume_status(self, ctx: nl_context.RequestContext, volume_id: str) -> str | None:
        """A volume's status (None when it is gone)."""
        try:
            return str(self._volumes.get_volume(ctx, volume_id)['status'])
        except exception.NotFound:
            return None

    def delete_volumes(self, ctx: nl_context.RequestContext, volume_ids: list[str]) -> int:
        """Delete detached volumes (boot volumes, delete_on_termination); gone ones pass."""
        deleted = 0
        for volume_id in volume_ids:
            try:
                self._volumes.delete_volume(ctx, volume_id)
            except exception.NotFound:
                continue
            deleted += 1
        return deleted

    def free_ports(self, ctx: nl_context.RequestContext, instance_id: str,
                   user_ports: set[str]) -> int:
        return free_instance_ports(self._networks, ctx, instance_id, user_ports)

    def release_claim(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._scheduler.release_claim(ctx, instance_id)

    def ports(self, ctx: nl_context.RequestContext,
              instance_id: str | None = None) -> list[payloads.Port]:
        """One instance's ports, or every port the boot made (owner ``compute:*``)."""
        if instance_id is not None:
            return self._networks.list_ports(ctx, device_id=instance_id)
        return [port for port in self._networks.list_ports(ctx)
                if port.get('device_owner', '').startswith(COMPUTE_PORT_OWNER_PREFIX)]

    def attachments(self, ctx: nl_context.RequestContext,
                    instance_id: str | None = None) -> list[payloads.Attachment]:
        """One instance's volume attachments, or all of them."""
        if instance_id is not None:
            return self._volumes.list_attachments(ctx, instance_id=instance_id)
        return self._volumes.list_attachments(ctx)

    def claims(self, ctx: nl_context.RequestContext,
               instance_id: str | None = None) -> list[dict[str, Any]]:
        """The scheduler's claims (with their host), all or one instance's."""
        return self._scheduler.list_claims(ctx, instance_id=instance_id)

    def host_usage(self, ctx: nl_context.RequestContext) -> list[dict[str, Any]]:
        """Every compute host the scheduler knows, with its usage."""
        return self._scheduler.get_host_usage(ctx)

    def sweep(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
              hosts: set[str]) -> None:
        """Free everything, each part on its own so one failure does not stop the rest."""
        instance_id = instance['id']
        user_ports = kept_port_ids(instance)
        steps: list[tuple[str, Callable[[], object]]] = [
            *[(f'domain on {host}', lambda h=host: self.destroy_domain(ctx, instance_id, h))
              for host in sorted(hosts)],
            ('volume attachments', lambda: self.detach_volumes(ctx, instance_id)),
            ('volumes the boot made', lambda: self.delete_volumes(
                ctx, boot_made_volumes(instance))),
            ('ports', lambda: self.free_ports(ctx, instance_id, user_ports)),
            ('resource claim', lambda: self.release_claim(ctx, instance_id)),
        ]
        for what, free in steps:
            try:
                free()
            except Exception:
                LOG.exception('Cleanup of %s of instance %s failed', what, instance_id)
