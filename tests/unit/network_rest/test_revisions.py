"""standard-attr-revisions and revision-if-match over the network REST API: a
resource starts at revision 0 and goes up once per request that changes it;
``If-Match: revision_number=N`` on PUT and DELETE is a 412 when it is stale."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.network_rest.conftest import NetworkApi, neutron_error
from tests.unit.network_rest.test_l3 import Layout, _post


@pytest.fixture
def layout(api: NetworkApi) -> Layout:
    return Layout(api)


def _revision(api: NetworkApi, path: str, key: str, token: str | None = None) -> int:
    response = api.get(f'/v2.0/{path}', token=token)
    assert response.status_int == 200, response.body
    return int(response.json[key]['revision_number'])


def _put(api: NetworkApi, path: str, key: str, body: dict[str, Any], *,
         token: str | None = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = api.put(f'/v2.0/{path}', {key: body}, token=token, headers=headers)
    assert response.status_int == 200, response.body
    return response.json[key]


def test_network_subnet_port_and_group_revisions(api: NetworkApi) -> None:
    net = _post(api, 'networks', 'network', {'name': 'rev'})
    assert net['revision_number'] == 0
    path = f"networks/{net['id']}"
    assert _put(api, path, 'network', {'name': 'rev2'})['revision_number'] == 1
    assert _put(api, path, 'network', {'name': 'rev2'})['revision_number'] == 1  # no change
    assert _put(api, path, 'network', {'description': 'd'})['revision_number'] == 2
    subnet = _post(api, 'subnets', 'subnet', {'network_id': net['id'], 'cidr': '10.9.0.0/24'})
    assert subnet['revision_number'] == 0
    assert _revision(api, path, 'network') == 3  # its subnets changed
    spath = f"subnets/{subnet['id']}"
    assert _put(api, spath, 'subnet', {'allocation_pools': [
        {'start': '10.9.0.10', 'end': '10.9.0.20'}]})['revision_number'] == 1
    assert _put(api, spath, 'subnet', {'description': 'x'})['revision_number'] == 2
    assert _revision(api, path, 'network') == 3  # a subnet's own change is not the network's

    port = _post(api, 'ports', 'port', {'network_id': net['id']})
    assert port['revision_number'] == 0
    ppath = f"ports/{port['id']}"
    assert _put(api, ppath, 'port', {'name': 'p'})['revision_number'] == 1
    assert _put(api, ppath, 'port', {'fixed_ips': [
        {'subnet_id': subnet['id'], 'ip_address': '10.9.0.15'}]})['revision_number'] == 2
    assert _put(api, ppath, 'port', {'security_groups': []})['revision_number'] == 3
    assert _put(api, ppath, 'port', {'allowed_address_pairs': [
        {'ip_address': '10.9.0.99'}]})['revision_number'] == 4
    assert _put(api, ppath, 'port', {'device_id': 'vm-1', 'device_owner': 'compute:nova'},
                )['revision_number'] == 5
    listed = api.get(f"/v2.0/ports?id={port['id']}").json['ports']
    assert listed[0]['revision_number'] == 5
    # A security group counts its rules.
    group = _post(api, 'security-groups', 'security_group', {'name': 'web'})
    start = group['revision_number']
    path = f"security-groups/{group['id']}"
    rule = _post(api, 'security-group-rules', 'security_group_rule', {
        'security_group_id': group['id'], 'direction': 'ingress', 'protocol': 'tcp',
        'port_range_min': 80, 'port_range_max': 80})
    assert _revision(api, path, 'security_group') == start + 1
    assert api.delete(f"/v2.0/security-group-rules/{rule['id']}").status_int == 204
    assert _revision(api, path, 'security_group') == start + 2


def test_router_and_floating_ip_revisions(api: NetworkApi, layout: Layout) -> None:
    member, router = layout.member, layout.router
    rpath = f"routers/{router['id']}"
    assert router['revision_number'] == 0
    assert layout.add_interface(subnet_id=layout.private_subnet['id']).status_int == 200
    assert _revision(api, rpath, 'router', member) == 1
    port = layout.port()
    fip = _post(api, 'floatingips', 'floatingip', {
        'floating_network_id': layout.public['id'], 'port_id': port['id']}, token=member)
    assert fip['revision_number'] == 0
    fpath = f"floatingips/{fip['id']}"
    assert _put(api, fpath, 'floatingip', {'port_id': None},
                token=member)['revision_number'] == 1
    assert _put(api, fpath, 'floatingip', {'port_id': port['id']},
                token=member)['revision_number'] == 2
    # Deleting the port disassociates the floating IP: a change of the floating IP.
    assert api.delete(f"/v2.0/ports/{port['id']}", token=member).status_int == 204
    assert _revision(api, fpath, 'floatingip', member) == 3
    assert _put(api, rpath, 'router', {'name': 'r2'}, token=member)['revision_number'] == 2
    assert layout.remove_interface(subnet_id=layout.private_subnet['id']).status_int == 200
    assert _revision(api, rpath, 'router', member) == 3
    assert _put(api, rpath, 'router', {'external_gateway_info': {}},
                token=member)['revision_number'] == 4


def test_if_match_on_put_and_delete(api: NetworkApi) -> None:
    net = _post(api, 'networks', 'network', {'name': 'guarded'})
    path = f"/v2.0/networks/{net['id']}"
    stale = api.put(path, {'network': {'name': 'lost'}},
                    headers={'If-Match': 'revision_number=5'})
    assert stale.status_int == 412
    error = neutron_error(stale)
    assert error['type'] == 'RevisionNumberConstraintFailed'
    assert error['message'] == 'Constrained to 5, but current revision is 0'
    assert api.get(path).json['network']['name'] == 'guarded'
    # A PUT that would change nothing is still checked.
    assert api.put(path, {'network': {'name': 'guarded'}},
                   headers={'If-Match': 'revision_number=3'}).status_int == 412
    updated = api.put(path, {'network': {'name': 'kept'}},
                      headers={'If-Match': 'revision_number=0'})
    assert updated.status_int == 200 and updated.json['network']['revision_number'] == 1
    # Other entity tags are ignored; a malformed revision is a 400 naming the header.
    assert api.put(path, {'network': {'name': 'kept2'}},
                   headers={'If-Match': '"abc"'}).status_int == 200
    bad = api.put(path, {'network': {'name': 'x'}}, headers={'If-Match': 'revision_number=x'})
    assert bad.status_int == 400 and 'revision_number=<int>' in neutron_error(bad)['message']

    refused = api.delete(path, headers={'If-Match': 'revision_number=1'})
    assert refused.status_int == 412
    assert api.get(path).status_int == 200
    assert api.delete(path, headers={'If-Match': 'revision_number=2'}).status_int == 204
    assert api.get(path).status_int == 404
    # Ports and security group rules too.
    net = _post(api, 'networks', 'network', {'name': 'n'})
    port = _post(api, 'ports', 'port', {'network_id': net['id']})
    path = f"/v2.0/ports/{port['id']}"
    assert api.put(path, {'port': {'name': 'a'}},
                   headers={'If-Match': 'revision_number=1'}).status_int == 412
    assert api.put(path, {'port': {'name': 'a'}},
                   headers={'If-Match': 'revision_number=0'}).status_int == 200
    assert api.delete(path, headers={'If-Match': 'revision_number=0'}).status_int == 412
    assert api.delete(path, headers={'If-Match': 'revision_number=1'}).status_int == 204
    group = _post(api, 'security-groups', 'security_group', {'name': 'g'})
    rule = _post(api, 'security-group-rules', 'security_group_rule', {
        'security_group_id': group['id'], 'direction': 'ingress'})
    rpath = f"/v2.0/security-group-rules/{rule['id']}"
    wrong = rule['revision_number'] + 7
    assert api.delete(rpath, headers={'If-Match': f'revision_number={wrong}'}).status_int == 412
    assert api.delete(rpath, headers={
        'If-Match': f"revision_number={rule['revision_number']}"}).status_int == 204
