"""/v2.0/rbac-policies: networks shared with (or made external for) one project or
every project, over the REST API."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova_lite.db.models import network_rbac as rbac_models
from tests.unit.network_rest.conftest import NetworkApi, neutron_error

POLICY_KEYS = {'id', 'object_type', 'object_id', 'action', 'target_tenant',
               'target_project', 'project_id', 'tenant_id'}


def _post(api: NetworkApi, path: str, key: str, body: dict[str, Any], *,
          token: str | None = None, status: int = 201) -> dict[str, Any]:
    response = api.post(f'/v2.0/{path}', {key: body}, token=token)
    assert response.status_int == status, response.body
    return response.json[key] if status < 300 else response.json


def _project_of(api: NetworkApi, token: str) -> str:
    return api.get('/v2.0/security-groups', token=token).json[
        'security_groups'][0]['project_id']


def _policy(api: NetworkApi, network_id: str, target: str, *,
            action: str = 'access_as_shared', token: str | None = None,
            status: int = 201) -> dict[str, Any]:
    return _post(api, 'rbac-policies', 'rbac_policy', {
        'object_type': 'network', 'object_id': network_id, 'action': action,
        'target_tenant': target}, token=token, status=status)


def test_policy_shares_a_network_with_one_project_until_it_is_in_use(
        api: NetworkApi) -> None:
    owner = api.user_token('proj-a', 'user-a', ('member', 'reader'))
    guest = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    stranger = api.user_token('proj-c', 'user-c', ('member', 'reader'))
    net = _post(api, 'networks', 'network', {'name': 'net-a'}, token=owner)
    _post(api, 'subnets', 'subnet', {'network_id': net['id'], 'cidr': '10.9.0.0/24'},
          token=owner)
    assert api.get(f"/v2.0/networks/{net['id']}", token=guest).status_int == 404

    policy = _policy(api, net['id'], _project_of(api, guest), token=owner)
    assert set(policy) == POLICY_KEYS
    assert policy['target_tenant'] == policy['target_project'] == _project_of(api, guest)
    assert policy['project_id'] == _project_of(api, owner)
    assert api.get(f"/v2.0/rbac-policies/{policy['id']}", token=owner).json[
        'rbac_policy'] == policy

    seen = api.get(f"/v2.0/networks/{net['id']}", token=guest)
    assert seen.status_int == 200 and seen.json['network']['shared'] is True
    assert api.get(f"/v2.0/networks/{net['id']}", token=owner).json[
        'network']['shared'] is False  # shared with one project, not every one
    assert [n['id'] for n in api.get('/v2.0/networks?shared=true', token=guest).json[
        'networks']] == [net['id']]
    assert api.get('/v2.0/networks?shared=true', token=owner).json['networks'] == []
    assert len(api.get('/v2.0/subnets', token=guest).json['subnets']) == 1
    assert api.get(f"/v2.0/networks/{net['id']}", token=stranger).status_int == 404
    # The target sees neither the policy nor may it change the network or add subnets.
    assert api.get(f"/v2.0/rbac-policies/{policy['id']}", token=guest).status_int == 404
    assert api.get('/v2.0/rbac-policies', token=guest).json['rbac_policies'] == []
    assert api.put(f"/v2.0/networks/{net['id']}", {'network': {'name': 'x'}},
                   token=guest).status_int == 403
    _post(api, 'subnets', 'subnet', {'network_id': net['id'], 'cidr': '10.8.0.0/24'},
          token=guest, status=403)

    # Addresses and MACs on the network are its owner's to choose (neutron's rules).
    for chosen in ({'fixed_ips': [{'ip_address': '10.9.0.50'}]},
                   {'mac_address': 'fa:16:3e:00:00:99'}):
        _post(api, 'ports', 'port', {'network_id': net['id'], **chosen}, token=guest,
              status=403)
    port = _post(api, 'ports', 'port', {'network_id': net['id']}, token=guest)
    assert api.put(f"/v2.0/ports/{port['id']}",
                   {'port': {'fixed_ips': [{'ip_address': '10.9.0.51'}]}},
                   token=guest).status_int == 403
    owned = _post(api, 'ports', 'port', {'network_id': net['id'], 'fixed_ips': [
        {'ip_address': '10.9.0.50'}]}, token=owner)
    assert owned['fixed_ips'][0]['ip_address'] == '10.9.0.50'
    refused = api.delete(f"/v2.0/rbac-policies/{policy['id']}", token=owner)
    assert refused.status_int == 409
    assert neutron_error(refused)['type'] == 'RbacPolicyInUse'
    # Retargeting away from a project that uses the network is refused too.
    moved = api.put(f"/v2.0/rbac-policies/{policy['id']}",
                    {'rbac_policy': {'target_tenant': _project_of(api, stranger)}},
                    token=owner)
    assert moved.status_int == 409
    assert api.delete(f"/v2.0/ports/{port['id']}", token=guest).status_int == 204
    moved = api.put(f"/v2.0/rbac-policies/{policy['id']}",
                    {'rbac_policy': {'target_project': _project_of(api, stranger)}},
                    token=owner)
    assert moved.status_int == 200, moved.body
    assert api.get(f"/v2.0/networks/{net['id']}", token=guest).status_int == 404
    assert api.get(f"/v2.0/networks/{net['id']}", token=stranger).status_int == 200
    assert api.delete(f"/v2.0/rbac-policies/{policy['id']}", token=owner).status_int == 204
    assert api.get(f"/v2.0/networks/{net['id']}", token=stranger).status_int == 404
    assert api.get(f"/v2.0/rbac-policies/{policy['id']}", token=owner).status_int == 404


def test_shared_flag_is_the_wildcard_policy(api: NetworkApi) -> None:
    other = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    net = _post(api, 'networks', 'network', {'name': 'public', 'shared': True})
    listed = api.get(f"/v2.0/rbac-policies?object_id={net['id']}").json['rbac_policies']
    assert [(p['action'], p['target_tenant']) for p in listed] == [('access_as_shared', '*')]
    port = _post(api, 'ports', 'port', {'network_id': net['id']}, token=other)

    unshare = api.put(f"/v2.0/networks/{net['id']}", {'network': {'shared': False}})
    assert unshare.status_int == 409
    refused = api.delete(f"/v2.0/rbac-policies/{listed[0]['id']}")
    assert refused.status_int == 409 and neutron_error(refused)['type'] == 'RbacPolicyInUse'
    # A policy for the port's project keeps its access: the wildcard may then go.
    _policy(api, net['id'], port['project_id'])
    assert api.delete(f"/v2.0/rbac-policies/{listed[0]['id']}").status_int == 204
    assert api.get(f"/v2.0/networks/{net['id']}").json['network']['shared'] is False
    assert api.get(f"/v2.0/networks/{net['id']}", token=other).json['network']['shared']

    wildcard = _policy(api, net['id'], '*')
    assert api.get(f"/v2.0/networks/{net['id']}").json['network']['shared'] is True
    assert api.get('/v2.0/networks?shared=true').json['networks'][0]['id'] == net['id']
    dropped = api.put(f"/v2.0/networks/{net['id']}", {'network': {'shared': False}})
    assert dropped.status_int == 200 and dropped.json['network']['shared'] is False
    assert api.get(f"/v2.0/rbac-policies/{wildcard['id']}").status_int == 404


def test_bad_input_and_who_may_manage_policies(api: NetworkApi) -> None:
    owner = api.user_token('proj-a', 'user-a', ('member', 'reader'))
    other = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    net = _post(api, 'networks', 'network', {'name': 'net-a'}, token=owner)
    base = {'object_type': 'network', 'object_id': net['id'], 'action': 'access_as_shared',
            'target_tenant': 'p1'}
    for change, field in (({'object_type': 'qos_policy'}, 'object_type'),
                          ({'action': 'access_as_owner'}, 'action'),
                          ({'target_tenant': ''}, 'target_tenant'),
                          ({'target_tenant': 'x' * 256}, 'target_tenant'),
                          ({'target_tenant': 7}, 'target_tenant'),
                          ({'target_project': 'p2'}, 'target_project'),
                          ({'color': 'red'}, 'color')):
        response = api.post('/v2.0/rbac-policies', {'rbac_policy': {**base, **change}},
                            token=owner)
        assert response.status_int == 400, (change, response.body)
        assert field in neutron_error(response)['message'], (field, response.body)
    missing = api.post('/v2.0/rbac-policies', {'rbac_policy': {
        key: value for key, value in base.items() if key != 'target_tenant'}}, token=owner)
    assert missing.status_int == 400 and 'target_tenant' in neutron_error(missing)['message']

    # Everyone-wide needs an admin; another project's network is not the caller's to share.
    assert _policy(api, net['id'], '*', token=owner, status=403)
    shared = _policy(api, net['id'], _project_of(api, other), token=owner)
    assert _policy(api, net['id'], 'p3', token=other, status=400)
    assert _policy(api, net['id'], _project_of(api, other), token=owner, status=409)
    hidden = _post(api, 'networks', 'network', {'name': 'net-admin'})
    assert _policy(api, hidden['id'], 'p3', token=owner, status=404)
    assert api.delete(f"/v2.0/rbac-policies/{shared['id']}", token=other).status_int == 404
    assert api.put(f"/v2.0/rbac-policies/{shared['id']}",
                   {'rbac_policy': {'target_tenant': '*'}}, token=owner).status_int == 403
    assert api.get('/v2.0/rbac-policies/not-a-uuid').status_int == 404
    assert api.get('/v2.0/rbac-policies?colour=red').status_int == 400


def test_external_policy_and_network_delete(api: NetworkApi) -> None:
    guest = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    stranger = api.user_token('proj-c', 'user-c', ('member', 'reader'))
    net = _post(api, 'networks', 'network', {'name': 'ext'})
    policy = _policy(api, net['id'], _project_of(api, guest), action='access_as_external')
    assert api.get(f"/v2.0/networks/{net['id']}").json['network']['router:external'] is True
    shown = api.get(f"/v2.0/networks/{net['id']}", token=guest)
    assert shown.status_int == 200 and shown.json['network']['router:external'] is True
    assert shown.json['network']['shared'] is False
    assert api.get(f"/v2.0/networks/{net['id']}", token=stranger).status_int == 404
    assert api.delete(f"/v2.0/rbac-policies/{policy['id']}").status_int == 204
    assert api.get(f"/v2.0/networks/{net['id']}").json['network']['router:external'] is False

    # router:external: true is the wildcard external policy; false removes every one.
    made = api.put(f"/v2.0/networks/{net['id']}", {'network': {'router:external': True}})
    assert made.status_int == 200
    listed = api.get(f"/v2.0/rbac-policies?object_id={net['id']}&action=access_as_external")
    assert [p['target_tenant'] for p in listed.json['rbac_policies']] == ['*']
    assert api.get(f"/v2.0/networks/{net['id']}", token=stranger).status_int == 200
    # A router of a project that only the wildcard lets use the network holds it.
    _post(api, 'subnets', 'subnet', {'network_id': net['id'], 'cidr': '172.25.0.0/24'})
    router = _post(api, 'routers', 'router', {
        'name': 'r', 'external_gateway_info': {'network_id': net['id']}}, token=stranger)
    wildcard_id = listed.json['rbac_policies'][0]['id']
    refused = api.delete(f'/v2.0/rbac-policies/{wildcard_id}')
    assert refused.status_int == 409 and neutron_error(refused)['type'] == 'RbacPolicyInUse'
    assert api.delete(f"/v2.0/routers/{router['id']}", token=stranger).status_int == 204
    # So does the owner's own router: without the policy the network is not external.
    mine = _post(api, 'routers', 'router', {
        'name': 'r', 'external_gateway_info': {'network_id': net['id']}})
    assert api.delete(f'/v2.0/rbac-policies/{wildcard_id}').status_int == 409
    assert api.delete(f"/v2.0/routers/{mine['id']}").status_int == 204
    _policy(api, net['id'], _project_of(api, guest))
    assert api.delete(f"/v2.0/networks/{net['id']}").status_int == 204
    with api.env.cloud.db.reader() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(
            rbac_models.NetworkRBACPolicy)) == 0
