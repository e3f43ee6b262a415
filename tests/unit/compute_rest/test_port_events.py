"""The network service tells compute of its servers' port changes through
os-server-external-events: the real network manager, a ComputeEventsClient whose
transport is the compute REST app (as the admin, in process), and what compute does."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from nova_lite.clients import compute_events
from tests.unit.compute_rest.conftest import ComputeEnv


@pytest.fixture
def sender(compute: ComputeEnv) -> Iterator[compute_events.ComputeEventsClient]:
    def post(body: dict[str, Any]) -> tuple[int, Any]:
        response = compute.admin.post('/os-server-external-events', body)
        return response.status_int, response.json

    client = compute_events.ComputeEventsClient(post)
    networks = compute.cloud.services.networks
    networks.compute_events = client
    yield client
    networks.compute_events = None
    client.close()


def _vif_ports(compute: ComputeEnv, server_id: str) -> list[str]:
    return [vif['port_id'] for vif in
            compute.cloud.services.instances.get(server_id)['network_info']]


def _wait(condition: Any, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(what)


def _domain_xml(compute: ComputeEnv, server_id: str) -> str:
    [host] = compute.cloud.compute_hosts
    return str(host.manager.driver._domain(server_id).xml)


def test_a_port_deleted_in_the_network_service_leaves_the_server(
        compute: ComputeEnv, sender: compute_events.ComputeEventsClient) -> None:
    server_id = compute.boot('evented-nics', with_volume=False)['id']
    network_id = compute.env.network['id']
    attached = compute.admin.post(f'/servers/{server_id}/os-interface',
                                  {'interfaceAttachment': {'net_id': network_id}})
    assert attached.status_int == 200, attached.text
    port = attached.json['interfaceAttachment']
    _wait(lambda: len(_vif_ports(compute, server_id)) == 2, 'attach not recorded')
    assert sender.flush()
    assert sender.sent >= 1  # network-vif-plugged, when the port went ACTIVE
    assert port['mac_addr'] in _domain_xml(compute, server_id)

    # The user deletes the port behind compute's back (neutron port-delete).
    compute.cloud.services.networks.delete_port(compute.env.ctx, port['port_id'])
    assert sender.flush()
    _wait(lambda: port['port_id'] not in _vif_ports(compute, server_id),
          'network-vif-deleted did not drop the port')
    assert port['mac_addr'] not in _domain_xml(compute, server_id)  # unplugged too
    addresses = compute.admin.get(f'/servers/{server_id}').json['server']['addresses']
    assert port['fixed_ips'][0]['ip_address'] not in [
        a['addr'] for entries in addresses.values() for a in entries]


def test_network_changed_keeps_what_compute_alone_knows(compute: ComputeEnv) -> None:
    server_id = compute.boot('evented-tags', with_volume=False)['id']
    own = compute.cloud.services.networks.create_port(compute.env.ctx,
                                                      network_id=compute.env.network['id'])
    attached = compute.admin.post(f'/servers/{server_id}/os-interface',
                                  {'interfaceAttachment': {'port_id': own['id'], 'tag': 'x'}},
                                  headers={'OpenStack-API-Version': 'compute 2.70'})
    assert attached.status_int == 200, attached.text
    _wait(lambda: len(_vif_ports(compute, server_id)) == 2, 'attach not recorded')
    answer = compute.admin.post('/os-server-external-events', {'events': [
        {'name': 'network-changed', 'server_uuid': server_id, 'tag': own['id']}]})
    assert answer.status_int == 200, answer.text
    [vif] = [v for v in compute.cloud.services.instances.get(server_id)['network_info']
             if v['port_id'] == own['id']]
    assert (vif['tag'], vif['preserve_on_delete']) == ('x', True)
