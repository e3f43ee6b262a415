"""The tasks of attaching a network interface (a port) to a booted server, and of
detaching it.

::

    server-action-attach-interface       server-action-detach-interface
      action-to-error-on-revert            action-to-error-on-revert
        (revert: the port released)        unplug-on-host
      bind-port                            forget-interface
      plug-on-host                         release-port
      record-interface                     record-state
      record-state

The compute API made the port (``net_id``: ``created``) or reserved the
user's port (``port_id``), with the instance as its device, before it cast
the action, so that it could answer with the port; these tasks bind it to
the host, plug its NIC into the guest and add it to the instance's
network_info, or, when anything fails, release it again. Ports are changed
with the conductor's own context (a trusted service: binding a port to a
host is a service's act), so a revert does not depend on the user's token.
A port nova made is deleted when it is detached; a user's port is only
unbound (its device cleared), as nova does.
"""

from __future__ import annotations

import logging
from typing import Any

from taskflow.types import failure as tf_failure

from nova_lite.clients import protocols
from nova_lite.common import exception
from nova_lite.common.states import PortStatus
from nova_lite.compute import instance_actions, instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute.action_specs import ActionSpec
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.conductor.tasks import base
from nova_lite.conductor.tasks.actions import _admin_context

LOG = logging.getLogger(__name__)

_REQUIRES = [keys.INSTANCE_ID, keys.ACTION_REQUEST]


def _args(action_request: dict[str, Any]) -> dict[str, Any]:
    return dict(action_request.get('args') or {})


def _port_id(action_request: dict[str, Any]) -> str:
    return str(_args(action_request)['port_id'])


def release_port(networks: protocols.NetworkClient, action_request: dict[str, Any],
                 instance_id: str, *, created: bool) -> None:
    """Delete the port nova made, or unbind the user's port (if it is still this
    instance's); a port already gone is fine."""
    ctx = _admin_context(action_request)
    port_id = _port_id(action_request)
    try:
        port = networks.get_port(ctx, port_id)
    except exception.NotFound:
        return
    if port.get('device_id') not in ('', None, instance_id):
        LOG.info('Port %s now belongs to %s; leaving it', port_id, port.get('device_id'))
        return
    if created:
        try:
            networks.delete_port(ctx, port_id)
        except exception.NotFound:
            pass
    else:
        networks.update_port(ctx, port_id, device_id='', device_owner='',
                             binding_host_id='', status=PortStatus.DOWN)


def still_bound(networks: protocols.NetworkClient, action_request: dict[str, Any],
                instance_id: str) -> bool:
    """Whether the action's port still exists with this instance as its device (a
    detach's revert restores only such a port: one release-port freed stays free)."""
    try:
        port = networks.get_port(_admin_context(action_request), _port_id(action_request))
    except exception.NotFound:
        return False
    return port.get('device_id') == instance_id


def without_vif(network_info: list[dict[str, Any]], port_id: str) -> list[dict[str, Any]]:
    return [vif for vif in network_info if vif.get('port_id') != port_id]


