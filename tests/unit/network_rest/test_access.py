"""Network API access: other projects, readers, shared networks."""

from __future__ import annotations

from collections.abc import Callable

from tests.unit.network_rest.conftest import NetworkApi, neutron_error


def _create(api: NetworkApi, name: str, **extra: object) -> dict:
    response = api.post('/v2.0/networks', {'network': {'name': name, **extra}})
    assert response.status_int == 201, response.body
    return response.json['network']


def test_other_projects_resources_are_404_and_reader_cannot_create(
        api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    mine = api.env.network['id']
    other = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    for method, body in (('GET', None), ('PUT', {'network': {'name': 'x'}}),
                         ('DELETE', None)):
        response = api.call(method, f'/v2.0/networks/{mine}', body, token=other)
        assert response.status_int == 404, (method, response.body)
    assert api.get('/v2.0/networks', token=other).json['networks'] == []
    theirs = api.post('/v2.0/networks', {'network': {'name': 'b-net'}}, token=other)
    assert theirs.status_int == 201
    assert [n['name'] for n in api.get('/v2.0/networks?name=b-net').json['networks']] \
        == ['b-net']  # the admin sees every project's networks

    reader = api.user_token('proj-c', 'user-c', ('reader',))
    before = counts()
    response = api.post('/v2.0/networks', {'network': {'name': 'r'}}, token=reader)
    assert response.status_int == 403
    assert neutron_error(response)['type'] == 'PolicyNotAuthorized'
    assert api.get('/v2.0/networks', token=reader).status_int == 200
    # A member may not create for another project, nor create a shared network.
    for body in ({'name': 'x', 'project_id': api.env.ctx.project_id}, {'shared': True}):
        assert api.post('/v2.0/networks', {'network': body}, token=other).status_int == 403
    assert counts() == before


def test_shared_network_is_seen_but_not_changed_by_others(api: NetworkApi) -> None:
    shared = _create(api, 'public', shared=True)
    other = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    seen = api.get('/v2.0/networks?shared=true', token=other).json['networks']
    assert [n['id'] for n in seen] == [shared['id']]
    renamed = api.put(f"/v2.0/networks/{shared['id']}", {'network': {'name': 'mine'}},
                      token=other)
    assert renamed.status_int == 403
    assert api.delete(f"/v2.0/networks/{shared['id']}", token=other).status_int == 403
    # The admin creates for another project by naming it.
    project_b = api.get('/v2.0/security-groups', token=other).json[
        'security_groups'][0]['project_id']
    made = _create(api, 'for-b', project_id=project_b)
    assert made['project_id'] == project_b
    assert [n['name'] for n in api.get('/v2.0/networks', token=other).json['networks']] \
        == ['public', 'for-b']


def test_a_policy_file_may_let_members_share_networks(api: NetworkApi, tmp_path) -> None:
    """The rule is oslo.policy's alone: no role check behind it refuses what it allows."""
    member = api.user_token('proj-s', 'user-s', ('member', 'reader'))
    refused = api.post('/v2.0/networks', {'network': {'name': 's', 'shared': True}},
                       token=member)
    assert refused.status_int == 403
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"create_network:shared": "role:member"\n'
                           '"update_network:shared": "role:member"\n')
    conf = api.env.cloud.conf
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    try:
        loosened = NetworkApi(api.env)
        loosened.token = member
        created = loosened.post('/v2.0/networks', {'network': {'name': 's', 'shared': True}})
        assert created.status_int == 201, created.body
        assert created.json['network']['shared'] is True
        unshared = loosened.put(f"/v2.0/networks/{created.json['network']['id']}",
                                {'network': {'shared': False}})
        assert unshared.status_int == 200 and unshared.json['network']['shared'] is False
    finally:
        conf.clear_override('policy_file', group='oslo_policy')
