"""os-security-groups and os-security-group-rules (nova's proxy of the network
service, until 2.35), a server's groups, addSecurityGroup and removeSecurityGroup,
and a boot naming groups."""

from __future__ import annotations

from typing import Any

from tests.unit.compute_rest.conftest import ComputeEnv

AT_2_36 = {'OpenStack-API-Version': 'compute 2.36'}


def _group(compute: ComputeEnv, name: str) -> dict[str, Any]:
    response = compute.admin.post('/os-security-groups', {
        'security_group': {'name': name, 'description': f'{name} servers'}})
    assert response.status_int == 200, response.text
    return response.json['security_group']


def _rule(compute: ComputeEnv, status: int, **fields: Any) -> Any:
    response = compute.admin.post('/os-security-group-rules',
                                  {'security_group_rule': fields})
    assert response.status_int == status, response.text
    return response.json


def test_groups_and_rules_through_the_proxy(compute: ComputeEnv) -> None:
    web = _group(compute, 'web')
    assert (web['name'], web['description'], web['rules']) == ('web', 'web servers', [])
    assert web['tenant_id'] == compute.env.ctx.project_id
    listed = compute.admin.get('/os-security-groups').json['security_groups']
    assert {'default', 'web'} <= {group['name'] for group in listed}
    ssh = _rule(compute, 200, parent_group_id=web['id'], ip_protocol='tcp', from_port=22,
                to_port=22, cidr='10.0.0.0/8')['security_group_rule']
    assert ssh == {'id': ssh['id'], 'parent_group_id': web['id'], 'ip_protocol': 'tcp',
                   'from_port': 22, 'to_port': 22, 'ip_range': {'cidr': '10.0.0.0/8'},
                   'group': {}}
    ping = _rule(compute, 200, parent_group_id=web['id'], ip_protocol='icmp', from_port=-1,
                 to_port=-1, group_id=web['id'])['security_group_rule']
    assert (ping['from_port'], ping['to_port'], ping['ip_range']) == (-1, -1, {})
    assert ping['group'] == {'name': 'web', 'tenant_id': compute.env.ctx.project_id}
    # Nova's refusals: the duplicate (the network service's 409) is a 400 here.
    for fields in ({'ip_protocol': 'tcp', 'from_port': 22, 'to_port': 22,
                    'cidr': '10.0.0.0/8'},
                   {'ip_protocol': 'tcp', 'from_port': 22, 'to_port': 21},
                   {'ip_protocol': 'tcp', 'from_port': 65536, 'to_port': 22},
                   {'ip_protocol': 'bad999', 'from_port': 22, 'to_port': 22},
                   {'ip_protocol': 'icmp', 'from_port': 256, 'to_port': 0},
                   {'ip_protocol': 'tcp', 'from_port': 'x', 'to_port': 22}):
        _rule(compute, 400, parent_group_id=web['id'], **fields)
    _rule(compute, 400, parent_group_id='not-a-uuid', ip_protocol='tcp', from_port=22,
          to_port=22)
    _rule(compute, 404, parent_group_id='5b0a2f7e-0000-4000-8000-000000000000',
          ip_protocol='tcp', from_port=22, to_port=22)
    shown = compute.admin.get(f"/os-security-groups/{web['id']}").json['security_group']
    assert sorted(rule['id'] for rule in shown['rules']) == sorted([ssh['id'], ping['id']])
    renamed = compute.admin.request('PUT', f"/os-security-groups/{web['id']}", {
        'security_group': {'name': 'web2', 'description': 'd'}})
    assert renamed.status_int == 200 and renamed.json['security_group']['name'] == 'web2'
    blank = compute.admin.request('PUT', f"/os-security-groups/{web['id']}", {
        'security_group': {'name': ' ', 'description': 'd'}})
    assert blank.status_int == 400
    assert compute.admin.delete(f"/os-security-group-rules/{ssh['id']}").status_int == 202
    assert compute.admin.delete(f"/os-security-group-rules/{ssh['id']}").status_int == 404
    default = next(g for g in listed if g['name'] == 'default')
    assert compute.member.delete(f"/os-security-groups/{default['id']}").status_int == 404
    assert compute.admin.delete(f"/os-security-groups/{web['id']}").status_int == 202
    assert compute.admin.get(f"/os-security-groups/{web['id']}").status_int == 404
    assert compute.admin.get('/os-security-groups/nope').status_int == 400
    assert compute.admin.delete('/os-security-groups/').status_int == 404  # no id
    spaced = _group(compute, ' spaced ')  # kept as given, as nova keeps it
    assert spaced['name'] == ' spaced '
    assert compute.admin.delete(f"/os-security-groups/{spaced['id']}").status_int == 202
    host_bits = _rule(compute, 200, parent_group_id=default_id(compute), ip_protocol='udp',
                      from_port=53, to_port=53, cidr='10.2.3.124/24')
    assert host_bits['security_group_rule']['ip_range'] == {'cidr': '10.2.3.124/24'}
    assert compute.admin.get('/os-security-groups', headers=AT_2_36).status_int == 404


