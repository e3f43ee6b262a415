"""Tasks of the delete flow: free each resource, then mark the instance deleted."""

from __future__ import annotations

import logging
from typing import Any

from taskflow.types import failure as tf_failure

from nova_lite.common import context as nl_context
from nova_lite.compute import instance_store
from nova_lite.conductor import resource_cleanup
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base, boot_volumes, instance

LOG = logging.getLogger(__name__)


class DeleteToErrorOnRevert(base.FlowTask):
    """Marks the start of a delete; on revert, puts the instance in ERROR.

    Reversion strategy: ERROR with a fault saying what could not be freed, so
    that the user sees it and can delete again (every step is idempotent).
    """

    def __init__(self, instances: instance_store.InstanceStore, **kwargs: Any) -> None:
        super().__init__(keys.DELETE_TO_ERROR_ON_REVERT, requires=[keys.INSTANCE_ID],
                         **kwargs)
        self._instances = instances

    def execute(self, instance_id: str) -> None:
        LOG.info('Deleting instance %s', instance_id)

    def revert(self, instance_id: str, result: Any = None,
               flow_failures: dict[str, tf_failure.Failure] | None = None,
               **kwargs: Any) -> None:
        message, code, details = instance.describe_failures(flow_failures or {})

        def undo() -> None:
            self._instances.set_error(instance_id, message=f'Delete failed: {message}',
                                      code=code, details=details)

        self.best_effort_revert(instance_id, undo)


class _TeardownTask(base.FlowTask):
    def __init__(self, name: str, resources: resource_cleanup.InstanceResources,
                 **kwargs: Any) -> None:
        super().__init__(name, requires=[keys.INSTANCE], **kwargs)
        self._resources = resources

    def revert(self, instance: dict[str, Any], result: Any = None, **kwargs: Any) -> None:
        """Reversion strategy: none possible (a freed resource stays freed)."""
        LOG.debug('%s of %s cannot be undone', self.name, instance['id'])


class DestroyDomain(_TeardownTask):
    """Asks the instance's host to destroy its domain and files."""

    def __init__(self, resources: resource_cleanup.InstanceResources, **kwargs: Any) -> None:
        super().__init__(keys.DESTROY_DOMAIN, resources, **kwargs)

    def execute(self, instance: dict[str, Any]) -> None:
        self._resources.destroy_domain(nl_context.get_admin_context(), instance['id'],
                                       instance['host'])


class DetachVolumes(_TeardownTask):
    """Detaches every volume of the instance (they become available), then deletes
    those its block device mappings mark delete_on_termination (boot from volume)."""

    def __init__(self, resources: resource_cleanup.InstanceResources, **kwargs: Any) -> None:
        super().__init__(keys.DETACH_VOLUMES, resources, **kwargs)

    def execute(self, instance: dict[str, Any]) -> None:
        ctx = nl_context.get_admin_context()
        self._resources.detach_volumes(ctx, instance['id'])
        doomed = [m['volume_id'] for m in boot_volumes.recorded_mappings(instance)
                  if m.get('delete_on_termination') and m.get('volume_id')]
        if doomed:
            self._resources.delete_volumes(ctx, doomed)


class DeallocateNetwork(_TeardownTask):
    """Deletes the ports the boot created (IPs freed) and unbinds the user's."""

    def __init__(self, resources: resource_cleanup.InstanceResources, **kwargs: Any) -> None:
        super().__init__(keys.DEALLOCATE_NETWORK, resources, **kwargs)

    def execute(self, instance: dict[str, Any]) -> None:
        self._resources.free_ports(nl_context.get_admin_context(), instance['id'],
                                   resource_cleanup.kept_port_ids(instance))


class ReleaseClaim(_TeardownTask):
    """Gives the instance's vCPU, RAM and disk back to its host."""

    def __init__(self, resources: resource_cleanup.InstanceResources, **kwargs: Any) -> None:
        super().__init__(keys.RELEASE_CLAIM, resources, **kwargs)

    def execute(self, instance: dict[str, Any]) -> None:
        self._resources.release_claim(nl_context.get_admin_context(), instance['id'])


class MarkDeleted(base.FlowTask):
    """Marks the instance deleted (it then answers 404).

    Reversion strategy: nothing to undo; it is the last task.
    """

    def __init__(self, instances: instance_store.InstanceStore, **kwargs: Any) -> None:
        super().__init__(keys.MARK_DELETED, requires=[keys.INSTANCE_ID], **kwargs)
        self._instances = instances

    def execute(self, instance_id: str) -> None:
        self._instances.mark_deleted(instance_id)

    def revert(self, instance_id: str, result: Any = None, **kwargs: Any) -> None:
        LOG.debug('Nothing to revert for mark-deleted of %s', instance_id)
