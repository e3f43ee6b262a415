"""What a port change means for compute: the os-server-external-events to send.

The network service tells compute of changes to the ports of its servers, as
neutron's nova notifier does (the sender, given to the manager, is
:class:`nova_lite.clients.compute_events.ComputeEventsClient`):

- ``network-vif-deleted`` (tag: the port): a port bound to a server was
  deleted, so compute drops it from the server's network_info;
- ``network-vif-plugged`` / ``network-vif-unplugged`` (tag: the port): a
  server's port went ACTIVE (its NIC is up on the host) or back DOWN;
- ``network-changed`` (tag: the port): a server's port changed its addresses
  or MAC, so compute reads the server's network info again.

A port is a server's when its device_owner is ``compute:<zone>`` and its
device_id names the server.
"""

from __future__ import annotations

from typing import Any, Protocol

from nova_lite.common.states import PortStatus

COMPUTE_OWNER_PREFIX = 'compute:'


class EventSink(Protocol):
    """Where the events go (sent in the background; never raises to the caller)."""

    def send(self, events: list[dict[str, Any]]) -> None:
        ...


def server_of(port: dict[str, Any] | None) -> str | None:
    """The server a port is bound to; None for other ports."""
    if not port or not str(port.get('device_owner') or '').startswith(COMPUTE_OWNER_PREFIX):
        return None
    return str(port.get('device_id') or '') or None


def _event(server: str, name: str, port: dict[str, Any]) -> dict[str, Any]:
    return {'server_uuid': server, 'name': name, 'status': 'completed', 'tag': port['id']}


def port_events(before: dict[str, Any] | None,
                after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The events one port change (None: created or deleted) means for compute."""
    if after is None:
        server = server_of(before)
        return [] if before is None or server is None else [
            _event(server, 'network-vif-deleted', before)]
    server = server_of(after)
    if server is None or before is None or server_of(before) != server:
        return []  # not a server's port, or it has just been handed to one
    events = []
    if before.get('status') != after.get('status'):
        if after.get('status') == PortStatus.ACTIVE:
            events.append(_event(server, 'network-vif-plugged', after))
        elif before.get('status') == PortStatus.ACTIVE:
            events.append(_event(server, 'network-vif-unplugged', after))
    if (before.get('fixed_ips') != after.get('fixed_ips')
            or before.get('mac_address') != after.get('mac_address')):
        events.append(_event(server, 'network-changed', after))
    return events


def tell_compute(sink: EventSink | None, before: dict[str, Any] | None,
                 after: dict[str, Any] | None) -> None:
    """Send the events of a port change (nothing without a sink or an event)."""
    if sink is None:
        return
    events = port_events(before, after)
    if events:
        sink.send(events)


def network_changed(sink: EventSink | None, port: dict[str, Any]) -> None:
    """Tell compute a server's port changed in a way its record does not show (a
    floating IP associated with or taken from it, as neutron sends)."""
    server = server_of(port)
    if sink is not None and server is not None:
        sink.send([_event(server, 'network-changed', port)])
