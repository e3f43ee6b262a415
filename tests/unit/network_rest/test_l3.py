"""Network API: external networks, routers (gateway, interfaces, extra routes) and
floating IPs, end to end over the REST API."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from nova_lite.db.models import network as models
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.network.rest import policies
from tests.unit.network_rest.conftest import NetworkApi, neutron_error


def _post(api: NetworkApi, path: str, key: str, body: dict[str, Any], *,
          token: str | None = None, status: int = 201) -> dict[str, Any]:
    response = api.post(f'/v2.0/{path}', {key: body}, token=token)
    assert response.status_int == status, response.body
    return response.json[key] if status < 300 else response.json


class Layout:
    """``public`` (external, 172.24.4.0/24) and, for a member's project, ``private``
    (10.1.0.0/24) with a router between them."""

    def __init__(self, api: NetworkApi) -> None:
        self.api = api
        self.public = _post(api, 'networks', 'network',
                            {'name': 'public', 'router:external': True})
        self.public_subnet = _post(api, 'subnets', 'subnet', {
            'network_id': self.public['id'], 'cidr': '172.24.4.0/24', 'ip_version': 4})
        self.member = api.user_token('proj-m', 'member-m', ('member', 'reader'))
        self.private = _post(api, 'networks', 'network', {'name': 'private'},
                             token=self.member)
        self.private_subnet = _post(api, 'subnets', 'subnet', {
            'network_id': self.private['id'], 'cidr': '10.1.0.0/24'}, token=self.member)
        self.router = _post(api, 'routers', 'router', {
            'name': 'router1', 'external_gateway_info': {'network_id': self.public['id']}},
            token=self.member)

    def add_interface(self, **body: str) -> Any:
        return self.api.put(f"/v2.0/routers/{self.router['id']}/add_router_interface", body,
                            token=self.member)

    def remove_interface(self, **body: str) -> Any:
        return self.api.put(f"/v2.0/routers/{self.router['id']}/remove_router_interface",
                            body, token=self.member)

    def port(self, name: str = 'vm') -> dict[str, Any]:
        return _post(self.api, 'ports', 'port', {'network_id': self.private['id'],
                                                 'name': name}, token=self.member)


@pytest.fixture
def layout(api: NetworkApi) -> Layout:
    return Layout(api)


def test_external_network_is_admin_only_shown_and_filtered(api: NetworkApi,
                                                           layout: Layout) -> None:
    assert layout.public['router:external'] is True
    assert layout.private['router:external'] is False
    response = api.post('/v2.0/networks', {'network': {'name': 'x', 'router:external': True}},
                        token=layout.member)
    assert response.status_int == 403
    # Every project sees an external network and its subnet.
    names = {n['name'] for n in api.get('/v2.0/networks?router:external=true',
                                        token=layout.member).json['networks']}
    assert names == {'public'}
    assert api.get(f"/v2.0/subnets/{layout.public_subnet['id']}",
                   token=layout.member).status_int == 200
    not_external = {n['name'] for n in api.get('/v2.0/networks?router:external=false')
                    .json['networks']}
    assert 'public' not in not_external and 'private' in not_external
    updated = api.put(f"/v2.0/networks/{layout.private['id']}",
                      {'network': {'router:external': True}})
    assert updated.status_int == 200 and updated.json['network']['router:external'] is True
    aliases = {e['alias'] for e in api.get('/v2.0/extensions').json['extensions']}
    assert {'router', 'extraroute', 'external-net', 'ext-gw-mode',
            'subnet-external-network'} <= aliases


def test_router_gateway_interfaces_and_delete_rules(api: NetworkApi, layout: Layout) -> None:
    gateway = layout.router['external_gateway_info']
    assert gateway['network_id'] == layout.public['id'] and gateway['enable_snat'] is True
    [fixed] = gateway['external_fixed_ips']
    assert fixed['subnet_id'] == layout.public_subnet['id']
    gw_ports = api.get(f"/v2.0/ports?device_id={layout.router['id']}").json['ports']
    assert [p['device_owner'] for p in gw_ports] == ['network:router_gateway']

    response = layout.add_interface(subnet_id=layout.private_subnet['id'])
    assert response.status_int == 200, response.body
    info = response.json
    assert info['subnet_id'] == layout.private_subnet['id']
    assert info['id'] == layout.router['id']
    port = api.get(f"/v2.0/ports/{info['port_id']}", token=layout.member).json['port']
    assert port['device_owner'] == 'network:router_interface'
    assert port['device_id'] == layout.router['id']
    assert port['fixed_ips'] == [{'subnet_id': layout.private_subnet['id'],
                                  'ip_address': '10.1.0.1'}]
    # The same subnet again is a 400; a port already in use a 409.
    assert layout.add_interface(subnet_id=layout.private_subnet['id']).status_int == 400
    assert layout.add_interface(port_id=info['port_id']).status_int == 409
    # Router, subnet and network in use: 409; the interface port cannot go directly.
    path = f"/v2.0/routers/{layout.router['id']}"
    conflict = api.delete(path, token=layout.member)
    assert conflict.status_int == 409 and neutron_error(conflict)['type'] == 'RouterInUse'
    assert api.delete(f"/v2.0/subnets/{layout.private_subnet['id']}",
                      token=layout.member).status_int == 409
    assert api.delete(f"/v2.0/networks/{layout.private['id']}",
                      token=layout.member).status_int == 409
    assert api.delete(f"/v2.0/ports/{info['port_id']}", token=layout.member).status_int == 409
    assert api.delete(f"/v2.0/networks/{layout.public['id']}").status_int == 409

    removed = layout.remove_interface(subnet_id=layout.private_subnet['id'])
    assert removed.status_int == 200 and removed.json['port_id'] == info['port_id']
    assert api.get(f"/v2.0/ports/{info['port_id']}").status_int == 404
    missing = layout.remove_interface(subnet_id=layout.private_subnet['id'])
    assert missing.status_int == 404
    assert neutron_error(missing)['type'] == 'RouterInterfaceNotFoundForSubnet'
    assert api.delete(path, token=layout.member).status_int == 204
    assert api.get(f"/v2.0/ports?device_id={layout.router['id']}").json['ports'] == []
    assert api.delete(f"/v2.0/networks/{layout.public['id']}").status_int == 204


def test_interface_by_port_and_extra_routes(api: NetworkApi, layout: Layout) -> None:
    port = layout.port('for-router')
    response = layout.add_interface(port_id=port['id'])
    assert response.status_int == 200, response.body
    path = f"/v2.0/routers/{layout.router['id']}"
    bad = api.put(path, {'router': {'routes': [{'destination': '192.168.9.0/24',
                                                'nexthop': '10.9.9.9'}]}},
                  token=layout.member)
    assert bad.status_int == 400 and neutron_error(bad)['type'] == 'InvalidRoutes'
    nexthop = port['fixed_ips'][0]['ip_address']
    routes = [{'destination': '192.168.9.0/24', 'nexthop': nexthop}]
    good = api.put(path, {'router': {'routes': routes}}, token=layout.member)
    assert good.status_int == 200 and good.json['router']['routes'] == routes
    in_use = layout.remove_interface(port_id=port['id'])
    assert in_use.status_int == 409
    assert api.put(path, {'router': {'routes': []}}, token=layout.member).status_int == 200
    assert layout.remove_interface(port_id=port['id']).status_int == 200
    # A member may not choose SNAT; clearing the gateway removes its port.
    snat = api.put(path, {'router': {'external_gateway_info': {
        'network_id': layout.public['id'], 'enable_snat': False}}}, token=layout.member)
    assert snat.status_int == 403
    cleared = api.put(path, {'router': {'external_gateway_info': {}}}, token=layout.member)
    assert cleared.json['router']['external_gateway_info'] is None
    assert api.get(f"/v2.0/ports?network_id={layout.public['id']}").json['ports'] == []
    not_external = api.put(path, {'router': {'external_gateway_info': {
        'network_id': layout.private['id']}}}, token=layout.member)
    assert not_external.status_int == 400


def test_floating_ip_allocate_associate_disassociate_release(api: NetworkApi,
                                                             layout: Layout) -> None:
    port = layout.port()
    # Not external: 400. No router to the port's subnet: 404 as neutron.
    assert _post(api, 'floatingips', 'floatingip', {'floating_network_id':
                 layout.private['id']}, token=layout.member, status=400)
    unreachable = api.post('/v2.0/floatingips', {'floatingip': {
        'floating_network_id': layout.public['id'], 'port_id': port['id']}},
        token=layout.member)
    assert unreachable.status_int == 404
    assert neutron_error(unreachable)['type'] == 'ExternalGatewayForFloatingIPNotFound'
    assert api.get('/v2.0/floatingips', token=layout.member).json['floatingips'] == []
    assert layout.add_interface(subnet_id=layout.private_subnet['id']).status_int == 200

    fip = _post(api, 'floatingips', 'floatingip', {
        'floating_network_id': layout.public['id'], 'description': 'web'},
        token=layout.member)
    assert fip['status'] == 'DOWN' and fip['port_id'] is None and fip['router_id'] is None
    assert fip['floating_ip_address'].startswith('172.24.4.')
    assert fip['description'] == 'web'
    path = f"/v2.0/floatingips/{fip['id']}"
    associated = api.put(path, {'floatingip': {'port_id': port['id']}}, token=layout.member)
    assert associated.status_int == 200, associated.body
    body = associated.json['floatingip']
    assert body['port_id'] == port['id'] and body['router_id'] == layout.router['id']
    assert body['fixed_ip_address'] == port['fixed_ips'][0]['ip_address']
    assert body['status'] == 'ACTIVE'
    listed = api.get(f"/v2.0/floatingips?port_id={port['id']}", token=layout.member)
    assert [f['id'] for f in listed.json['floatingips']] == [fip['id']]
    # The router interface is needed by the floating IP: 409.
    assert layout.remove_interface(subnet_id=layout.private_subnet['id']).status_int == 409
    # Deleting the port disassociates the floating IP, which stays allocated.
    assert api.delete(f"/v2.0/ports/{port['id']}", token=layout.member).status_int == 204
    after = api.get(path, token=layout.member).json['floatingip']
    assert (after['port_id'], after['router_id'], after['status']) == (None, None, 'DOWN')
    # Associate at create time, then disassociate with port_id null.
    second = layout.port('second')
    other = _post(api, 'floatingips', 'floatingip', {
        'floating_network_id': layout.public['id'], 'port_id': second['id']},
        token=layout.member)
    assert other['status'] == 'ACTIVE'
    twice = api.put(path, {'floatingip': {'port_id': second['id']}}, token=layout.member)
    assert twice.status_int == 409
    off = api.put(f"/v2.0/floatingips/{other['id']}", {'floatingip': {'port_id': None}},
                  token=layout.member).json['floatingip']
    assert off['port_id'] is None and off['status'] == 'DOWN'
    for floating in (fip, other):
        assert api.delete(f"/v2.0/floatingips/{floating['id']}",
                          token=layout.member).status_int == 204
    assert [p['device_owner'] for p in api.get(
        f"/v2.0/ports?network_id={layout.public['id']}").json['ports']] == [
        'network:router_gateway']


def test_floating_ip_address_choice_and_other_projects(api: NetworkApi,
                                                       layout: Layout) -> None:
    fip = _post(api, 'floatingips', 'floatingip', {
        'floating_network_id': layout.public['id'], 'floating_ip_address': '172.24.4.77'})
    assert fip['floating_ip_address'] == '172.24.4.77'
    taken = api.post('/v2.0/floatingips', {'floatingip': {
        'floating_network_id': layout.public['id'], 'floating_ip_address': '172.24.4.77'}})
    assert taken.status_int == 409
    outside = api.post('/v2.0/floatingips', {'floatingip': {
        'floating_network_id': layout.public['id'], 'floating_ip_address': '10.0.0.7'}})
    assert outside.status_int == 400
    # The admin's floating IP is not the member's to see.
    assert api.get(f"/v2.0/floatingips/{fip['id']}", token=layout.member).status_int == 404
    assert api.get(f"/v2.0/routers/{layout.router['id']}").status_int == 200
    missing = api.get('/v2.0/routers/3f0e1c7e-0000-4000-8000-000000000000')
    assert missing.status_int == 404 and neutron_error(missing)['type'] == 'RouterNotFound'
    paged = api.get('/v2.0/floatingips?limit=1')
    assert paged.status_int == 200 and len(paged.json['floatingips']) == 1
    assert 'floatingips_links' in paged.json
    # Deleting the external network (its router gone) releases its floating IPs.
    router_path = f"/v2.0/routers/{layout.router['id']}"
    assert api.delete(f"/v2.0/networks/{layout.public['id']}").status_int == 409
    assert api.delete(router_path, token=layout.member).status_int == 204
    assert api.delete(f"/v2.0/networks/{layout.public['id']}").status_int == 204
    assert api.get(f"/v2.0/floatingips/{fip['id']}").status_int == 404


def test_port_update_replaces_fixed_ips(api: NetworkApi, layout: Layout) -> None:
    port = layout.port('moving')
    [held] = port['fixed_ips']
    path = f"/v2.0/ports/{port['id']}"
    # Naming only the subnet of the held address keeps it.
    same = api.put(path, {'port': {'fixed_ips': [{'subnet_id': held['subnet_id']}]}},
                   token=layout.member)
    assert same.status_int == 200, same.body
    assert same.json['port']['fixed_ips'] == [held]
    moved = api.put(path, {'port': {'fixed_ips': [{'ip_address': '10.1.0.200'}]}},
                    token=layout.member).json['port']
    assert moved['fixed_ips'] == [{'subnet_id': held['subnet_id'], 'ip_address': '10.1.0.200'}]
    # The old address is free again: another port may take it.
    other = _post(api, 'ports', 'port', {'network_id': layout.private['id'],
                                         'fixed_ips': [{'ip_address': held['ip_address']}]},
                  token=layout.member)
    assert other['fixed_ips'][0]['ip_address'] == held['ip_address']
    taken = api.put(path, {'port': {'fixed_ips': [{'ip_address': held['ip_address']}]}},
                    token=layout.member)
    assert taken.status_int == 409
    assert api.get(path, token=layout.member).json['port']['fixed_ips'] == moved['fixed_ips']
    cleared = api.put(path, {'port': {'fixed_ips': []}}, token=layout.member).json['port']
    assert cleared['fixed_ips'] == []


def _l3_rows(api: NetworkApi) -> dict[str, int]:
    with api.env.cloud.db.reader() as session:
        return {model.__tablename__: session.scalar(sa.select(sa.func.count())
                                                    .select_from(model))
                for model in (models.Port, models.IPAllocation, l3_models.Router,
                              l3_models.FloatingIP, l3_models.ExternalNetwork)}


def test_refused_l3_calls_leave_nothing_behind(api: NetworkApi, layout: Layout) -> None:
    port = layout.port()
    before = _l3_rows(api)
    refused = [
        # The port's subnet has no router to public: the allocation is rolled back.
        api.post('/v2.0/floatingips', {'floatingip': {
            'floating_network_id': layout.public['id'], 'port_id': port['id']}},
            token=layout.member),
        api.post('/v2.0/floatingips', {'floatingip': {
            'floating_network_id': layout.public['id'], 'fixed_ip_address': '10.1.0.9'}},
            token=layout.member),
        # A gateway on a network that is not external: the router is not made.
        api.post('/v2.0/routers', {'router': {'name': 'r2', 'external_gateway_info': {
            'network_id': layout.private['id']}}}, token=layout.member),
        api.post('/v2.0/routers', {'router': {'name': 'r3', 'external_gateway_info': {
            'network_id': layout.public['id'],
            'external_fixed_ips': [{'ip_address': '172.24.4.99'}]}}}, token=layout.member),
        api.put(f"/v2.0/routers/{layout.router['id']}", {'router': {'routes': [
            {'destination': '10.0.0.0/8', 'nexthop': 'not-an-ip'}]}}, token=layout.member),
        api.put(f"/v2.0/routers/{layout.router['id']}/add_router_interface",
                {'subnet_id': layout.private_subnet['id'], 'port_id': port['id']},
                token=layout.member),
        api.put(f"/v2.0/routers/{layout.router['id']}/add_router_interface", {},
                token=layout.member),
    ]
    assert [r.status_int for r in refused] == [404, 400, 400, 403, 400, 400, 400]
    assert _l3_rows(api) == before


def test_l3_policy_defaults() -> None:
    rules = {rule.name: rule.check_str for rule in policies.list_rules()}
    for admin_only in ('create_network:router:external', 'update_network:router:external',
                       'create_router:external_gateway_info:enable_snat',
                       'update_router:external_gateway_info:external_fixed_ips'):
        assert rules[admin_only] == 'role:admin'
    for member in ('create_router', 'add_router_interface', 'remove_router_interface',
                   'create_floatingip', 'update_floatingip', 'delete_floatingip'):
        assert 'project_id:%(project_id)s' in rules[member]