class InterfaceToErrorOnRevert(action_tasks.ActionToErrorOnRevert):
    """Marks the start of the interface attach.

    Reversion strategy: as every action's first task, it puts the instance
    back as it was and finishes the event as Error; then it releases the port
    the compute API made or reserved for this attach (a port nova made is
    deleted, the user's port is unbound), with the conductor's context, so a
    failed attach leaves no port behind and the user's port free again.
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore, *,
                 networks: protocols.NetworkClient, **kwargs: Any) -> None:
        super().__init__(spec, instances, events, **kwargs)
        self._networks = networks

    def revert(self, instance_id: str, action_request: dict[str, Any], result: Any = None,
               flow_failures: dict[str, tf_failure.Failure] | None = None,
               **kwargs: Any) -> None:
        super().revert(instance_id, action_request, result=result,
                       flow_failures=flow_failures, **kwargs)
        created = bool(_args(action_request).get('created'))
        self.best_effort_revert(instance_id, lambda: release_port(
            self._networks, action_request, instance_id, created=created))


class _InterfaceTask(base.FlowTask):
    def __init__(self, name: str, networks: protocols.NetworkClient,
                 compute: compute_rpcapi.ComputeAPI, instances: instance_store.InstanceStore,
                 **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._networks = networks
        self._compute = compute
        self._instances = instances


class BindPort(_InterfaceTask):
    """Binds the port to the instance's host; provides the interface (its VIF).

    Reversion strategy: the port's host binding is cleared (the first task's
    revert then deletes or unbinds the port).
    """

    def __init__(self, networks: protocols.NetworkClient, compute: compute_rpcapi.ComputeAPI,
                 instances: instance_store.InstanceStore, **kwargs: Any) -> None:
        super().__init__(keys.BIND_PORT, networks, compute, instances,
                         requires=[*_REQUIRES, keys.HOST], provides=keys.VIF, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any],
                host: str) -> dict[str, Any]:
        ctx = _admin_context(action_request)
        args = _args(action_request)
        instance = self._instances.get(instance_id)
        port = self._networks.get_port(ctx, _port_id(action_request))
        if port.get('device_id') not in ('', None, instance_id):
            raise exception.Conflict(reason=f'port {port["id"]} is in use by '
                                     f'{port.get("device_id")}')
        owner = f'compute:{instance.get("availability_zone") or "nova"}'
        port = self._networks.update_port(ctx, port['id'], device_id=instance_id,
                                          device_owner=owner, binding_host_id=host)
        try:
            network_name = self._networks.get_network(ctx, port['network_id'])['name']
        except exception.NotFound:
            network_name = ''
        return {'port_id': port['id'], 'mac_address': port['mac_address'],
                'fixed_ips': list(port['fixed_ips']), 'network_id': port['network_id'],
                'network_name': network_name, 'tag': args.get('tag'),
                'preserve_on_delete': not args.get('created')}

    def revert(self, instance_id: str, action_request: dict[str, Any], result: Any = None,
               **kwargs: Any) -> None:
        def undo() -> None:
            try:
                self._networks.update_port(_admin_context(action_request),
                                           _port_id(action_request), binding_host_id='')
            except exception.NotFound:
                pass

        self.best_effort_revert(instance_id, undo)


class PlugOnHost(_InterfaceTask):
    """Plugs the port's NIC into the guest on the host; the port is then ACTIVE.

    Provides the power state (None: unchanged). The port goes ACTIVE as the
    host's network agent would report it (nothing else runs one here).

    Reversion strategy: the NIC is unplugged from the guest and the port
    goes back DOWN.
    """

    def __init__(self, networks: protocols.NetworkClient, compute: compute_rpcapi.ComputeAPI,
                 instances: instance_store.InstanceStore, **kwargs: Any) -> None:
        super().__init__(keys.PLUG_ON_HOST, networks, compute, instances,
                         requires=[*_REQUIRES, keys.HOST, keys.VIF],
                         provides=keys.POWER_STATE, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any], host: str,
                vif: dict[str, Any]) -> None:
        ctx = _admin_context(action_request)
        self._compute.attach_interface(ctx, host, instance_id=instance_id, vif=vif)
        self._networks.update_port(ctx, vif['port_id'], status=PortStatus.ACTIVE)
        return None

    def revert(self, instance_id: str, action_request: dict[str, Any], host: str,
               vif: dict[str, Any], **kwargs: Any) -> None:
        ctx = _admin_context(action_request)

        def undo() -> None:
            self._compute.detach_interface(ctx, host, instance_id=instance_id,
                                           mac_address=vif['mac_address'])
            try:
                self._networks.update_port(ctx, vif['port_id'], status=PortStatus.DOWN)
            except exception.NotFound:
                pass

        self.best_effort_revert(instance_id, undo)


class RecordInterface(_InterfaceTask):
    """Adds the interface to the instance's network_info (its addresses then show it).

    Idempotent: an entry of the same port is replaced.

    Reversion strategy: the port's entry is removed from network_info again.
    """

    def __init__(self, networks: protocols.NetworkClient, compute: compute_rpcapi.ComputeAPI,
                 instances: instance_store.InstanceStore, **kwargs: Any) -> None:
        super().__init__(keys.RECORD_INTERFACE, networks, compute, instances,
                         requires=[keys.INSTANCE_ID, keys.VIF], **kwargs)

    def execute(self, instance_id: str, vif: dict[str, Any]) -> None:
        instance = self._instances.get(instance_id)
        self._instances.update(instance_id, network_info=[
            *without_vif(instance['network_info'], vif['port_id']), vif])

    def revert(self, instance_id: str, vif: dict[str, Any], **kwargs: Any) -> None:
        def undo() -> None:
            instance = self._instances.get(instance_id)
            self._instances.update(instance_id, network_info=without_vif(
                instance['network_info'], vif['port_id']))

        self.best_effort_revert(instance_id, undo)


class UnplugOnHost(_InterfaceTask):
    """Unplugs the port's NIC from the guest; provides the interface it was.

    NotFound when the port is not one of the instance's interfaces.

    Reversion strategy: the NIC is plugged back into the guest, if its port
    is still bound to the instance (release-port did not free it).
    """

    def __init__(self, networks: protocols.NetworkClient, compute: compute_rpcapi.ComputeAPI,
                 instances: instance_store.InstanceStore, **kwargs: Any) -> None:
        super().__init__(keys.UNPLUG_ON_HOST, networks, compute, instances,
                         requires=[*_REQUIRES, keys.HOST], provides=keys.VIF, **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any],
                host: str) -> dict[str, Any]:
        port_id = _port_id(action_request)
        instance = self._instances.get(instance_id)
        vif = next((dict(v) for v in instance['network_info'] if v.get('port_id') == port_id),
                   None)
        if vif is None:
            raise exception.NotFound(message=f'Port {port_id} is not attached to server '
                                             f'{instance_id}.')
        self._compute.detach_interface(_admin_context(action_request), host,
                                       instance_id=instance_id,
                                       mac_address=vif['mac_address'])
        return vif

    def revert(self, instance_id: str, action_request: dict[str, Any], host: str,
               result: Any = None, **kwargs: Any) -> None:
        if not isinstance(result, dict):
            return

        def undo() -> None:
            if still_bound(self._networks, action_request, instance_id):
                self._compute.attach_interface(_admin_context(action_request), host,
                                               instance_id=instance_id, vif=result)

        self.best_effort_revert(instance_id, undo)


class ForgetInterface(_InterfaceTask):
    """Removes the interface from the instance's network_info.

    Reversion strategy: the interface's entry is put back, if its port is
    still bound to the instance.
    """

    def __init__(self, networks: protocols.NetworkClient, compute: compute_rpcapi.ComputeAPI,
                 instances: instance_store.InstanceStore, **kwargs: Any) -> None:
        super().__init__(keys.FORGET_INTERFACE, networks, compute, instances,
                         requires=[*_REQUIRES, keys.VIF], **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any],
                vif: dict[str, Any]) -> None:
        instance = self._instances.get(instance_id)
        self._instances.update(instance_id, network_info=without_vif(
            instance['network_info'], vif['port_id']))

    def revert(self, instance_id: str, action_request: dict[str, Any], vif: dict[str, Any],
               **kwargs: Any) -> None:
        def undo() -> None:
            if not still_bound(self._networks, action_request, instance_id):
                return
            instance = self._instances.get(instance_id)
            self._instances.update(instance_id, network_info=[
                *without_vif(instance['network_info'], vif['port_id']), vif])

        self.best_effort_revert(instance_id, undo)


class ReleasePort(_InterfaceTask):
    """Deletes the port when nova made it; unbinds the user's port (device cleared).

    Provides the power state (None: unchanged). Idempotent: a port already
    gone (a resumed run) is fine.

    Reversion strategy: nothing to undo; record-state, the only task after
    it, changes nothing that can fail half-way.
    """

    def __init__(self, networks: protocols.NetworkClient, compute: compute_rpcapi.ComputeAPI,
                 instances: instance_store.InstanceStore, **kwargs: Any) -> None:
        super().__init__(keys.RELEASE_PORT, networks, compute, instances,
                         requires=[*_REQUIRES, keys.VIF], provides=keys.POWER_STATE,
                         **kwargs)

    def execute(self, instance_id: str, action_request: dict[str, Any],
                vif: dict[str, Any]) -> None:
        release_port(self._networks, action_request, instance_id,
                     created=not vif.get('preserve_on_delete'))
        return None
