"""Hosts whose aggregates' metadata matches the flavor's scoped extra specs."""

from __future__ import annotations

from typing import Any

from nova_lite.scheduler import host_state
from nova_lite.scheduler.filters import base

SCOPE = 'aggregate_instance_extra_specs:'


class AggregateInstanceExtraSpecsFilter(base.BaseHostFilter):
    """Passes a host when, for every ``aggregate_instance_extra_specs:KEY`` extra spec of
    the flavor, one of the host's aggregates has KEY set to that value.

    The compute API puts the flavor's extra specs in the request spec under
    ``flavor_extra_specs``. Unscoped keys are not compared (other filters own
    them); a flavor without scoped keys passes every host.
    """

    def host_passes(self, state: host_state.HostState, request_spec: dict[str, Any]) -> bool:
        specs = request_spec.get('flavor_extra_specs') or {}
        for key, wanted in specs.items():
            if not key.startswith(SCOPE):
                continue
            if str(wanted) not in state.aggregate_metadata.get(key[len(SCOPE):], []):
                return False
        return True
