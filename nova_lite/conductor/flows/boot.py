"""The boot flow: one TaskFlow flow per instance, run by the conductor.

::

    boot-instance (linear)
      instance-to-error-on-revert
      authenticate
      create-volumes (the image and blank volumes of boot from volume)
      reschedule (linear, retried over hosts by host-retry)
        schedule
        gather (graph: flavor, image, network, volume run in parallel)
        spawn
      mark-active
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from taskflow import task
from taskflow.patterns import graph_flow, linear_flow

from nova_lite.clients import protocols
from nova_lite.compute import flavors as flavor_store
from nova_lite.compute import instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute import server_groups as server_group_store
from nova_lite.conductor import faults, resource_cleanup, task_hops, token_seal
from nova_lite.conductor.flows import host_retry, keys
from nova_lite.conductor.tasks import (
    boot_volumes,
    identity,
    instance,
    network,
    resources,
    scheduling,
    spawn,
)
from nova_lite.conductor.tasks import volume as volume_tasks
from nova_lite.scheduler import rpcapi as scheduler_rpcapi


@dataclasses.dataclass(frozen=True)
class BootDependencies:
    """What the boot tasks talk to; handed to the factory, never global."""

    instances: instance_store.InstanceStore
    flavors: flavor_store.FlavorStore
    identity: protocols.IdentityClient
    images: protocols.ImageClient
    networks: protocols.NetworkClient
    volumes: protocols.VolumeClient
    scheduler: scheduler_rpcapi.SchedulerAPI
    compute: compute_rpcapi.ComputeAPI
    # Seals the user's token for the store and the jobboard, unseals it for the tasks.
    sealer: token_seal.TokenSealer
    # Frees an instance's ports and volume attachments as the conductor: what the
    # network and volume tasks revert with, so a revert needs no user token.
    cleanup: resource_cleanup.InstanceResources
    max_attempts: int = 3
    fault_injector: faults.FaultInjector = faults.NO_FAULTS
    # Frees everything an instance holds, by its id: the last line of the revert.
    sweep: Callable[[str], None] | None = None
    # Raises when the conductor running the boot no longer holds its job (the
    # job's claim lapsed): checked by every task before its work.
    claim_check: Callable[[], None] | None = None
    # Where each task's time goes (RPC, HTTP, tokens, database), for the recorder.
    run_hops: task_hops.RunHops | None = None
    # The members' hosts for the scheduler, and the spawn's group policy recheck.
    server_groups: server_group_store.ServerGroupStore | None = None


def get_boot_flow(deps: BootDependencies) -> linear_flow.Flow:
    """Build the boot flow (a module-level factory, importable by name).

    With a fault injector, each task is wrapped in one that injects its faults;
    with ``run_hops``, in one that times its hops.
    """
    fi = {'claim_check': deps.claim_check}
    sealer = deps.sealer
    injecting = faults.wrapper_for(deps.fault_injector)
    timing = task_hops.wrapper_for(deps.run_hops)

    def faulty(flow_task: task.Task) -> task.Task:
        return timing(injecting(flow_task))

    gather = graph_flow.Flow(keys.GATHER_FLOW).add(
        faulty(resources.GetFlavor(deps.instances, deps.flavors, **fi)),
        faulty(resources.GetImage(deps.images, sealer, **fi)),
        faulty(network.AllocateNetwork(deps.networks, deps.instances, sealer, deps.cleanup,
                                       **fi)),
        faulty(volume_tasks.AttachVolumes(deps.volumes, deps.instances, sealer, deps.cleanup,
                                          **fi)),
    )
    reschedule = linear_flow.Flow(keys.RESCHEDULE_FLOW,
                                  retry=host_retry.HostRetry(deps.max_attempts)).add(
        faulty(scheduling.ScheduleInstance(deps.scheduler, deps.instances, sealer,
                                           server_groups=deps.server_groups, **fi)),
        gather,
        faulty(spawn.Spawn(deps.compute, deps.instances, sealer,
                            server_groups=deps.server_groups, **fi)),
    )
    return linear_flow.Flow(keys.BOOT_FLOW).add(
        faulty(instance.InstanceToErrorOnRevert(deps.instances, deps.sweep, **fi)),
        faulty(identity.Authenticate(deps.identity, sealer, **fi)),
        faulty(boot_volumes.CreateVolumes(deps.volumes, deps.instances, sealer, deps.cleanup,
                                          claim_check=deps.claim_check)),
        reschedule,
        faulty(instance.MarkActive(deps.instances, **fi)),
    )
