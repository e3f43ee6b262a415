"""/servers/{id}/os-interface on the embedded cloud (fake driver): list and show, attach
by network, by fixed IP and by port, detach (a port nova made is deleted, the user's only
unbound), the refusals, the 2.49/2.70 tag, and delete after attach (no orphan port)."""

from __future__ import annotations

import time
from typing import Any

from nova_lite.compute.rest import api_version
from nova_lite.compute.rest import version_changes as changes
from tests.unit.compute_rest.conftest import ComputeEnv

MISSING = '00000000-0000-0000-0000-000000000000'


def _at(version: api_version.Version) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {api_version.text(version)}'}


def _networks(compute: ComputeEnv) -> Any:
    return compute.cloud.services.networks


def _ports(compute: ComputeEnv, server_id: str) -> list[dict[str, Any]]:
    return list(_networks(compute).list_ports(compute.env.ctx, device_id=server_id))


def _domain_xml(compute: ComputeEnv, server_id: str) -> str:
    [host] = compute.cloud.compute_hosts
    return str(host.manager.driver._domain(server_id).xml)


def _wait_interfaces(compute: ComputeEnv, server_id: str,
                     count: int) -> list[dict[str, Any]]:
    """The server's interfaces once it has ``count`` (in the network service and in
    its network_info) and every attach is finished (its port ACTIVE; the boot's
    port is never reported up: no agent runs here)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        listed = compute.admin.get(f'/servers/{server_id}/os-interface').json
        attachments = listed['interfaceAttachments']
        vifs = compute.cloud.services.instances.get(server_id)['network_info']
        booted = {vif['port_id'] for vif in vifs if 'preserve_on_delete' not in vif}
        if (len(attachments) == count == len(vifs)
                and all(a['port_state'] == 'ACTIVE' for a in attachments
                        if a['port_id'] not in booted)):
            return list(attachments)
        time.sleep(0.02)
    raise AssertionError(f'{server_id} has not {count} interfaces: {attachments}')


def _attach(compute: ComputeEnv, server_id: str, headers: dict[str, str] | None = None,
            **fields: Any) -> Any:
    return compute.admin.post(f'/servers/{server_id}/os-interface',
                              {'interfaceAttachment': fields}, headers=headers)


def test_attach_list_show_and_detach(compute: ComputeEnv) -> None:
    server = compute.boot('nics', with_volume=False)
    server_id = server['id']
    network_id = compute.env.network['id']
    [boot_nic] = compute.admin.get(f'/servers/{server_id}/os-interface').json[
        'interfaceAttachments']
    assert boot_nic['net_id'] == network_id and boot_nic['fixed_ips'][0]['subnet_id']
    assert set(boot_nic) == {'net_id', 'port_id', 'mac_addr', 'port_state', 'fixed_ips'}

    # By network: nova makes the port.
    made = _attach(compute, server_id, net_id=network_id)
    assert made.status_int == 200, made.text
    made_port = made.json['interfaceAttachment']
    assert made_port['net_id'] == network_id and made_port['port_id']
    # By port: the user's own port.
    own = _networks(compute).create_port(compute.env.ctx, network_id=network_id)
    by_port = _attach(compute, server_id, port_id=own['id'])
    assert by_port.status_int == 200, by_port.text
    assert by_port.json['interfaceAttachment']['mac_addr'] == own['mac_address']
    # By fixed IP.
    fixed = _attach(compute, server_id, net_id=network_id,
                    fixed_ips=[{'ip_address': '10.0.0.77'}])
    assert fixed.status_int == 200, fixed.text
    assert fixed.json['interfaceAttachment']['fixed_ips'][0]['ip_address'] == '10.0.0.77'

    attachments = _wait_interfaces(compute, server_id, 4)
    assert {a['port_id'] for a in attachments} >= {made_port['port_id'], own['id']}
    xml = _domain_xml(compute, server_id)
    assert own['mac_address'] in xml and made_port['mac_addr'] in xml
    shown = compute.reader.get(f'/servers/{server_id}/os-interface/{own["id"]}')
    assert shown.status_int == 200 and shown.json['interfaceAttachment']['port_id'] == own['id']
    port = _networks(compute).get_port(compute.env.ctx, own['id'])
    assert (port['device_id'], port['binding:host_id']) == (server_id, 'host1')
    assert port['device_owner'].startswith('compute:')
    # The server's addresses include the new NICs.
    addresses = compute.admin.get(f'/servers/{server_id}').json['server']['addresses']
    assert '10.0.0.77' in [a['addr'] for entries in addresses.values() for a in entries]

    # Detach both: the port nova made is deleted, the user's only unbound.
    for port_id in (made_port['port_id'], own['id']):
        gone = compute.admin.delete(f'/servers/{server_id}/os-interface/{port_id}')
        assert gone.status_int == 202, gone.text
    _wait_interfaces(compute, server_id, 2)
    assert own['mac_address'] not in _domain_xml(compute, server_id)
    kept = _networks(compute).get_port(compute.env.ctx, own['id'])
    assert (kept['device_id'], kept['device_owner'], kept['binding:host_id']) == ('', '', '')
    assert made_port['port_id'] not in [p['id'] for p in
                                        _networks(compute).list_ports(compute.env.ctx)]
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    names = [a['action'] for a in actions['instanceActions']]
    assert names.count('attach_interface') == 3 and names.count('detach_interface') == 2

    # A user's port attached later survives the server's delete, unbound.
    again = _attach(compute, server_id, port_id=own['id'])
    assert again.status_int == 200, again.text
    _wait_interfaces(compute, server_id, 3)
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204
    compute.wait_gone(server_id)
    survivor = _networks(compute).get_port(compute.env.ctx, own['id'])
    assert survivor['device_id'] == ''
    assert _ports(compute, server_id) == []  # nothing else left behind


def test_refusals(compute: ComputeEnv) -> None:
    server_id = compute.boot('nics-refused', with_volume=False)['id']
    network_id = compute.env.network['id']
    path = f'/servers/{server_id}/os-interface'
    assert _attach(compute, server_id, net_id=MISSING).status_int == 404
    assert _attach(compute, server_id, port_id=MISSING).status_int == 404
    both = _attach(compute, server_id, net_id=network_id, port_id=MISSING)
    assert both.status_int == 400 and 'both' in both.text
    no_net = _attach(compute, server_id, fixed_ips=[{'ip_address': '10.0.0.9'}])
    assert no_net.status_int == 400 and 'network_id' in no_net.text
    not_ip = _attach(compute, server_id, net_id=network_id,
                     fixed_ips=[{'ip_address': '999.1.1.1'}])
    assert not_ip.status_int == 400 and 'ip_address' in not_ip.text
    outside = _attach(compute, server_id, net_id=network_id,
                      fixed_ips=[{'ip_address': '192.0.2.10'}])
    assert outside.status_int == 400, outside.text
    bad = _attach(compute, server_id, net_id='not-a-uuid')
    assert bad.status_int == 400 and 'net_id' in bad.text
    extra = _attach(compute, server_id, bogus=1)
    assert extra.status_int == 400
    # A port in use (the boot's) is 409; an IP in use is 409.
    [boot_port] = _ports(compute, server_id)
    in_use = _attach(compute, server_id, port_id=boot_port['id'])
    assert in_use.status_int == 409, in_use.text
    taken = boot_port['fixed_ips'][0]['ip_address']
    ip_in_use = _attach(compute, server_id, net_id=network_id,
                        fixed_ips=[{'ip_address': taken}])
    assert ip_in_use.status_int == 409, ip_in_use.text
    # Detaching a port that is not the server's, or showing it, is 404.
    stranger = _networks(compute).create_port(compute.env.ctx, network_id=network_id)
    assert compute.admin.delete(f'{path}/{stranger["id"]}').status_int == 404
    assert compute.admin.get(f'{path}/{stranger["id"]}').status_int == 404
    assert compute.admin.get(f'{path}/{MISSING}').status_int == 404
    # Another project's member sees no server; a reader may not attach.
    assert compute.member.get(path).status_int == 404
    assert compute.reader.post(path, {'interfaceAttachment': {}}).status_int == 403
    # No network named: the one the project can use.
    auto = _attach(compute, server_id)
    assert auto.status_int == 200, auto.text
    assert auto.json['interfaceAttachment']['net_id'] == network_id
    # Nothing was left by the refusals: the boot's port and the automatic one.
    _wait_interfaces(compute, server_id, 2)
    assert len(_ports(compute, server_id)) == 2


def test_a_stopped_server_takes_an_interface_an_error_one_is_409(compute: ComputeEnv) -> None:
    server_id = compute.boot('nics-state', with_volume=False)['id']
    network_id = compute.env.network['id']
    assert compute.admin.action(server_id, {'os-stop': None}).status_int == 202
    compute.wait(server_id, status='SHUTOFF')
    assert _attach(compute, server_id, net_id=network_id).status_int == 200
    _wait_interfaces(compute, server_id, 2)
    compute.cloud.services.instances.update(server_id, vm_state='error')
    refused = _attach(compute, server_id, net_id=network_id)
    assert refused.status_int == 409, refused.text
    assert len(_ports(compute, server_id)) == 2  # no port made for the refusal


def test_interface_tag_by_version(compute: ComputeEnv) -> None:
    server_id = compute.boot('nics-tags', with_volume=False)['id']
    network_id = compute.env.network['id']
    below = _attach(compute, server_id, _at((2, 48)), net_id=network_id, tag='t')
    assert below.status_int == 400 and 'tag' in below.text
    tagged = _attach(compute, server_id, _at(changes.INTERFACE_ATTACH_TAG), net_id=network_id,
                     tag='t')
    assert tagged.status_int == 200, tagged.text
    assert 'tag' not in tagged.json['interfaceAttachment']
    shown = _attach(compute, server_id, _at(changes.INTERFACE_TAG_SHOWN), net_id=network_id,
                    tag='t2')
    assert shown.json['interfaceAttachment']['tag'] == 't2'
    _wait_interfaces(compute, server_id, 3)
    listed = compute.admin.get(f'/servers/{server_id}/os-interface',
                               headers=_at(changes.INTERFACE_TAG_SHOWN)).json
    assert sorted(str(a['tag']) for a in listed['interfaceAttachments']) == ['None', 't', 't2']
    below_list = compute.admin.get(f'/servers/{server_id}/os-interface',
                                   headers=_at((2, 69))).json
    assert all('tag' not in a for a in below_list['interfaceAttachments'])
