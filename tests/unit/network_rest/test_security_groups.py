"""Network API: /v2.0/security-groups and /v2.0/security-group-rules, and the
groups and port security of ports, as neutron serves them."""

from __future__ import annotations

from typing import Any

from tests.unit.network_rest.conftest import NetworkApi, neutron_error

GROUPS = '/v2.0/security-groups'
RULES = '/v2.0/security-group-rules'


def _group(api: NetworkApi, token: str | None = None, **fields: Any) -> dict[str, Any]:
    response = api.post(GROUPS, {'security_group': {'name': 'web', **fields}}, token=token)
    assert response.status_int == 201, response.body
    return response.json['security_group']


def _rule(api: NetworkApi, group_id: str, status: int = 201,
          **fields: Any) -> dict[str, Any]:
    response = api.post(RULES, {'security_group_rule': {
        'security_group_id': group_id, 'direction': 'ingress', **fields}})
    assert response.status_int == status, response.body
    return response.json['security_group_rule'] if status == 201 else neutron_error(response)


def _port(api: NetworkApi, status: int = 201, **fields: Any) -> dict[str, Any]:
    response = api.post('/v2.0/ports', {'port': {'network_id': api.env.network['id'],
                                                 **fields}})
    assert response.status_int == status, response.body
    return response.json['port'] if status == 201 else neutron_error(response)


def test_the_default_group_is_made_on_first_use_with_neutron_s_rules(
        api: NetworkApi) -> None:
    (group,) = api.get(GROUPS).json['security_groups']
    assert group['name'] == 'default' and group['stateful'] is True
    assert {'id', 'name', 'description', 'project_id', 'tenant_id', 'security_group_rules',
            'stateful', 'shared', 'tags', 'revision_number', 'created_at',
            'updated_at'} == set(group)
    rules = {(r['direction'], r['ethertype'], r['remote_group_id'])
             for r in group['security_group_rules']}
    assert rules == {('egress', 'IPv4', None), ('egress', 'IPv6', None),
                     ('ingress', 'IPv4', group['id']), ('ingress', 'IPv6', group['id'])}
    assert api.get(GROUPS).json['security_groups'] == [group]  # made only once
    refused = api.put(f"{GROUPS}/{group['id']}", {'security_group': {'name': 'other'}})
    assert refused.status_int == 409
    assert neutron_error(refused)['type'] == 'SecurityGroupCannotUpdateDefault'
    described = api.put(f"{GROUPS}/{group['id']}", {'security_group': {'description': 'd'}})
    assert described.status_int == 200
    assert described.json['security_group']['revision_number'] == 2


def test_group_crud_and_the_default_name(api: NetworkApi) -> None:
    group = _group(api, description='web servers')
    assert group['description'] == 'web servers'
    assert [(r['direction'], r['ethertype']) for r in group['security_group_rules']] == [
        ('egress', 'IPv4'), ('egress', 'IPv6')]
    for body in ({'name': 'default'}, {'name': 'Default'}):
        made = api.post(GROUPS, {'security_group': body})
        assert made.status_int == 409
        assert neutron_error(made)['type'] == 'SecurityGroupDefaultAlreadyExists'
    renamed = api.put(f"{GROUPS}/{group['id']}", {'security_group': {'name': 'default'}})
    assert renamed.status_int == 409
    updated = api.put(f"{GROUPS}/{group['id']}", {'security_group': {'name': 'web2'}})
    assert updated.status_int == 200 and updated.json['security_group']['name'] == 'web2'
    listed = api.get(f'{GROUPS}?name=web2&fields=id&fields=name').json['security_groups']
    assert listed == [{'id': group['id'], 'name': 'web2'}]
    page = api.get(f'{GROUPS}?limit=1').json
    assert len(page['security_groups']) == 1 and page['security_groups_links']
    bad = api.post(GROUPS, {'security_group': {'name': 'x', 'colour': 'red'}})
    assert bad.status_int == 400
    assert api.delete(f"{GROUPS}/{group['id']}").status_int == 204
    assert api.get(f"{GROUPS}/{group['id']}").status_int == 404
    assert api.get(f"{RULES}?security_group_id={group['id']}").json == {
        'security_group_rules': []}


