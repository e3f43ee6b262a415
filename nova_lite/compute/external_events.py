"""What compute does with an external event from the network or block storage service.

``os-server-external-events`` hands each event here. An event for a server
that does not exist is a 404 in its entry; one for a server with no host yet
(not built) is a 422; the others are recorded on the instance and acted on
where compute keeps something the event changes:

- ``network-changed``: the instance's ``network_info`` is read again from the
  network service (its ports, their addresses, their networks' names);
- ``network-vif-deleted``: the port named by the tag leaves ``network_info``
  and (given the compute RPC API) its NIC is unplugged from the guest;
- ``power-update`` (tag ``POWER_ON`` / ``POWER_OFF``): the power state, and an
  idle server's vm_state (active / stopped), follow;
- the others (``network-vif-plugged``/``-unplugged``, ``volume-extended``,
  ``volume-reimaged``, ``accelerator-request-bound``) are recorded only: no
  guest or waiter here needs them yet.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, Protocol

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import TaskState, VmState
from nova_lite.compute import instance_store
from nova_lite.compute import rpcapi as compute_rpcapi

LOG = logging.getLogger(__name__)

POWER_ON = 'POWER_ON'
POWER_OFF = 'POWER_OFF'
_POWER = {POWER_ON: (1, VmState.ACTIVE), POWER_OFF: (4, VmState.STOPPED)}
# The network_info keys a refresh from the network service keeps.
_KEPT = ('tag', 'preserve_on_delete')


@dataclasses.dataclass(frozen=True)
class Event:
    server_uuid: str
    name: str
    status: str = 'completed'
    tag: str | None = None


class EventRecorder(Protocol):
    """Where accepted events are recorded (instance action events, or the log)."""

    def record(self, ctx: nl_context.RequestContext, instance_id: str, event: Event) -> None:
        ...


class LogRecorder:
    """Records each event as an INFO line on the instance (no table of its own)."""

    def record(self, ctx: nl_context.RequestContext, instance_id: str, event: Event) -> None:
        LOG.info('Instance %s: external event %s (status %s, tag %s), request %s',
                 instance_id, event.name, event.status, event.tag, ctx.request_id)


class ExternalEvents:
    def __init__(self, *, instances: instance_store.InstanceStore,
                 networks: protocols.NetworkClient,
                 recorder: EventRecorder | None = None,
                 compute: compute_rpcapi.ComputeAPI | None = None) -> None:
        """``compute``: unplugs a deleted port's NIC on the host (None: record only)."""
        self._instances = instances
        self._networks = networks
        self._recorder = recorder or LogRecorder()
        self._compute = compute

    def handle(self, ctx: nl_context.RequestContext, event: Event) -> int:
        """The event's code: 200 (accepted and acted on), 404 or 422."""
        try:
            instance = self._instances.get(event.server_uuid)
        except exception.NotFound:
            return 404
        if not instance.get('host'):
            return 422
        if event.name == 'power-update' and event.tag not in _POWER:
            return 422
        self._recorder.record(ctx, instance['id'], event)
        try:
            self._act(ctx, instance, event)
        except exception.NotFound:
            return 404  # deleted meanwhile
        return 200

    def _act(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
             event: Event) -> None:
        if event.name == 'network-changed' and event.status == 'completed':
            self._instances.update(instance['id'],
                                   network_info=self.refreshed_network_info(ctx, instance))
        elif event.name == 'network-vif-deleted' and event.tag:
            kept = [vif for vif in instance['network_info'] if vif.get('port_id') != event.tag]
            if len(kept) != len(instance['network_info']):
                self._instances.update(instance['id'], network_info=kept)
                gone = [vif for vif in instance['network_info']
                        if vif.get('port_id') == event.tag]
                # A delete frees the ports after destroying the domain: nothing to unplug.
                if instance['task_state'] != TaskState.DELETING:
                    self._unplug(instance, gone[0])
        elif event.name == 'power-update' and event.tag is not None:
            power_state, vm_state = _POWER[event.tag]
            idle = (instance['task_state'] is None
                    and instance['vm_state'] in (VmState.ACTIVE, VmState.STOPPED))
            values: dict[str, Any] = {'power_state': power_state}
            if idle:
                values['vm_state'] = vm_state
            self._instances.update(instance['id'], **values)

    def _unplug(self, instance: dict[str, Any], vif: dict[str, Any]) -> None:
        """Unplug a deleted port's NIC from the guest (best effort: logged)."""
        if self._compute is None or not vif.get('mac_address'):
            return
        try:
            self._compute.detach_interface(nl_context.get_admin_context(), instance['host'],
                                           instance_id=instance['id'],
                                           mac_address=vif['mac_address'])
        except Exception as exc:
            LOG.warning('Could not unplug the deleted port %s from %s: %s',
                        vif.get('port_id'), instance['id'], exc)

    def refreshed_network_info(self, ctx: nl_context.RequestContext,
                               instance: dict[str, Any]) -> list[dict[str, Any]]:
        """The instance's ports as network_info, in the order it had them (new ones last)."""
        ports = self._networks.list_ports(ctx, device_id=instance['id'])
        known = [vif.get('port_id') for vif in instance['network_info']]
        ports.sort(key=lambda port: (known.index(port['id']) if port['id'] in known
                                     else len(known), port['id']))
        names: dict[str, str] = {}
        network_info = []
        for port in ports:
            if port['network_id'] not in names:
                try:
                    names[port['network_id']] = self._networks.get_network(
                        ctx, port['network_id'])['name']
                except exception.NotFound:
                    names[port['network_id']] = ''
            # What compute alone knows of a port (its tag, whether it is the
            # user's) is kept.
            extras = next(({key: vif[key] for key in _KEPT if key in vif}
                           for vif in instance['network_info']
                           if vif.get('port_id') == port['id']), {})
            network_info.append({'port_id': port['id'], 'mac_address': port['mac_address'],
                                 'fixed_ips': port['fixed_ips'],
                                 'network_id': port['network_id'],
                                 'network_name': names[port['network_id']], **extras})
        return network_info
