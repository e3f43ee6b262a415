"""Hosts with enough free RAM, disk and vCPUs (allocation ratios applied)."""

from __future__ import annotations

from typing import Any

from nova_lite.scheduler import claims, host_state
from nova_lite.scheduler.filters import base


class RamFilter(base.BaseHostFilter):
    """Free RAM (ratio applied, reserved RAM kept back) covers the flavor's RAM."""

    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        wanted = claims.Resources.from_flavor(request_spec['flavor'])
        return state.free_ram_mb >= wanted.memory_mb


class DiskFilter(base.BaseHostFilter):
    """Free disk covers root + ephemeral + swap (rounded up to whole GiB)."""

    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        wanted = claims.Resources.from_flavor(request_spec['flavor'])
        return state.free_disk_gb >= wanted.disk_gb


class VcpuFilter(base.BaseHostFilter):
    """Free vCPUs (ratio applied) cover the flavor's vCPUs."""

    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        wanted = claims.Resources.from_flavor(request_spec['flavor'])
        return state.free_vcpus >= wanted.vcpus