def test_rules_create_show_list_delete_and_duplicates(api: NetworkApi) -> None:
    group = _group(api)
    other = _group(api, name='db')
    ssh = _rule(api, group['id'], protocol='tcp', port_range_min=22, port_range_max=22,
                remote_ip_prefix='192.168.0.0/16')
    assert {'id', 'security_group_id', 'direction', 'ethertype', 'protocol',
            'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id',
            'remote_address_group_id', 'description', 'project_id', 'tenant_id',
            'revision_number', 'created_at', 'updated_at'} == set(ssh)
    assert (ssh['protocol'], ssh['ethertype']) == ('tcp', 'IPv4')
    duplicate = _rule(api, group['id'], 409, protocol='6', port_range_min=22,
                      port_range_max=22, remote_ip_prefix='192.168.0.0/16')
    assert duplicate['type'] == 'SecurityGroupRuleExists' and ssh['id'] in duplicate['message']
    from_db = _rule(api, group['id'], protocol='tcp', port_range_min=5432,
                    port_range_max=5432, remote_group_id=other['id'])
    assert from_db['remote_group_id'] == other['id']
    both = _rule(api, group['id'], 400, protocol='tcp', remote_ip_prefix='10.0.0.0/8',
                 remote_group_id=other['id'])
    assert both['type'] == 'SecurityGroupRemoteGroupAndRemoteIpPrefix'
    for missing in ('bad_group_id', '5b0a2f7e-0000-4000-8000-000000000000'):
        assert _rule(api, group['id'], 404, remote_group_id=missing)['type'] == \
            'SecurityGroupNotFound'
    no_group = api.post(RULES, {'security_group_rule': {
        'security_group_id': '5b0a2f7e-0000-4000-8000-000000000000', 'direction': 'egress'}})
    assert no_group.status_int == 404
    ports = _rule(api, group['id'], 400, protocol='tcp', port_range_min=-16,
                  port_range_max=80)
    assert 'Invalid value for port -16' in ports['message']
    assert api.get(f"{RULES}/{ssh['id']}").json['security_group_rule'] == ssh
    assert api.get(f"{GROUPS}/{group['id']}").json['security_group']['revision_number'] > 1
    listed = api.get(f"{RULES}?security_group_id={group['id']}&protocol=tcp").json
    assert {r['id'] for r in listed['security_group_rules']} == {ssh['id'], from_db['id']}
    assert api.put(f"{RULES}/{ssh['id']}", {'security_group_rule': {}}).status_int == 405
    assert api.delete(f"{RULES}/{ssh['id']}").status_int == 204
    gone = api.get(f"{RULES}/{ssh['id']}")
    assert gone.status_int == 404 and neutron_error(gone)['type'] == 'SecurityGroupRuleNotFound'
    # Deleting the remote group takes the rules that name it.
    assert api.delete(f"{GROUPS}/{other['id']}").status_int == 204
    assert api.get(f"{RULES}/{from_db['id']}").status_int == 404


def test_other_projects_see_nothing_and_readers_change_nothing(api: NetworkApi) -> None:
    group = _group(api)
    member = api.user_token('proj-sg', 'user-sg', ('member',))
    assert api.get(f"{GROUPS}/{group['id']}", token=member).status_int == 404
    assert group['id'] not in {g['id'] for g in api.get(GROUPS, token=member).json[
        'security_groups']}
    rule_id = group['security_group_rules'][0]['id']
    assert api.get(f'{RULES}/{rule_id}', token=member).status_int == 404
    assert api.delete(f"{GROUPS}/{group['id']}", token=member).status_int == 404
    reader = api.user_token('proj-sgr', 'user-sgr', ('reader',))
    refused = api.post(GROUPS, {'security_group': {'name': 'x'}}, token=reader)
    assert refused.status_int == 403


def test_ports_security_groups_and_port_security(api: NetworkApi) -> None:
    (default,) = api.get(GROUPS).json['security_groups']
    group = _group(api)
    plain = _port(api)
    assert plain['security_groups'] == [default['id']]
    assert plain['port_security_enabled'] is True
    chosen = _port(api, security_groups=[group['id']])
    assert chosen['security_groups'] == [group['id']]
    assert _port(api, security_groups=[])['security_groups'] == []
    open_port = _port(api, port_security_enabled=False)
    assert open_port['security_groups'] == [] and open_port['port_security_enabled'] is False
    both = _port(api, 400, port_security_enabled=False, security_groups=[group['id']])
    assert both['type'] == 'PortSecurityAndIPRequiredForSecurityGroups'
    unknown = _port(api, 404, security_groups=['5b0a2f7e-0000-4000-8000-000000000000'])
    assert unknown['type'] == 'SecurityGroupNotFound'
    router_port = _port(api, device_owner='network:router_interface')
    assert router_port['security_groups'] == []
    # In use: the group cannot be deleted while a port has it.
    in_use = api.delete(f"{GROUPS}/{group['id']}")
    assert in_use.status_int == 409 and neutron_error(in_use)['type'] == 'SecurityGroupInUse'
    path = f"/v2.0/ports/{chosen['id']}"
    disable = api.put(path, {'port': {'port_security_enabled': False}})
    assert disable.status_int == 409
    assert neutron_error(disable)['type'] == 'PortSecurityPortHasSecurityGroup'
    both_off = api.put(path, {'port': {'port_security_enabled': False, 'security_groups': []}})
    assert both_off.status_int == 200
    assert both_off.json['port']['security_groups'] == []
    assert both_off.json['port']['port_security_enabled'] is False
    assert api.get(path).json['port'] == both_off.json['port']
    enable = api.put(path, {'port': {'port_security_enabled': True,
                                     'security_groups': [group['id'], default['id']]}})
    assert enable.status_int == 200
    assert sorted(enable.json['port']['security_groups']) == sorted([group['id'],
                                                                     default['id']])
    listed = api.get(f"/v2.0/ports?id={chosen['id']}").json['ports']
    assert listed[0]['security_groups'] == enable.json['port']['security_groups']
    assert api.delete(path).status_int == 204
    assert api.delete(f"{GROUPS}/{group['id']}").status_int == 204
