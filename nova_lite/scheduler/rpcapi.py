"""Client side of the scheduler's RPC API (every method is an ``rpc.call``).

API version history:
    1.0 - select_destinations, release_claim, update_compute_node, get_host_usage
    1.1 - list_claims
    1.2 - set_host_admin_state, delete_compute_node
    1.3 - adjust_claim
"""

from __future__ import annotations

from typing import Any

import oslo_messaging

from nova_lite.common import context as nl_context
from nova_lite.common import rpc

RPC_API_VERSION = '1.3'
TOPIC = 'nova_lite-scheduler'


class SchedulerAPI:
    """Asks a scheduler for hosts and tells it about compute hosts; waits for answers."""

    def __init__(self, transport: oslo_messaging.Transport,
                 timeout: float | None = None) -> None:
        target = oslo_messaging.Target(topic=TOPIC, version=RPC_API_VERSION)
        self._client = rpc.get_client(transport, target, version_cap=RPC_API_VERSION,
                                      timeout=timeout)

    def select_destinations(self, ctx: nl_context.RequestContext,
                            request_spec: dict[str, Any]) -> dict[str, Any]:
        """The chosen host (already claimed), its compute node id, zone and alternates."""
        return self._client.prepare(version='1.0').call(ctx, 'select_destinations',
                                                        request_spec=request_spec)

    def release_claim(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._client.prepare(version='1.0').call(ctx, 'release_claim', instance_id=instance_id)

    def update_compute_node(self, ctx: nl_context.RequestContext, host: str,
                            resources: dict[str, Any]) -> dict[str, Any]:
        return self._client.prepare(version='1.0').call(ctx, 'update_compute_node',
                                                        host=host, resources=resources)

    def get_host_usage(self, ctx: nl_context.RequestContext,
                       host: str | None = None) -> list[dict[str, Any]]:
        return self._client.prepare(version='1.0').call(ctx, 'get_host_usage', host=host)

    def list_claims(self, ctx: nl_context.RequestContext,
                    instance_id: str | None = None) -> list[dict[str, Any]]:
        """The claims held (all, or one instance's), each with its host's name."""
        return self._client.prepare(version='1.1').call(ctx, 'list_claims',
                                                        instance_id=instance_id)

    def set_host_admin_state(self, ctx: nl_context.RequestContext, host: str,
                             values: dict[str, Any]) -> dict[str, Any]:
        """Set what admins decide about a compute host (enabled, disabled_reason,
        forced_down, aggregate_zone, aggregate_metadata); the node after."""
        return self._client.prepare(version='1.2').call(ctx, 'set_host_admin_state',
                                                        host=host, values=values)

    def delete_compute_node(self, ctx: nl_context.RequestContext, host: str) -> None:
        """Forget a compute host (it comes back when its service reports again)."""
        self._client.prepare(version='1.2').call(ctx, 'delete_compute_node', host=host)

    def adjust_claim(self, ctx: nl_context.RequestContext, instance_id: str, *,
                     expected_flavors: list[dict[str, Any]],
                     target_flavors: list[dict[str, Any]]) -> dict[str, Any]:
        """Move the instance's claim from what ``expected_flavors`` take together to
        what ``target_flavors`` take (a resize)."""
        return self._client.prepare(version='1.3').call(
            ctx, 'adjust_claim', instance_id=instance_id, expected_flavors=expected_flavors,
            target_flavors=target_flavors)
