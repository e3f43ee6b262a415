"""``/os-server-groups`` as Tempest and ``openstack server group`` use it, and booting
into a group with the ``group`` scheduler hint."""

from __future__ import annotations

import time
from typing import Any

import pytest
import webob

from nova_lite.compute.rest import api_version
from tests.unit.compute_rest.conftest import Client, ComputeEnv

SHAPE_21 = {'id', 'name', 'policies', 'members', 'metadata'}
SHAPE_213 = SHAPE_21 | {'project_id', 'user_id'}
SHAPE_264 = {'id', 'name', 'policy', 'rules', 'members', 'project_id', 'user_id'}


def _headers(version: tuple[int, int]) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {api_version.text(version)}'}


def _post(client: Client, group: Any, version: tuple[int, int] = (2, 1)) -> webob.Response:
    return client.post('/os-server-groups', {'server_group': group}, headers=_headers(version))


def _create(client: Client, group: dict[str, Any],
            version: tuple[int, int] = (2, 1)) -> dict[str, Any]:
    response = _post(client, group, version)
    assert response.status_int == 200, response.text
    return dict(response.json['server_group'])


def test_create_show_list_delete_at_2_1(compute: ComputeEnv) -> None:
    group = _create(compute.member, {'name': 'g21', 'policies': ['anti-affinity']})
    assert set(group) == SHAPE_21
    assert group['policies'] == ['anti-affinity'] and group['members'] == []
    assert group['metadata'] == {}
    shown = compute.member.get(f'/os-server-groups/{group["id"]}')
    assert shown.status_int == 200 and shown.json['server_group'] == group
    listed = compute.member.get('/os-server-groups').json['server_groups']
    assert group in listed
    deleted = compute.member.delete(f'/os-server-groups/{group["id"]}')
    assert deleted.status_int == 204, deleted.text
    assert compute.member.get(f'/os-server-groups/{group["id"]}').status_int == 404
    assert group not in compute.member.get('/os-server-groups').json['server_groups']


def test_shapes_at_2_13_and_2_64(compute: ComputeEnv) -> None:
    at_213 = _create(compute.member, {'name': 'g', 'policies': ['affinity']}, (2, 13))
    assert set(at_213) == SHAPE_213
    at_264 = _create(compute.member, {'name': 'g', 'policy': 'soft-affinity'}, (2, 64))
    assert set(at_264) == SHAPE_264 and at_264['rules'] == {}
    as_string = _create(compute.member, {'name': 'g', 'policy': 'anti-affinity',
                                         'rules': {'max_server_per_host': '3'}}, (2, 64))
    assert as_string['rules'] == {'max_server_per_host': 3}
    # A group made at 2.64 shows at 2.1 with its policy as a list.
    old = compute.member.get(f'/os-server-groups/{as_string["id"]}').json['server_group']
    assert old['policies'] == ['anti-affinity'] and set(old) == SHAPE_21


@pytest.mark.parametrize('version,group,field', [
    ((2, 1), {'name': '', 'policies': ['affinity']}, 'name'),
    ((2, 1), {'name': 'x' * 256, 'policies': ['affinity']}, 'name'),
    ((2, 1), {'name': ' padded ', 'policies': ['affinity']}, 'name'),
    ((2, 1), {'policies': ['affinity']}, 'name'),
    ((2, 1), {'name': 'g', 'policies': ['bogus']}, 'policies'),
    ((2, 1), {'name': 'g', 'policies': ['affinity', 'anti-affinity']}, 'policies'),
    ((2, 1), {'name': 'g', 'policies': []}, 'policies'),
    ((2, 1), {'name': 'g', 'policies': ['soft-affinity']}, 'policies'),
    ((2, 1), {'name': 'g', 'policies': ['affinity'], 'metadata': {}}, 'metadata'),
    ((2, 64), {'name': 'g', 'policies': ['affinity']}, 'policy'),
    ((2, 64), {'name': 'g', 'policy': 'bogus'}, 'policy'),
    ((2, 64), {'name': 'g', 'policy': 'affinity', 'rules': {'max_server_per_host': 2}},
     'rules'),
    ((2, 64), {'name': 'g', 'policy': 'anti-affinity', 'rules': {'max_server_per_host': 0}},
     'max_server_per_host'),
    ((2, 64), {'name': 'g', 'policy': 'anti-affinity', 'rules': {'other': 1}}, 'rules'),
    ((2, 1), 'not-an-object', 'server_group'),
])
def test_bad_create_bodies_are_400_naming_the_field(compute: ComputeEnv,
                                                    version: tuple[int, int], group: Any,
                                                    field: str) -> None:
    response = _post(compute.member, group, version)
    assert response.status_int == 400, response.text
    assert field in response.json['badRequest']['message']


