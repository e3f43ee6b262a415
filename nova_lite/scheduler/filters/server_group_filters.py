"""Hard server group policies: affinity and anti-affinity.

The request spec's ``group`` (filled by the conductor for a group member) has
the group's ``policy``, ``rules`` and ``hosts``: one entry per other member
placed on a host. A request without a group, or with another policy, passes.
"""

from __future__ import annotations

import collections
from typing import Any

from nova_lite.scheduler import host_state
from nova_lite.scheduler.filters import base

AFFINITY = 'affinity'
ANTI_AFFINITY = 'anti-affinity'


def group_of(request_spec: dict[str, Any], policy: str) -> dict[str, Any] | None:
    """The request's group when its policy is ``policy`` (else None)."""
    group = request_spec.get('group')
    if not isinstance(group, dict) or group.get('policy') != policy:
        return None
    return group


class ServerGroupAffinityFilter(base.BaseHostFilter):
    """Passes the hosts of the group's members (any host while no member is placed)."""

    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        group = group_of(request_spec, AFFINITY)
        if group is None or not group['hosts']:
            return True
        return state.host in group['hosts']


class ServerGroupAntiAffinityFilter(base.BaseHostFilter):
    """Passes hosts with fewer than ``max_server_per_host`` (default 1) members."""

    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        group = group_of(request_spec, ANTI_AFFINITY)
        if group is None:
            return True
        limit = int(group['rules'].get('max_server_per_host', 1))
        return collections.Counter(group['hosts'])[state.host] < limit
