"""Interface attach and detach through the compute REST API on the libvirt driver
(``test:///default``): the NIC is read from libvirt's own definition of the domain."""

from __future__ import annotations

import time
from typing import Any

import libvirt

from tests.functional.test_server_actions import _client, _domain


def _nic_macs(domain: libvirt.virDomain) -> str:
    return str(domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))


def _wait_vifs(env: Any, server_id: str, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while True:
        vifs = env.cloud.instances.get(server_id)['network_info']
        if len(vifs) == count:
            return list(vifs)
        assert time.monotonic() < deadline, vifs
        time.sleep(0.02)


def test_attach_and_detach_an_interface_on_libvirt(make_env):
    env = make_env(hosts=['host1'], virt_driver='libvirt')
    call = _client(env)
    server_id = env.boot(with_volume=False)['id']
    domain = _domain(env, server_id)

    response = call('POST', f'/servers/{server_id}/os-interface',
                    {'interfaceAttachment': {'net_id': env.network['id']}})
    assert response.status_int == 200, response.text
    attachment = response.json['interfaceAttachment']
    _wait_vifs(env, server_id, 2)
    assert attachment['mac_addr'] in _nic_macs(domain)
    assert domain.isActive()
    listed = call('GET', f'/servers/{server_id}/os-interface').json['interfaceAttachments']
    assert {a['port_id'] for a in listed} >= {attachment['port_id']}

    gone = call('DELETE', f'/servers/{server_id}/os-interface/{attachment["port_id"]}')
    assert gone.status_int == 202, gone.text
    _wait_vifs(env, server_id, 1)
    assert attachment['mac_addr'] not in _nic_macs(domain)

    assert call('DELETE', f'/servers/{server_id}').status_int == 204
    deadline = time.monotonic() + 30
    while call('GET', f'/servers/{server_id}').status_int != 404:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert env.leftovers(server_id).total() == 0
