"""The conductor's RPC endpoint: what :mod:`nova_lite.conductor.rpcapi` casts to.

It only hands each request over to the boot runner
(:mod:`nova_lite.conductor.boot_runner`), which runs it on its worker pool,
never on the RPC server's thread. The conductor's housekeeping
(:mod:`nova_lite.conductor.housekeeping`) runs beside it as periodic tasks.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.conductor import action_runner, boot_runner
from nova_lite.conductor.rpcapi import RPC_API_VERSION


class ConductorManager:
    """RPC endpoint of the conductor (topic ``nova_lite-conductor``)."""

    target = oslo_messaging.Target(version=RPC_API_VERSION)

    def __init__(self, runner: boot_runner.BootRunner,
                 actions: action_runner.ActionRunner | None = None) -> None:
        self._runner = runner
        self._actions = actions

    def build_instance(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._runner.submit_boot(instance_id, ctx.auth_token or '',
                                 request_ids=nl_context.request_ids(ctx))

    def delete_instance(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._runner.submit_delete(instance_id)

    def run_server_action(self, ctx: nl_context.RequestContext, instance_id: str,
                          action: str, host: str | None,
                          action_request: dict[str, Any]) -> None:
        if self._actions is None:
            raise exception.Conflict(reason='this conductor runs no server actions')
        self._actions.submit(instance_id, action, host, action_request,
                             auth_token=ctx.auth_token)

    def run_record_action(self, ctx: nl_context.RequestContext, instance_id: str,
                          action: str, action_request: dict[str, Any]) -> None:
        if self._actions is None:
            raise exception.Conflict(reason='this conductor runs no server actions')
        self._actions.run_here(instance_id, action, action_request)
