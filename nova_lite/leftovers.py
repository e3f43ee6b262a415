"""What an instance still holds anywhere in the cloud (all zero after a delete
or a failed boot)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable

import sqlalchemy as sa

from nova_lite.db import api as db_api
from nova_lite.db.models import network as network_models
from nova_lite.db.models import scheduler as scheduler_models
from nova_lite.db.models import volume as volume_models
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


def find(db: db_api.Database, instance_id: str,
         drivers: Iterable[virt_driver.ComputeDriver], instances_path: str) -> Leftovers:
    """Count every resource still tied to ``instance_id``."""
    with db.reader() as session:
        port_ids = session.scalars(sa.select(network_models.Port.id).where(
            network_models.Port.device_id == instance_id)).all()
        ips = session.scalar(sa.select(sa.func.count()).select_from(
            network_models.IPAllocation).where(
            network_models.IPAllocation.port_id.in_(port_ids))) if port_ids else 0
        claims = session.scalar(sa.select(sa.func.count()).select_from(
            scheduler_models.ResourceClaim).where(
            scheduler_models.ResourceClaim.instance_id == instance_id))
        attachments = session.scalar(sa.select(sa.func.count()).select_from(
            volume_models.VolumeAttachment).where(
            volume_models.VolumeAttachment.instance_id == instance_id))
    # Drivers of several hosts may share one hypervisor (test:///default is per
    # process), so a domain counts once however many drivers list it.
    domains = int(any(instance_id in driver.list_instance_ids() for driver in drivers))
    instance_dirs = int(os.path.isdir(os.path.join(instances_path, instance_id)))
    return Leftovers(ports=len(port_ids), ips=int(ips or 0), claims=int(claims or 0),
                     volume_attachments=int(attachments or 0), domains=domains,
                     instance_dirs=instance_dirs)


def host_usage(db: db_api.Database) -> dict[str, dict[str, int]]:
    """vCPUs, RAM and disk in use on every compute host."""
    with db.reader() as session:
        nodes = session.scalars(sa.select(scheduler_models.ComputeNode)).all()
        return {node.host: {'vcpus_used': node.vcpus_used,
                            'memory_mb_used': node.memory_mb_used,
                            'local_gb_used': node.local_gb_used} for node in nodes}