def default_id(compute: ComputeEnv) -> str:
    return next(g['id'] for g in compute.admin.get('/os-security-groups').json[
        'security_groups'] if g['name'] == 'default')


def test_policy_readers_read_and_other_projects_see_nothing(compute: ComputeEnv) -> None:
    assert compute.reader.get('/os-security-groups').status_int == 200
    refused = compute.reader.post('/os-security-groups', {
        'security_group': {'name': 'r', 'description': 'r'}})
    assert refused.status_int == 403
    assert compute.anonymous.get('/os-security-groups').status_int == 401
    theirs = compute.member.get(f'/os-security-groups/{default_id(compute)}')
    assert theirs.status_int == 404


def test_a_member_may_not_delete_its_default_group(compute: ComputeEnv) -> None:
    [default] = [g for g in compute.member.get('/os-security-groups').json['security_groups']
                 if g['name'] == 'default']
    refused = compute.member.delete(f"/os-security-groups/{default['id']}")
    assert refused.status_int == 400  # nova's answer to the network service's 409


def test_boot_with_groups_then_add_and_remove(compute: ComputeEnv) -> None:
    web = _group(compute, 'web-boot')
    refused = compute.admin.post('/servers', {'server': compute.server_body(
        'no-such-group', with_volume=False, security_groups=[{'name': 'nope'}])})
    assert refused.status_int == 400 and 'security_groups.0.name' in refused.text
    response = compute.admin.post('/servers', {'server': compute.server_body(
        'grouped', with_volume=False, security_groups=[{'name': 'web-boot'}])})
    assert response.status_int == 202, response.text
    assert response.json['server']['security_groups'] == [{'name': 'web-boot'}]
    server = compute.wait(response.json['server']['id'])
    assert server['security_groups'] == [{'name': 'web-boot'}]
    [port] = compute.cloud.networks.list_ports(compute.env.ctx, device_id=server['id'])
    assert port['security_groups'] == [web['id']]

    assert compute.admin.action(server['id'], {'addSecurityGroup': {
        'name': 'default'}}).status_int == 202
    shown = compute.admin.get(f"/servers/{server['id']}").json['server']
    assert sorted(g['name'] for g in shown['security_groups']) == ['default', 'web-boot']
    listed = compute.admin.get(f"/servers/{server['id']}/os-security-groups").json
    assert sorted(g['name'] for g in listed['security_groups']) == ['default', 'web-boot']
    # The group is in use: the network service refuses, nova answers 400.
    assert compute.admin.delete(f"/os-security-groups/{web['id']}").status_int == 400
    assert compute.admin.action(server['id'], {'addSecurityGroup': {
        'name': 'nope'}}).status_int == 404
    assert compute.admin.action(server['id'], {'addSecurityGroup': {
        'name': ''}}).status_int == 400
    assert compute.admin.action(server['id'], {'removeSecurityGroup': {
        'name': 'web-boot'}}).status_int == 202
    again = compute.admin.action(server['id'], {'removeSecurityGroup': {'name': 'web-boot'}})
    assert again.status_int == 400  # no longer on the server
    shown = compute.admin.get(f"/servers/{server['id']}").json['server']
    assert shown['security_groups'] == [{'name': 'default'}]
    [listed_server] = [s for s in compute.admin.get('/servers/detail').json['servers']
                       if s['id'] == server['id']]
    assert listed_server['security_groups'] == [{'name': 'default'}]
    assert compute.admin.delete(f"/servers/{server['id']}").status_int == 204
    compute.wait_gone(server['id'])
    assert compute.admin.delete(f"/os-security-groups/{web['id']}").status_int == 202


def test_network_over_quota_is_novas_403(compute: ComputeEnv) -> None:
    quotas, project = compute.cloud.services.networks.quotas, compute.env.ctx.project_id
    assert project is not None
    quotas.update(project, {'security_group': 0})
    try:
        response = compute.admin.post('/os-security-groups', {
            'security_group': {'name': 'over', 'description': 'over quota'}})
        assert response.status_int == 403, response.text
        assert 'Quota exceeded, too many security groups.' in response.text
    finally:
        quotas.delete(project)
