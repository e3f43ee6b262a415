"""Weigh hosts by free RAM, disk and vCPUs.

With the default positive multipliers the emptiest host wins (spreading
instances); negative multipliers prefer the fullest host (stacking them).
"""

from __future__ import annotations

from typing import Any

from nova_lite.scheduler import host_state
from nova_lite.scheduler.weighers import base


class RamWeigher(base.BaseHostWeigher):
    """Free RAM, times ``[scheduler] ram_weight_multiplier``."""

    @property
    def multiplier(self) -> float:
        return float(self.conf.scheduler.ram_weight_multiplier)

    def raw_weight(self, state: host_state.HostState, request_spec: dict[str, Any]) -> float:
        return state.free_ram_mb


class DiskWeigher(base.BaseHostWeigher):
    """Free disk, times ``[scheduler] disk_weight_multiplier``."""

    @property
    def multiplier(self) -> float:
        return float(self.conf.scheduler.disk_weight_multiplier)

    def raw_weight(self, state: host_state.HostState, request_spec: dict[str, Any]) -> float:
        return state.free_disk_gb


class VcpuWeigher(base.BaseHostWeigher):
    """Free vCPUs, times ``[scheduler] cpu_weight_multiplier``."""

    @property
    def multiplier(self) -> float:
        return float(self.conf.scheduler.cpu_weight_multiplier)

    def raw_weight(self, state: host_state.HostState, request_spec: dict[str, Any]) -> float:
        return state.free_vcpus
