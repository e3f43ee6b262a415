"""Hosts in the requested availability zone."""

from __future__ import annotations

from typing import Any

from nova_lite.scheduler import host_state
from nova_lite.scheduler.filters import base


class AvailabilityZoneFilter(base.BaseHostFilter):
    """Passes hosts in ``request_spec['availability_zone']``; every host when it is None."""

    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        zone = request_spec.get('availability_zone')
        return zone is None or state.availability_zone == zone
