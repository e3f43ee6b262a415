"""The spawn task: the chosen compute host builds and starts the domain."""

from __future__ import annotations

import logging
from typing import Any

import oslo_messaging

from nova_lite.common import exception
from nova_lite.common.states import TaskState, VmState
from nova_lite.compute import instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute import server_groups as server_group_store
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base

LOG = logging.getLogger(__name__)


class Spawn(base.UserContextTask):
    """rpc.call to the host's compute service: image, disk, libvirt.xml, domain.

    Step 29 (and 12-13, 22 on the host). A host failure or an RPC timeout is
    raised as RetryableBuildError so the retry controller tries another host.
    First, for a server group member, the group's hard policy is rechecked for
    the host under the group's lock (a concurrent boot may have placed a member
    since the scheduler chose): a violation is a RetryableBuildError too.

    Reversion strategy: ask that host (as the conductor, no user token needed)
    to destroy the domain and remove the instance directory (idempotent;
    nothing happens where nothing was made), and forget the host confirmed for
    the instance in its server group.
    """

    def __init__(self, compute: compute_rpcapi.ComputeAPI,
                 instances: instance_store.InstanceStore, sealer: token_seal.TokenSealer,
                 server_groups: server_group_store.ServerGroupStore | None = None,
                 **kwargs: Any) -> None:
        super().__init__(keys.SPAWN, sealer=sealer,
                         requires=[keys.CONTEXT, keys.INSTANCE_ID, keys.HOST, keys.FLAVOR,
                                   keys.IMAGE, keys.NETWORK_INFO, keys.BLOCK_DEVICES],
                         provides=keys.SPAWN_RESULT, **kwargs)
        self._compute = compute
        self._instances = instances
        self._server_groups = server_groups

    def execute(self, context: dict[str, Any], instance_id: str, host: str,
                flavor: dict[str, Any], image: dict[str, Any],
                network_info: list[dict[str, Any]],
                block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        ctx = self.user_context(context)
        instance = self._instances.update(instance_id, expected_vm_states=(VmState.BUILDING,),
                                          task_state=TaskState.SPAWNING)
        if self._server_groups is not None:
            self._server_groups.confirm_host(instance_id, host)
        spawn_instance = {key: instance[key] for key in
                          ('id', 'name', 'project_id', 'user_id', 'metadata', 'image_id')}
        try:
            return self._compute.spawn_instance(ctx, host, instance=spawn_instance,
                                                flavor=flavor, image=image,
                                                network_info=network_info,
                                                block_devices=block_devices)
        except oslo_messaging.MessagingTimeout as exc:
            raise exception.RetryableBuildError(instance_id=instance_id, host=host,
                                                reason=f'no answer from the host: {exc}',
                                                ) from exc
        except exception.ImageCorrupt:
            raise
        except exception.NovaLiteError as exc:
            if isinstance(exc, exception.RetryableBuildError):
                raise
            raise exception.RetryableBuildError(instance_id=instance_id, host=host,
                                                reason=exc.message) from exc

    def revert(self, context: dict[str, Any], instance_id: str, host: str,
               result: Any = None, **kwargs: Any) -> None:
        def undo() -> None:
            if self._server_groups is not None:
                self._server_groups.release_host(instance_id, host)
            self._compute.destroy_instance(self.service_context(context), host,
                                           instance_id=instance_id)

        self.best_effort_revert(instance_id, undo)
