"""Network API: /v2.0/quotas (quotas, quota_details), its policy and 409 OverQuota."""

from __future__ import annotations

from tests.unit.network_rest.conftest import NetworkApi, neutron_error

RESOURCES = {'network', 'subnet', 'port', 'router', 'floatingip', 'security_group',
             'security_group_rule', 'subnetpool', 'rbac_policy'}


def _member(api: NetworkApi) -> tuple[str, str]:
    """A member's token and project id."""
    token = api.user_token('proj-q', 'user-q', ('member', 'reader'))
    project_id = api.env.cloud.identity.context_from_token(token).project_id
    assert project_id is not None
    return token, project_id


def test_admin_sets_shows_lists_and_deletes_a_quota(api: NetworkApi) -> None:
    _, project = _member(api)
    assert api.get('/v2.0/quotas').json == {'quotas': []}
    shown = api.get(f'/v2.0/quotas/{project}')
    assert shown.status_int == 200
    assert shown.json['quota']['port'] == 500 and set(shown.json['quota']) == RESOURCES
    updated = api.put(f'/v2.0/quotas/{project}', {'quota': {'network': 5, 'port': '-1'}})
    assert updated.status_int == 200, updated.body
    assert updated.json['quota']['network'] == 5 and updated.json['quota']['port'] == -1
    listed = api.get('/v2.0/quotas').json['quotas']
    assert len(listed) == 1
    assert listed[0]['project_id'] == listed[0]['tenant_id'] == project
    assert listed[0]['network'] == 5
    assert api.get(f'/v2.0/quotas/{project}/default').json['quota']['network'] == 100
    assert api.delete(f'/v2.0/quotas/{project}').status_int == 204
    assert api.get(f'/v2.0/quotas/{project}').json['quota']['network'] == 100
    assert api.get('/v2.0/quotas').json == {'quotas': []}
    for alias in ('quotas', 'quota_details'):
        assert api.get(f'/v2.0/extensions/{alias}').status_int == 200


def test_details_and_policy(api: NetworkApi) -> None:
    """Details give limit, used and reserved; a project reads its own quota only
    and sets none."""
    token, project = _member(api)
    created = api.post('/v2.0/networks', {'network': {'name': 'n'}}, token=token)
    assert created.status_int == 201
    details = api.get(f'/v2.0/quotas/{project}/details', token=token)
    assert details.status_int == 200
    assert details.json['quota']['network'] == {'limit': 100, 'used': 1, 'reserved': 0}
    assert set(details.json['quota']) == RESOURCES
    admin_project = api.env.ctx.project_id
    assert api.get(f'/v2.0/quotas/{project}', token=token).status_int == 200
    assert api.get(f'/v2.0/quotas/{project}/default', token=token).status_int == 200
    for path in (f'/v2.0/quotas/{admin_project}', f'/v2.0/quotas/{admin_project}/details',
                 '/v2.0/quotas'):
        assert api.get(path, token=token).status_int == 403, path
    refused = api.put(f'/v2.0/quotas/{project}', {'quota': {'network': 1000}}, token=token)
    assert refused.status_int == 403
    assert neutron_error(refused)['type'] == 'PolicyNotAuthorized'
    assert api.delete(f'/v2.0/quotas/{project}', token=token).status_int == 403
    for body, field in (({'quota': {'network': -2}}, 'network'),
                        ({'quota': {'network': 'many'}}, 'network'),
                        ({'quota': {'network': True}}, 'network'),
                        ({'quota': {'network': 2**31}}, 'network'),
                        ({'quota': {'bogus': 1}}, 'bogus'),
                        ({'quota': [1]}, 'quota'),
                        ({'quotas': {}}, 'quota')):
        response = api.put(f'/v2.0/quotas/{project}', body)
        assert response.status_int == 400, body
        assert field in neutron_error(response)['message'], body
    assert api.get('/v2.0/quotas').json == {'quotas': []}  # nothing was set


def test_over_quota_is_neutrons_409_and_bulk_creates_none(api: NetworkApi) -> None:
    token, project = _member(api)
    api.put(f'/v2.0/quotas/{project}', {'quota': {'network': 2}})
    response = api.post('/v2.0/networks', {'networks': [{'name': 'a'}, {'name': 'b'},
                                                        {'name': 'c'}]}, token=token)
    assert response.status_int == 409
    error = neutron_error(response)
    assert error == {'type': 'OverQuota', 'detail': '',
                     'message': "Quota exceeded for resources: ['network']."}
    assert api.get('/v2.0/networks', token=token).json['networks'] == []
    response = api.post('/v2.0/networks', {'networks': [{'name': 'a'}, {'name': 'b'}]},
                        token=token)
    assert response.status_int == 201
    response = api.post('/v2.0/networks', {'network': {'name': 'c'}}, token=token)
    assert response.status_int == 409
    assert neutron_error(response)['type'] == 'OverQuota'


def test_security_group_and_rule_quota_over_the_api(api: NetworkApi) -> None:
    token, project = _member(api)
    api.put(f'/v2.0/quotas/{project}', {'quota': {'security_group': 1}})
    # The default group is made on first use, whatever the quota.
    groups = api.get('/v2.0/security-groups', token=token).json['security_groups']
    assert [group['name'] for group in groups] == ['default']
    response = api.post('/v2.0/security-groups', {'security_group': {'name': 'web'}},
                        token=token)
    assert response.status_int == 409
    assert neutron_error(response)['type'] == 'OverQuota'
    used = api.get(f'/v2.0/quotas/{project}/details',
                   token=token).json['quota']['security_group_rule']['used']
    api.put(f'/v2.0/quotas/{project}', {'quota': {'security_group_rule': used}})
    response = api.post('/v2.0/security-group-rules', {'security_group_rule': {
        'security_group_id': groups[0]['id'], 'direction': 'ingress', 'protocol': 'tcp',
        'port_range_min': 22, 'port_range_max': 22}}, token=token)
    assert response.status_int == 409
    assert 'security_group_rule' in neutron_error(response)['message']

