"""Network API: every kind of bad request is a 4xx naming the field, and writes nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from tests.unit.network_rest.conftest import NetworkApi, neutron_error

UNKNOWN = str(uuid.uuid4())
Case = tuple[Any, int, str | None]  # body, status, text the message must contain


def _check(api: NetworkApi, counts: Callable[[], dict[str, int]], method: str, path: str,
           cases: list[Case], snapshot: Callable[[], Any] = lambda: None) -> None:
    """Each case answers its status with a NeutronError, and changes no row."""
    before, state = counts(), snapshot()
    for body, status, text in cases:
        if isinstance(body, bytes):
            response = api.call(method, path, raw=body)
        else:
            response = api.call(method, path, body)
        label = f'{method} {path} {str(body)[:80]}'
        assert response.status_int == status, (label, response.body[:300])
        error = neutron_error(response)
        if text is not None:
            assert text in error['message'], (label, error)
        assert counts() == before, label
        assert snapshot() == state, label


def test_network_bodies(api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    def net(**fields: Any) -> dict[str, Any]:
        return {'network': {'name': 'x', **fields}}

    cases: list[Case] = [
        (b'{"network": {', 400, 'malformed JSON'),
        (b'', 400, '<body>'),
        ({}, 400, "'network'"),
        ({'net': {}}, 400, "'network'"),
        ({'network': {}, 'net': {}}, 400, "'net'"),
        ({'network': []}, 400, "'network'"),
        ([], 400, "'network'"),
        (net(bogus=1), 400, "'network.bogus'"),
        (net(id=UNKNOWN), 400, "'network.id'"),
        (net(name=5), 400, "'network.name'"),
        (net(name='n' * 256), 400, "'network.name'"),
        (net(admin_state_up='yes'), 400, "'network.admin_state_up'"),
        (net(shared='true'), 400, "'network.shared'"),
        (net(mtu=-1), 400, "'network.mtu'"),
        (net(mtu=67), 400, "'network.mtu'"),
        (net(mtu=10 ** 12), 400, "'network.mtu'"),
        (net(mtu='15x'), 400, "'network.mtu'"),
        (net(mtu='99999'), 400, "'mtu'"),
        (net(mtu=1500.5), 400, "'network.mtu'"),
        (net(description='d' * 256), 400, "'network.description'"),
        (net(description=7), 400, "'network.description'"),
        (net(port_security_enabled=False), 400, "'network.port_security_enabled'"),
        (net(**{'router:external': 'yes'}), 400, "'network.router:external'"),
        (net(project_id=''), 400, "'network.project_id'"),
        (net(project_id='a', tenant_id='b'), 400, "'tenant_id'"),
    ]
    _check(api, counts, 'POST', '/v2.0/networks', cases)

    too_big = json.dumps(net(name='n' * (2 * 1024 * 1024))).encode()
    assert api.call('POST', '/v2.0/networks', raw=too_big).status_int == 413
    wrong_type = api.call('POST', '/v2.0/networks', raw=json.dumps(net()).encode(),
                          content_type='text/plain')
    assert wrong_type.status_int == 415
    assert api.get('/v2.0/networks?limit=many').status_int == 400

    network_id = api.env.network['id']
    path = f'/v2.0/networks/{network_id}'
    shown = lambda: api.get(path).json  # noqa: E731
    _check(api, counts, 'PUT', path, [
        ({'network': {'mtu': -5}}, 400, "'network.mtu'"),
        ({'network': {'name': 7}}, 400, "'network.name'"),
        ({'network': {'status': 'DOWN'}}, 400, "'network.status'"),
        ({'network': {'project_id': 'p'}}, 400, "'network.project_id'"),
        ({'name': 'flat'}, 400, "'network'"),
        (b'not json', 400, 'malformed JSON'),
    ], shown)
    for method in ('GET', 'PUT', 'DELETE'):
        for bad in ('net', UNKNOWN, 'x' * 300):
            body = {'network': {'name': 'y'}} if method == 'PUT' else None
            response = api.call(method, f'/v2.0/networks/{bad}', body)
            assert response.status_int == 404, (method, bad)
            assert neutron_error(response)['type'] == 'NetworkNotFound'


def test_subnet_bodies(api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    network_id = api.post('/v2.0/networks', {'network': {'name': 's'}}).json['network']['id']

    def sub(**fields: Any) -> dict[str, Any]:
        return {'subnet': {'network_id': network_id, 'cidr': '10.5.0.0/24', **fields}}

    def without(key: str) -> dict[str, Any]:
        body = sub()
        del body['subnet'][key]
        return body

    cases: list[Case] = [
        (sub(cidr='banana'), 400, "'cidr'"),
        (sub(cidr='10.5.0.5/24'), 400, 'host bits'),
        (sub(cidr='10.5.0.0/33'), 400, "'cidr'"),
        (sub(cidr='10.5.0.0/32'), 400, "'cidr'"),
        (sub(cidr=10), 400, "'subnet.cidr'"),
        (sub(ip_version=5), 400, "'subnet.ip_version'"),
        (sub(ip_version='four'), 400, "'subnet.ip_version'"),
        (sub(ip_version=6), 400, "'ip_version'"),
        (without('cidr'), 400, "'subnet.cidr'"),
        (without('network_id'), 400, "'subnet.network_id'"),
        (sub(network_id='not-a-uuid'), 400, "'subnet.network_id'"),
        (sub(network_id=UNKNOWN), 404, UNKNOWN),
        (sub(gateway_ip='10.6.0.1'), 400, "'gateway_ip'"),
        (sub(gateway_ip='10.5.0.0'), 400, "'gateway_ip'"),
        (sub(gateway_ip='gw'), 400, "'gateway_ip'"),
        (sub(allocation_pools=[]), 400, "'subnet.allocation_pools'"),
        (sub(allocation_pools=[{'start': '10.5.0.9', 'end': '10.5.0.3'}]), 400,
         "'allocation_pools.0'"),
        (sub(allocation_pools=[{'start': '10.5.0.2', 'end': '10.6.0.3'}]), 400,
         "'allocation_pools.0.end'"),
        (sub(allocation_pools=[{'start': '10.5.0.1', 'end': '10.5.0.3'}]), 400,
         'gateway'),
        (sub(allocation_pools=[{'start': '10.5.0.2'}]), 400,
         "'subnet.allocation_pools.0.end'"),
        (sub(dns_nameservers=['dns']), 400, "'dns_nameservers.0'"),
        (sub(dns_nameservers=[f'192.0.2.{i}' for i in range(6)]), 400,
         "'subnet.dns_nameservers'"),
        (sub(host_routes=[{'destination': '10.9.0.1/24', 'nexthop': '10.5.0.1'}]), 400,
         "'host_routes.0.destination'"),
        (sub(host_routes=[{'destination': '10.9.0.0/24', 'nexthop': '2001:db8::1'}]), 400,
         "'host_routes.0.nexthop'"),
        (sub(host_routes=[{'destination': '10.9.0.0/24'}]), 400,
         "'subnet.host_routes.0.nexthop'"),
        (sub(subnetpool_id=UNKNOWN), 404, f'Subnet pool {UNKNOWN} could not be found'),
        (sub(subnetpool_id=7), 400, "'subnet.subnetpool_id'"),
        (sub(extra=True), 400, "'subnet.extra'"),
        (sub(project_id='someone-else'), 400, "'project_id'"),
        (sub(network_id=api.env.network['id'], cidr='10.0.0.0/16'), 400,
         'overlaps with another subnet'),
    ]
    _check(api, counts, 'POST', '/v2.0/subnets', cases)

    path = f"/v2.0/subnets/{api.env.subnet['id']}"
    shown = lambda: api.get(path).json  # noqa: E731
    _check(api, counts, 'PUT', path, [
        ({'subnet': {'cidr': '10.0.0.0/25'}}, 400, "'subnet.cidr'"),
        ({'subnet': {'gateway_ip': '10.9.9.9'}}, 400, "'gateway_ip'"),
        ({'subnet': {'gateway_ip': '10.0.0.9'}}, 409, 'allocation pool'),
        ({'subnet': {'dns_nameservers': 'x'}}, 400, "'subnet.dns_nameservers'"),
        ({'subnet': {'dns_nameservers': ['1.1.1.1', '1.1.1.1']}}, 400,
         "'dns_nameservers.1'"),
        ({'subnet': {'allocation_pools': [{'start': '10.1.0.2', 'end': '10.1.0.3'}]}}, 400,
         "'allocation_pools.0.start'"),
        ({'subnet': {'enable_dhcp': 1}}, 400, "'subnet.enable_dhcp'"),
    ], shown)
    assert api.delete('/v2.0/subnets/not-an-id').status_int == 404


def test_port_bodies(api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    network_id, subnet_id = api.env.network['id'], api.env.subnet['id']
    taken = api.post('/v2.0/ports', {'port': {'network_id': network_id}}).json['port']

    def port(**fields: Any) -> dict[str, Any]:
        return {'port': {'network_id': network_id, **fields}}

    cases: list[Case] = [
        ({'port': {}}, 400, "'port.network_id'"),
        (port(network_id='abc'), 400, "'port.network_id'"),
        (port(network_id=UNKNOWN), 404, UNKNOWN),
        (port(fixed_ips={'ip_address': '10.0.0.5'}), 400, "'port.fixed_ips'"),
        (port(fixed_ips=[{'ip_address': 'ten'}]), 400, "'fixed_ips.0.ip_address'"),
        (port(fixed_ips=[{'ip_address': '10.9.9.9'}]), 400, "'fixed_ips.0.ip_address'"),
        (port(fixed_ips=[{'ip_address': '10.0.0.1'}]), 400, 'gateway'),
        (port(fixed_ips=[{'ip_address': '10.0.0.255'}]), 400, 'broadcast'),
        (port(fixed_ips=[{'subnet_id': 'sub'}]), 400, "'port.fixed_ips.0.subnet_id'"),
        (port(fixed_ips=[{'subnet_id': UNKNOWN}]), 400, "'fixed_ips.0.subnet_id'"),
        (port(fixed_ips=[{'subnet_id': subnet_id, 'cidr': 'x'}]), 400,
         "'port.fixed_ips.0.cidr'"),
        (port(fixed_ips=[{}]), 400, "'fixed_ips.0'"),
        (port(fixed_ips=taken['fixed_ips']), 409, taken['fixed_ips'][0]['ip_address']),
        (port(mac_address='zz:zz'), 400, "'mac_address'"),
        (port(mac_address=taken['mac_address']), 409, taken['mac_address']),
        (port(device_id='d' * 256), 400, "'port.device_id'"),
        (port(name=None), 400, "'port.name'"),
        (port(admin_state_up='no'), 400, "'port.admin_state_up'"),
        (port(security_groups=['web']), 400, "'port.security_groups.0'"),
        (port(**{'binding:vnic_type': 'direct'}), 400, "'port.binding:vnic_type'"),
        (port(allowed_address_pairs=[{'ip_address': 'ten'}]), 400,
         "'allowed_address_pairs.0.ip_address'"),
        (port(allowed_address_pairs=[{'mac_address': 'fa:16:3e:00:00:01'}]), 400,
         "'port.allowed_address_pairs.0.ip_address'"),
        (port(extra_dhcp_opts=[{'opt_value': 'x'}]), 400,
         "'port.extra_dhcp_opts.0.opt_name'"),
        (port(status='ACTIVE'), 400, "'port.status'"),
    ]
    _check(api, counts, 'POST', '/v2.0/ports', cases)

    path = f"/v2.0/ports/{taken['id']}"
    shown = lambda: api.get(path).json  # noqa: E731
    _check(api, counts, 'PUT', path, [
        ({'port': {'fixed_ips': {'ip_address': '10.0.0.5'}}}, 400, "'port.fixed_ips'"),
        ({'port': {'fixed_ips': [{'ip_address': 'ten'}]}}, 400, "'fixed_ips.0.ip_address'"),
        ({'port': {'mac_address': 'fa:16:3e:00:00:01'}}, 400, "'port.mac_address'"),
        ({'port': {'network_id': network_id}}, 400, "'port.network_id'"),
        ({'port': {'name': 'n' * 300}}, 400, "'port.name'"),
        ({'port': {'device_owner': ['compute:nova']}}, 400, "'port.device_owner'"),
    ], shown)
    assert api.put(f'/v2.0/ports/{UNKNOWN}', {'port': {'name': 'x'}}).status_int == 404
