"""DELETE /v2.0/security-groups/{id}: an admin removes a project's default group, as
Tempest does when it tears a test project down; a member gets neutron's 409."""

from __future__ import annotations

from tests.unit.network_rest.conftest import NetworkApi, neutron_error


def _default_group_of(api: NetworkApi, project_id: str) -> list[dict]:
    response = api.get(f'/v2.0/security-groups?project_id={project_id}&name=default')
    assert response.status_int == 200, response.body
    return response.json['security_groups']


def test_an_admin_deletes_a_project_s_default_group_as_tempest_s_teardown_does(
        api: NetworkApi) -> None:
    identity = api.env.cloud.identity
    project = identity.create_project('torn-down', 'default')
    # tempest.lib.common.cred_provider.cleanup_default_secgroup, then the project's delete.
    [group] = _default_group_of(api, project['id'])  # made on this first use
    response = api.delete(f"/v2.0/security-groups/{group['id']}")
    assert response.status_int == 204, response.body
    assert response.body == b''
    gone = api.delete(f"/v2.0/security-groups/{group['id']}")
    assert gone.status_int == 404 and neutron_error(gone)['type'] == 'SecurityGroupNotFound'
    rules = api.get(f"/v2.0/security-group-rules?security_group_id={group['id']}")
    assert rules.json['security_group_rules'] == []  # its rules went with it
    # As in neutron, the project's next use makes a new default group.
    [again] = _default_group_of(api, project['id'])
    assert again['id'] != group['id']


def test_a_member_may_not_delete_its_default_group(api: NetworkApi) -> None:
    member = api.user_token('proj-m', 'user-m', ('member',))
    [group] = api.get('/v2.0/security-groups', token=member).json['security_groups']
    response = api.delete(f"/v2.0/security-groups/{group['id']}", token=member)
    assert response.status_int == 409
    assert neutron_error(response) == {
        'type': 'SecurityGroupCannotRemoveDefault', 'detail': '',
        'message': 'Insufficient rights for removing default security group.'}
    shown = api.get(f"/v2.0/security-groups/{group['id']}", token=member)
    assert shown.status_int == 200


def test_other_projects_groups_unknown_ids_and_readers(api: NetworkApi) -> None:
    [admin_group] = _default_group_of(api, api.env.ctx.project_id)
    member = api.user_token('proj-o', 'user-o', ('member',))
    # Another project's group does not exist for a member.
    theirs = api.delete(f"/v2.0/security-groups/{admin_group['id']}", token=member)
    assert theirs.status_int == 404
    assert neutron_error(theirs)['type'] == 'SecurityGroupNotFound'
    unknown = api.delete('/v2.0/security-groups/5b0a2f7e-0000-4000-8000-000000000000')
    assert unknown.status_int == 404
    reader = api.user_token('proj-r', 'user-r', ('reader',))
    [own] = api.get('/v2.0/security-groups', token=reader).json['security_groups']
    refused = api.delete(f"/v2.0/security-groups/{own['id']}", token=reader)
    assert refused.status_int == 403
    assert neutron_error(refused)['type'] == 'PolicyNotAuthorized'
    assert api.delete(f"/v2.0/security-groups/{own['id']}", token='').status_int == 401
