"""Client side of the conductor's RPC API.

API version history:
    1.0 - build_instance, delete_instance
    1.1 - run_server_action, run_record_action
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import oslo_messaging

from nova_lite.common import context as nl_context
from nova_lite.common import exception, rpc
from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys

RPC_API_VERSION = '1.1'
TOPIC = 'nova_lite-conductor'


def check_fault_injection_metadata(metadata: Mapping[str, str], max_delay: float) -> None:
    """InvalidInput (400) naming the key if a server's fault-injection metadata is malformed.

    The compute API checks it before it records the instance; the conductor
    reads the same keys when it runs the boot.
    """
    faults.from_metadata(metadata, keys.BOOT_TASKS, max_delay)


class ConductorAPI:
    """Casts boots and deletes to a conductor; the caller never waits for them."""

    def __init__(self, transport: oslo_messaging.Transport) -> None:
        target = oslo_messaging.Target(topic=TOPIC, version=RPC_API_VERSION)
        self._client = rpc.get_client(transport, target, version_cap=RPC_API_VERSION)

    def build_instance(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._client.prepare(version='1.0').cast(ctx, 'build_instance',
                                                 instance_id=instance_id)

    def delete_instance(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._client.prepare(version='1.0').cast(ctx, 'delete_instance',
                                                 instance_id=instance_id)

    def run_server_action(self, ctx: nl_context.RequestContext, instance_id: str,
                          action: str, host: str | None,
                          action_request: dict[str, Any]) -> None:
        """Cast a server action (a flow of :mod:`.flows.server_action`) to a conductor."""
        self._check_actions()
        self._client.prepare(version='1.1').cast(ctx, 'run_server_action',
                                                 instance_id=instance_id, action=action,
                                                 host=host, action_request=action_request)

    def run_record_action(self, ctx: nl_context.RequestContext, instance_id: str,
                          action: str, action_request: dict[str, Any]) -> None:
        """Run an action that only changes the record (lock, unlock, reset-state) on a
        conductor and wait for it (an ``rpc.call``): its end is the answer."""
        self._check_actions()
        self._client.prepare(version='1.1').call(ctx, 'run_record_action',
                                                 instance_id=instance_id, action=action,
                                                 action_request=action_request)

    def _check_actions(self) -> None:
        if not self._client.can_send_version('1.1'):
            raise exception.Conflict(reason='the conductor cannot run server actions yet '
                                     '(needs RPC API 1.1)')
