"""Network API: /v2.0/ports end to end, and the read-only endpoints clients probe."""

from __future__ import annotations

import ipaddress

from tests.unit.network_rest.conftest import NetworkApi, neutron_error

PORT_KEYS = {'id', 'name', 'network_id', 'project_id', 'tenant_id', 'mac_address',
             'admin_state_up', 'status', 'device_id', 'device_owner', 'fixed_ips',
             'binding:host_id', 'binding:vif_type', 'binding:vnic_type', 'binding:profile',
             'binding:vif_details', 'security_groups', 'allowed_address_pairs',
             'extra_dhcp_opts', 'port_security_enabled', 'tags', 'revision_number',
             'description', 'created_at', 'updated_at'}


def _port(api: NetworkApi, **fields: object) -> dict:
    body = {'network_id': api.env.network['id'], **fields}
    response = api.post('/v2.0/ports', {'port': body})
    assert response.status_int == 201, response.body
    return response.json['port']


def test_create_list_and_filter_ports(api: NetworkApi) -> None:
    port = _port(api, name='p1', device_id='dev-1', device_owner='compute:nova')
    assert set(port) == PORT_KEYS
    assert port['mac_address'].startswith('fa:16:3e:')
    (fixed,) = port['fixed_ips']
    assert fixed['subnet_id'] == api.env.subnet['id']
    assert ipaddress.ip_address(fixed['ip_address']) in ipaddress.ip_network('10.0.0.0/24')
    assert fixed['ip_address'] != '10.0.0.1'  # the gateway
    assert port['binding:vif_type'] == 'unbound' and port['binding:vnic_type'] == 'normal'
    (default,) = api.get('/v2.0/security-groups?name=default').json['security_groups']
    assert port['security_groups'] == [default['id']]  # the project's default group
    assert port['allowed_address_pairs'] == []
    assert port['port_security_enabled'] is True and port['status'] == 'DOWN'
    chosen = _port(api, name='p2', fixed_ips=[{'ip_address': '10.0.0.77'}],
                   mac_address='FA:16:3E:00:00:77')
    assert chosen['fixed_ips'] == [{'subnet_id': api.env.subnet['id'],
                                    'ip_address': '10.0.0.77'}]
    assert chosen['mac_address'] == 'fa:16:3e:00:00:77'
    assert api.get(f"/v2.0/ports/{port['id']}").json['port'] == port

    def listed(query: str) -> list[str]:
        response = api.get(f'/v2.0/ports?{query}')
        assert response.status_int == 200, response.body
        return sorted(p['name'] for p in response.json['ports'])

    assert listed(f"network_id={api.env.network['id']}") == ['p1', 'p2']
    assert listed('device_id=dev-1') == ['p1']
    assert listed('device_owner=compute:nova') == ['p1']
    assert listed('name=p2') == ['p2']
    assert listed('mac_address=FA:16:3E:00:00:77') == ['p2']
    assert listed('fixed_ips=ip_address=10.0.0.77') == ['p2']
    assert listed(f"fixed_ips=subnet_id={api.env.subnet['id']}") == ['p1', 'p2']
    assert listed('fixed_ips=ip_address=10.0.0.200') == []
    assert listed('admin_state_up=true&name=p1&name=p2') == ['p1', 'p2']
    assert api.get('/v2.0/ports?fixed_ips=10.0.0.77').status_int == 400
    only = api.get('/v2.0/ports?name=p2&fields=mac_address').json
    assert only == {'ports': [{'mac_address': 'fa:16:3e:00:00:77'}]}
    assert neutron_error(api.get('/v2.0/ports/p1'))['type'] == 'PortNotFound'