def test_unknown_group_is_404(compute: ComputeEnv) -> None:
    for method in ('get', 'delete'):
        response = getattr(compute.member, method)('/os-server-groups/no-such-group')
        assert response.status_int == 404, response.text
        assert 'itemNotFound' in response.json


def test_policy_reader_lists_member_creates_other_projects_are_forbidden(
        compute: ComputeEnv) -> None:
    refused = _post(compute.reader, {'name': 'g', 'policies': ['affinity']})
    assert refused.status_int == 403, refused.text
    admins = _create(compute.admin, {'name': 'admins', 'policies': ['affinity']})
    assert compute.reader.get(f'/os-server-groups/{admins["id"]}').status_int == 200
    assert compute.reader.delete(f'/os-server-groups/{admins["id"]}').status_int == 403
    assert compute.member.get(f'/os-server-groups/{admins["id"]}').status_int == 403
    assert compute.member.delete(f'/os-server-groups/{admins["id"]}').status_int == 403
    members = _create(compute.member, {'name': 'members', 'policies': ['affinity']})
    own = compute.member.get('/os-server-groups').json['server_groups']
    assert members in own and admins not in own
    # Nova's rule: a non-admin asking for all projects gets their own groups.
    mine = compute.member.get('/os-server-groups?all_projects=True')
    assert mine.status_int == 200 and mine.json['server_groups'] == own
    everyone = compute.admin.get('/os-server-groups?all_projects=True').json['server_groups']
    assert {members['id'], admins['id']} <= {group['id'] for group in everyone}
    assert members['id'] not in {g['id'] for g in
                                 compute.admin.get('/os-server-groups').json['server_groups']}


def test_list_pages_with_limit_and_offset(compute: ComputeEnv) -> None:
    every = [g['id'] for g in compute.member.get('/os-server-groups').json['server_groups']]
    assert len(every) >= 2
    page = compute.member.get('/os-server-groups?limit=1&offset=1').json['server_groups']
    assert [g['id'] for g in page] == every[1:2]
    assert compute.member.get('/os-server-groups?limit=x').status_int == 400


def test_boot_into_a_group_and_leave_it_on_delete(compute: ComputeEnv) -> None:
    group = _create(compute.member, {'name': 'boot', 'policies': ['anti-affinity']})
    body = compute.server_body('grouped', with_volume=False, networks='none')
    response = compute.member.post('/servers', {
        'server': body, 'os:scheduler_hints': {'group': group['id']}})
    assert response.status_int == 202, response.text
    server_id = response.json['server']['id']
    # A member as soon as the API recorded it (nova adds it at the API).
    shown = compute.member.get(f'/os-server-groups/{group["id"]}').json['server_group']
    assert shown['members'] == [server_id]
    compute.wait(server_id, client=compute.member)
    server = compute.member.get(f'/servers/{server_id}',
                                headers=_headers((2, 71))).json['server']
    assert server['server_groups'] == [group['id']]
    assert compute.member.delete(f'/servers/{server_id}').status_int == 204
    deadline = time.monotonic() + 30  # the conductor's delete flow removes it
    while time.monotonic() < deadline:
        members = compute.member.get(
            f'/os-server-groups/{group["id"]}').json['server_group']['members']
        if not members:
            break
        time.sleep(0.02)
    assert members == []


@pytest.mark.parametrize('hint', ['other-project', 'no-such-group'])
def test_boot_hint_must_name_a_visible_group(compute: ComputeEnv, hint: str) -> None:
    group_id = hint
    if hint == 'other-project':
        group_id = _create(compute.admin, {'name': 'theirs', 'policies': ['affinity']})['id']
    before = compute.instance_count()
    response = compute.member.post('/servers', {
        'server': compute.server_body('bad-hint', with_volume=False, networks='none'),
        'os:scheduler_hints': {'group': group_id}})
    assert response.status_int == 400, response.text
    assert 'os:scheduler_hints.group' in response.json['badRequest']['message']
    assert compute.instance_count() == before


def test_group_deleted_during_the_boot_leaves_no_server(compute: ComputeEnv,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    group = _create(compute.member, {'name': 'raced', 'policies': ['affinity']})
    store = compute.cloud.services.server_groups
    real_add = store.add_member

    def deleted_first(group_id: str, instance_id: str) -> None:
        store.delete(group_id)  # another request deletes the group in between
        real_add(group_id, instance_id)

    monkeypatch.setattr(store, 'add_member', deleted_first)
    response = compute.member.post('/servers', {
        'server': compute.server_body('raced-vm', with_volume=False, networks='none'),
        'os:scheduler_hints': {'group': group['id']}})
    assert response.status_int == 400, response.text
    assert 'os:scheduler_hints.group' in response.json['badRequest']['message']
    assert 'raced-vm' not in {i['name'] for i in compute.cloud.instances.list()}
