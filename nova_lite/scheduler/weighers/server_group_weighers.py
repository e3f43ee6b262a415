"""Soft server group policies: prefer (soft-affinity) or avoid (soft-anti-affinity)
hosts by how many members of the group they already have."""

from __future__ import annotations

from typing import Any

from nova_lite.scheduler import host_state
from nova_lite.scheduler.weighers import base


def _members_on(state: host_state.HostState, request_spec: dict[str, Any],
                policy: str) -> int | None:
    group = request_spec.get('group')
    if not isinstance(group, dict) or group.get('policy') != policy:
        return None
    return sum(1 for host in group['hosts'] if host == state.host)


class ServerGroupSoftAffinityWeigher(base.BaseHostWeigher):
    """Members on the host, times ``[scheduler] soft_affinity_weight_multiplier``."""

    @property
    def multiplier(self) -> float:
        return float(self.conf.scheduler.soft_affinity_weight_multiplier)

    def raw_weight(self, state: host_state.HostState, request_spec: dict[str, Any]) -> float:
        return float(_members_on(state, request_spec, 'soft-affinity') or 0)


class ServerGroupSoftAntiAffinityWeigher(base.BaseHostWeigher):
    """Fewer members on the host weigh more, times
    ``[scheduler] soft_anti_affinity_weight_multiplier``."""

    @property
    def multiplier(self) -> float:
        return float(self.conf.scheduler.soft_anti_affinity_weight_multiplier)

    def raw_weight(self, state: host_state.HostState, request_spec: dict[str, Any]) -> float:
        return -float(_members_on(state, request_spec, 'soft-anti-affinity') or 0)
