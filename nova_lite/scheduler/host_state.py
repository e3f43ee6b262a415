"""What the scheduler knows about one compute host while it makes a choice."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from nova_lite.common import timeutils
from nova_lite.db.models import scheduler as models


def is_up(last_seen_at: datetime.datetime | None, *, service_down_time: int,
          now: datetime.datetime) -> bool:
    """True when the host reported within the last ``service_down_time`` seconds."""
    if last_seen_at is None:
        return False
    return now - last_seen_at <= datetime.timedelta(seconds=service_down_time)


@dataclasses.dataclass(frozen=True)
class HostState:
    """A snapshot of one compute node's capacity, usage and traits.

    Totals are the raw hypervisor sizes; ``free_*`` apply the allocation
    ratios (and the reserved RAM) exactly as the claim's conditional UPDATE
    does, so a host that passes the filters has room unless a concurrent
    claim took it in between.
    """

    host: str
    compute_node_id: str
    vcpus: int
    memory_mb: int
    local_gb: int
    vcpus_used: int = 0
    memory_mb_used: int = 0
    local_gb_used: int = 0
    cpu_allocation_ratio: float = 1.0
    ram_allocation_ratio: float = 1.0
    disk_allocation_ratio: float = 1.0
    reserved_memory_mb: int = 0
    availability_zone: str = 'nova'
    enabled: bool = True
    up: bool = True
    hypervisor_type: str = ''
    capabilities: dict[str, Any] = dataclasses.field(default_factory=dict)
    # key -> the values the host's aggregates give it (AggregateInstanceExtraSpecsFilter).
    aggregate_metadata: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_compute_node(cls, node: models.ComputeNode, *, service_down_time: int,
                          now: datetime.datetime | None = None) -> HostState:
        now = now if now is not None else timeutils.utcnow()
        return cls(
            host=node.host, compute_node_id=node.id,
            vcpus=node.vcpus, memory_mb=node.memory_mb, local_gb=node.local_gb,
            vcpus_used=node.vcpus_used, memory_mb_used=node.memory_mb_used,
            local_gb_used=node.local_gb_used,
            cpu_allocation_ratio=node.cpu_allocation_ratio,
            ram_allocation_ratio=node.ram_allocation_ratio,
            disk_allocation_ratio=node.disk_allocation_ratio,
            reserved_memory_mb=node.reserved_memory_mb,
            availability_zone=node.aggregate_zone or node.availability_zone,
            enabled=node.enabled,
            up=(not node.forced_down
                and is_up(node.last_seen_at, service_down_time=service_down_time, now=now)),
            hypervisor_type=node.hypervisor_type or '',
            capabilities=dict(node.capabilities or {}),
            aggregate_metadata={key: list(values) for key, values
                                in (node.aggregate_metadata or {}).items()})

    @property
    def free_vcpus(self) -> float:
        return self.vcpus * self.cpu_allocation_ratio - self.vcpus_used

    @property
    def free_ram_mb(self) -> float:
        return (self.memory_mb * self.ram_allocation_ratio - self.reserved_memory_mb
                - self.memory_mb_used)

    @property
    def free_disk_gb(self) -> float:
        return self.local_gb * self.disk_allocation_ratio - self.local_gb_used

    def credited(self, *, vcpus: int, memory_mb: int, disk_gb: int) -> HostState:
        """This host as if a claim of these amounts were not held on it.

        Used for an instance that already holds a claim here, so that a retried
        scheduling request sees the room the instance itself occupies.
        """
        return dataclasses.replace(self, vcpus_used=self.vcpus_used - vcpus,
                                   memory_mb_used=self.memory_mb_used - memory_mb,
                                   local_gb_used=self.local_gb_used - disk_gb)


def node_to_dict(node: models.ComputeNode, *, service_down_time: int,
                 now: datetime.datetime | None = None) -> dict[str, Any]:
    """A compute node as a plain dict: totals, usage, what is free, and whether it is up."""
    state = HostState.from_compute_node(node, service_down_time=service_down_time, now=now)
    return {
        'id': node.id, 'host': node.host,
        'hypervisor_type': node.hypervisor_type,
        'hypervisor_hostname': node.hypervisor_hostname,
        'availability_zone': state.availability_zone,
        'enabled': node.enabled, 'disabled_reason': node.disabled_reason, 'up': state.up,
        'forced_down': node.forced_down, 'aggregate_metadata': state.aggregate_metadata,
        'vcpus': node.vcpus, 'memory_mb': node.memory_mb, 'local_gb': node.local_gb,
        'vcpus_used': node.vcpus_used, 'memory_mb_used': node.memory_mb_used,
        'local_gb_used': node.local_gb_used,
        'cpu_allocation_ratio': node.cpu_allocation_ratio,
        'ram_allocation_ratio': node.ram_allocation_ratio,
        'disk_allocation_ratio': node.disk_allocation_ratio,
        'reserved_memory_mb': node.reserved_memory_mb,
        'free_vcpus': state.free_vcpus, 'free_ram_mb': state.free_ram_mb,
        'free_disk_gb': state.free_disk_gb,
        'capabilities': dict(node.capabilities or {}),
        'last_seen_at': timeutils.isotime(node.last_seen_at),
        'created_at': timeutils.isotime(node.created_at),
        'updated_at': timeutils.isotime(node.updated_at),
    }
