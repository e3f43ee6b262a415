"""Client side of the conductor's RPC API.

API version history:
    1.0 - build_instance, delete_instance
"""

from __future__ import annotations

from collections.abc import Mapping

import oslo_messaging

from nova_lite.common import context as nl_context
from nova_lite.common import rpc
from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys

RPC_API_VERSION = '1.0'
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
