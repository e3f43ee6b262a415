"""Only hosts whose compute service is enabled and reporting."""

from __future__ import annotations

from typing import Any

from nova_lite.scheduler import host_state
from nova_lite.scheduler.filters import base


class ComputeFilter(base.BaseHostFilter):
    """Passes enabled hosts that reported within ``[scheduler] service_down_time``."""

    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        return state.enabled and state.up
