"""The events a port change sends to compute, and the sender that posts them."""

from __future__ import annotations

import threading
from typing import Any

from nova_lite.clients import compute_events
from nova_lite.common import context as nl_context
from nova_lite.network import compute_notifier
from nova_lite.network import manager as network_manager

SERVER = '11111111-2222-3333-4444-555555555555'


def _port(**changes: Any) -> dict[str, Any]:
    port = {'id': 'p1', 'device_owner': 'compute:nova', 'device_id': SERVER,
            'status': 'DOWN', 'mac_address': 'fa:16:3e:00:00:01',
            'fixed_ips': [{'subnet_id': 's1', 'ip_address': '10.0.0.5'}]}
    port.update(changes)
    return port


def _names(events: list[dict[str, Any]]) -> list[str]:
    assert all(e['server_uuid'] == SERVER and e['tag'] == 'p1' for e in events)
    return [e['name'] for e in events]


def test_the_events_of_each_change() -> None:
    assert _names(compute_notifier.port_events(_port(), None)) == ['network-vif-deleted']
    assert _names(compute_notifier.port_events(
        _port(), _port(status='ACTIVE'))) == ['network-vif-plugged']
    assert _names(compute_notifier.port_events(
        _port(status='ACTIVE'), _port(status='DOWN'))) == ['network-vif-unplugged']
    moved = _port(fixed_ips=[{'subnet_id': 's1', 'ip_address': '10.0.0.6'}])
    assert _names(compute_notifier.port_events(_port(), moved)) == ['network-changed']
    # Nothing for ports of no server, a port handed to a server, or a no-op.
    loose = _port(device_owner='', device_id='')
    assert compute_notifier.port_events(loose, None) == []
    assert compute_notifier.port_events(loose, _port()) == []
    assert compute_notifier.port_events(_port(), _port(name='renamed')) == []
    assert compute_notifier.port_events(
        _port(device_owner='network:router_interface'), None) == []


def test_network_changed_for_a_floating_ip_change() -> None:
    sent: list[list[dict[str, Any]]] = []

    class Sink:
        def send(self, events: list[dict[str, Any]]) -> None:
            sent.append(events)

    compute_notifier.network_changed(Sink(), _port())
    compute_notifier.network_changed(Sink(), _port(device_owner='', device_id=''))
    compute_notifier.network_changed(None, _port())
    assert [_names(events) for events in sent] == [['network-changed']]


class Recorder:
    def __init__(self, status: int = 200) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.status = status

    def __call__(self, body: dict[str, Any]) -> tuple[int, Any]:
        self.bodies.append(body)
        return self.status, {'events': [{**e, 'code': 200} for e in body['events']]}


def test_the_manager_tells_the_sink_after_each_committed_change(
        networks: network_manager.NetworkManager, member_ctx: nl_context.RequestContext) -> None:
    ctx = member_ctx
    recorder = Recorder()
    client = compute_events.ComputeEventsClient(recorder)
    networks.compute_events = client
    network = networks.create_network(ctx, name='n')
    networks.create_subnet(ctx, network_id=network['id'], cidr='10.9.0.0/24')
    port = networks.create_port(ctx, network_id=network['id'], device_id=SERVER,
                                device_owner='compute:nova')
    networks.update_port(ctx, port['id'], status='ACTIVE')
    networks.update_port(ctx, port['id'], name='no event')
    networks.delete_port(ctx, port['id'])
    loose = networks.create_port(ctx, network_id=network['id'])
    networks.delete_port(ctx, loose['id'])
    assert client.flush()
    sent = [(e['name'], e['tag']) for body in recorder.bodies for e in body['events']]
    assert sent == [('network-vif-plugged', port['id']), ('network-vif-deleted', port['id'])]
    assert client.sent == 2
    client.close()


def test_the_sender_never_raises_and_keeps_going() -> None:
    calls: list[int] = []
    release = threading.Event()

    def flaky(body: dict[str, Any]) -> tuple[int, Any]:
        calls.append(len(body['events']))
        if len(calls) == 1:
            release.wait(5)
            raise OSError('compute unreachable')
        return 404, {'itemNotFound': {'message': 'No instances found for any event.'}}

    client = compute_events.ComputeEventsClient(flaky)
    client.send([{'server_uuid': SERVER, 'name': 'network-changed'}])
    client.send([{'server_uuid': SERVER, 'name': 'network-changed'}] * 3)  # queued meanwhile
    release.set()
    assert client.flush()
    assert calls == [1, 3]  # the queued ones go as one batch after the failure
    assert client.sent == 0
    client.close()
