"""The delete flow: free every resource of an instance, then mark it deleted."""

from __future__ import annotations

from taskflow.patterns import linear_flow

from nova_lite.compute import instance_store
from nova_lite.conductor import faults, resource_cleanup
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import teardown


def get_delete_flow(instances: instance_store.InstanceStore,
                    resources: resource_cleanup.InstanceResources,
                    fault_injector: faults.FaultInjector = faults.NO_FAULTS,
                    ) -> linear_flow.Flow:
    """Build the delete flow; its store needs ``instance_id`` and ``instance``.

    With a fault injector, each task is wrapped in one that injects its faults.
    """
    faulty = faults.wrapper_for(fault_injector)
    return linear_flow.Flow(keys.DELETE_FLOW).add(
        faulty(teardown.DeleteToErrorOnRevert(instances)),
        faulty(teardown.DestroyDomain(resources)),
        faulty(teardown.DetachVolumes(resources)),
        faulty(teardown.DeallocateNetwork(resources)),
        faulty(teardown.ReleaseClaim(resources)),
        faulty(teardown.MarkDeleted(instances)),
    )
