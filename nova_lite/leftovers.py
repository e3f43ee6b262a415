"""What an instance still holds anywhere in the cloud (all zero after a delete
or a failed boot)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable

from nova_lite.common import context as nl_context
from nova_lite.conductor import resource_cleanup
from nova_lite.virt import driver as virt_driver


@dataclasses.dataclass(frozen=True)
class Leftovers:
    ports: int
    ips: int
    claims: int
    volume_attachments: int
    domains: int
    instance_dirs: int

    def total(self) -> int:
        return sum(dataclasses.astuple(self))

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def find(resources: resource_cleanup.InstanceResources, instance_id: str,
         drivers: Iterable[virt_driver.ComputeDriver], instances_path: str) -> Leftovers:
    """Count every resource still tied to ``instance_id`` (each service is asked)."""
    ctx = nl_context.get_admin_context()
    ports = resources.ports(ctx, instance_id)
    ips = sum(len(port.get('fixed_ips', [])) for port in ports)
    claims = len(resources.claims(ctx, instance_id))
    attachments = len(resources.attachments(ctx, instance_id))
    # Drivers of several hosts may share one hypervisor (test:///default is per
    # process), so a domain counts once however many drivers list it.
    domains = int(any(instance_id in driver.list_instance_ids() for driver in drivers))
    instance_dirs = int(os.path.isdir(os.path.join(instances_path, instance_id)))
    return Leftovers(ports=len(ports), ips=ips, claims=claims,
                     volume_attachments=attachments, domains=domains,
                     instance_dirs=instance_dirs)


def host_usage(resources: resource_cleanup.InstanceResources) -> dict[str, dict[str, int]]:
    """vCPUs, RAM and disk in use on every compute host (as the scheduler counts them)."""
    nodes = resources.host_usage(nl_context.get_admin_context())
    return {node['host']: {'vcpus_used': node['vcpus_used'],
                           'memory_mb_used': node['memory_mb_used'],
                           'local_gb_used': node['local_gb_used']} for node in nodes}