def test_update_bind_and_delete(api: NetworkApi) -> None:
    port = _port(api, name='p')
    response = api.put(f"/v2.0/ports/{port['id']}", {'port': {
        'name': 'q', 'device_id': 'vm-1', 'device_owner': 'compute:nova',
        'admin_state_up': False, 'binding:host_id': 'host1'}})
    assert response.status_int == 200, response.body
    updated = response.json['port']
    assert (updated['name'], updated['device_id'], updated['admin_state_up']) == \
        ('q', 'vm-1', False)
    assert updated['binding:host_id'] == 'host1' and updated['binding:vif_type'] == 'ovs'
    assert updated['mac_address'] == port['mac_address']
    assert updated['fixed_ips'] == port['fixed_ips']
    unbound = api.put(f"/v2.0/ports/{port['id']}", {'port': {'binding:host_id': ''}})
    assert unbound.json['port']['binding:vif_type'] == 'unbound'

    member = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    assert api.get(f"/v2.0/ports/{port['id']}", token=member).status_int == 404
    assert api.delete(f"/v2.0/ports/{port['id']}", token=member).status_int == 404
    assert api.get('/v2.0/ports', token=member).json['ports'] == []
    # The conductor binds ports over HTTP with the booting member's own token.
    net = api.post('/v2.0/networks', {'network': {'name': 'b'}}, token=member).json
    body = {'port': {'network_id': net['network']['id'], 'binding:host_id': 'host1',
                     'device_owner': 'compute:nova'}}
    theirs = api.post('/v2.0/ports', body, token=member).json['port']
    assert theirs['binding:vif_type'] == 'ovs'
    assert theirs['fixed_ips'] == []  # a network without subnets
    unbind = api.put(f"/v2.0/ports/{theirs['id']}", {'port': {'binding:host_id': ''}},
                     token=member)
    assert unbind.json['port']['binding:vif_type'] == 'unbound'
    reader = api.user_token('proj-c', 'user-c', ('reader',))
    assert api.post('/v2.0/ports', body, token=reader).status_int == 403

    assert api.delete(f"/v2.0/ports/{port['id']}").status_int == 204
    assert api.get(f"/v2.0/ports/{port['id']}").status_int == 404
    again = _port(api, fixed_ips=port['fixed_ips'])  # the address is free again
    assert again['fixed_ips'] == port['fixed_ips']


def test_extensions_security_groups_and_l3(api: NetworkApi) -> None:
    extensions = api.get('/v2.0/extensions').json['extensions']
    aliases = {ext['alias'] for ext in extensions}
    assert {'binding', 'project-id', 'standard-attr-timestamp', 'pagination'} <= aliases
    assert {'security-group', 'port-security', 'router', 'external-net'} <= aliases
    assert all(set(ext) == {'alias', 'name', 'description', 'links', 'updated'}
               for ext in extensions)
    assert api.get('/v2.0/extensions/binding').json['extension']['alias'] == 'binding'
    unknown = api.get('/v2.0/extensions/tag-ports-during-bulk-creation')
    assert unknown.status_int == 404 and neutron_error(unknown)['type'] == 'ExtensionNotFound'

    (group,) = api.get(f'/v2.0/security-groups?project_id={api.env.ctx.project_id}'
                       ).json['security_groups']
    assert group['name'] == 'default' and len(group['security_group_rules']) == 4
    assert api.get('/v2.0/security-groups?name=default').json['security_groups'] == [group]
    assert api.get(f"/v2.0/security-groups/{group['id']}").json['security_group'] == group
    member = api.user_token('proj-b', 'user-b', ('member',))
    (theirs,) = api.get('/v2.0/security-groups', token=member).json['security_groups']
    assert theirs['id'] != group['id']
    assert api.get(f"/v2.0/security-groups/{group['id']}", token=member).status_int == 404
    # The admin sees every project's groups (made on each project's first use).
    every = api.get('/v2.0/security-groups').json['security_groups']
    assert {group['id'], theirs['id']} <= {g['id'] for g in every}

    assert api.get('/v2.0/floatingips').json == {'floatingips': []}
    assert api.get('/v2.0/routers').json == {'routers': []}
    assert api.get(f"/v2.0/routers/{group['id']}").status_int == 404
    assert 'router' in aliases  # routers: tests/unit/network_rest/test_l3.py
    assert api.get('/v2.0/floatingips', token='').status_int == 401
    missing = api.get('/v2.0/qos/policies')
    assert missing.status_int == 404 and neutron_error(missing)['type'] == 'HTTPNotFound'
    assert api.call('PATCH', '/v2.0/networks').status_int == 405
