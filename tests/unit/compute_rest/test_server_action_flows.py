"""pause/unpause, suspend/resume, lock/unlock and os-resetState through
POST /servers/{id}/action, and what os-instance-actions records of them."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.virt import power_state
from tests.unit.compute_rest.conftest import ComputeEnv

V273 = {'OpenStack-API-Version': 'compute 2.73'}


def _domain_state(compute: ComputeEnv, server_id: str) -> int:
    [host] = compute.cloud.compute_hosts
    return host.manager.driver.get_power_state(server_id)


def _show(compute: ComputeEnv, server_id: str, **kwargs: Any) -> dict[str, Any]:
    return compute.admin.get(f'/servers/{server_id}', **kwargs).json['server']


@pytest.mark.parametrize('there,back,status,power', [
    ('pause', 'unpause', 'PAUSED', power_state.PAUSED),
    ('suspend', 'resume', 'SUSPENDED', power_state.SUSPENDED),
])
def test_there_and_back(compute: ComputeEnv, there: str, back: str, status: str,
                        power: int) -> None:
    server_id = compute.boot(f'{there}-me', with_volume=False)['id']
    assert compute.admin.action(server_id, {back: None}).status_int == 409
    response = compute.admin.action(server_id, {there: {}})
    assert response.status_int == 202 and response.body == b''
    # Busy or done: a second one is refused either way.
    assert compute.admin.action(server_id, {there: None}).status_int == 409
    server = compute.wait(server_id, status=status)
    assert server['OS-EXT-STS:vm_state'] == status.lower()
    assert server['OS-EXT-STS:power_state'] == power == _domain_state(compute, server_id)
    assert compute.admin.action(server_id, {'os-stop': None}).status_int == 409
    assert compute.admin.action(server_id, {back: None}).status_int == 202
    server = compute.wait(server_id, status='ACTIVE')
    assert _domain_state(compute, server_id) == power_state.RUNNING

    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    assert [a['action'] for a in actions['instanceActions']] == [back, there, 'create']
    assert all(a['message'] is None for a in actions['instanceActions'])


def test_stop_and_start_take_empty_objects(compute: ComputeEnv) -> None:
    server_id = compute.boot('braces', with_volume=False)['id']
    assert compute.admin.action(server_id, {'os-stop': {}}).status_int == 202
    compute.wait(server_id, status='SHUTOFF')
    assert compute.admin.action(server_id, {'os-start': {}}).status_int == 202
    compute.wait(server_id, status='ACTIVE')


def test_a_locked_server_refuses_non_admins(compute: ComputeEnv) -> None:
    server_id = compute.create('locked-vm', compute.member, with_volume=False,
                               networks='none')
    compute.wait(server_id, client=compute.member)
    member = compute.member
    assert member.action(server_id, {'lock': {'locked_reason': 'x'}}).status_int == 400
    assert member.request('POST', f'/servers/{server_id}/action',
                          {'lock': {'locked_reason': 'maintenance'}},
                          headers=V273).status_int == 202
    shown = member.get(f'/servers/{server_id}', headers=V273).json['server']
    assert (shown['locked'], shown['locked_reason']) == (True, 'maintenance')
    assert member.get(f'/servers/{server_id}',
                      headers={'OpenStack-API-Version': 'compute 2.9'}
                      ).json['server']['locked'] is True
    for body in ({'os-stop': None}, {'pause': None}, {'reboot': {'type': 'HARD'}}):
        refused = member.action(server_id, body)
        assert refused.status_int == 409 and 'locked' in refused.text, body
    assert member.delete(f'/servers/{server_id}').status_int == 409
    # An admin may still act on it.
    assert compute.admin.action(server_id, {'pause': None}).status_int == 202
    compute.wait(server_id, status='PAUSED', client=member)
    assert member.action(server_id, {'unlock': None}).status_int == 202
    shown = member.get(f'/servers/{server_id}', headers=V273).json['server']
    assert (shown['locked'], shown['locked_reason']) == (False, None)
    assert member.action(server_id, {'unpause': None}).status_int == 202
    compute.wait(server_id, client=member)


def test_an_admin_lock_holds_against_the_owner(compute: ComputeEnv) -> None:
    server_id = compute.create('admin-locked', compute.member, with_volume=False,
                               networks='none')
    compute.wait(server_id, client=compute.member)
    assert compute.admin.action(server_id, {'lock': None}).status_int == 202
    assert compute.member.action(server_id, {'unlock': None}).status_int == 403
    assert compute.admin.action(server_id, {'unlock': None}).status_int == 202


def test_reset_state_is_for_admins(compute: ComputeEnv) -> None:
    server_id = compute.create('reset-me', compute.member, with_volume=False,
                               networks='none')
    compute.wait(server_id, client=compute.member)
    body = {'os-resetState': {'state': 'error'}}
    assert compute.member.action(server_id, body).status_int == 403
    assert compute.admin.action(server_id, {'os-resetState': {'state': 'paused'}}
                                ).status_int == 400
    compute.cloud.instances.update(server_id, task_state='pausing')  # stuck
    assert compute.admin.action(server_id, body).status_int == 202
    server = _show(compute, server_id)
    assert (server['status'], server['OS-EXT-STS:task_state']) == ('ERROR', None)
    assert compute.admin.action(server_id, {'os-resetState': {'state': 'active'}}
                                ).status_int == 202
    assert _show(compute, server_id)['status'] == 'ACTIVE'
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    assert [a['action'] for a in actions['instanceActions']][:2] == ['resetState'] * 2


def test_instance_actions_are_the_projects(compute: ComputeEnv) -> None:
    server_id = compute.boot('mine', with_volume=False)['id']
    path = f'/servers/{server_id}/os-instance-actions'
    listed = compute.admin.get(path)
    assert listed.status_int == 200
    [create] = listed.json['instanceActions']
    assert create['action'] == 'create' and create['instance_uuid'] == server_id
    assert create['request_id'].startswith('req-')
    shown = compute.admin.get(f'{path}/{create["request_id"]}')
    assert shown.status_int == 200 and shown.json['instanceAction']['action'] == 'create'
    assert compute.admin.get(f'{path}/req-unknown').status_int == 404
    assert compute.member.get(path).status_int == 404
    assert compute.reader.get(path).status_int == 200
    assert compute.anonymous.get(path).status_int == 401


def test_the_list_filters_by_the_lock_the_action_set(compute: ComputeEnv) -> None:
    server_id = compute.boot('lock-filtered', with_volume=False)['id']
    assert compute.admin.action(server_id, {'lock': None}).status_int == 202

    def listed(locked: str) -> list[str]:
        servers = compute.admin.request('GET', f'/servers?locked={locked}',
                                        headers=V273).json['servers']
        return [server['id'] for server in servers]

    assert server_id in listed('true') and server_id not in listed('false')
    assert compute.admin.action(server_id, {'unlock': None}).status_int == 202
    assert server_id in listed('false') and server_id not in listed('true')
