"""forceDelete, restore, injectNetworkInfo, migrate and os-migrateLive, as Nova answers them."""

from __future__ import annotations

import uuid

from tests.unit.compute_rest.conftest import ComputeEnv


def test_unknown_server_is_404_for_each_action(compute: ComputeEnv) -> None:
    missing = str(uuid.uuid4())
    for body in ({'forceDelete': None}, {'restore': None}, {'injectNetworkInfo': None},
                 {'migrate': None}, {'os-migrateLive': {'host': None}}):
        assert compute.admin.action(missing, body).status_int == 404, body


def test_force_delete_deletes_and_restore_needs_a_soft_deleted_server(
        compute: ComputeEnv) -> None:
    server_id = compute.boot('forced', with_volume=False)['id']
    restored = compute.admin.action(server_id, {'restore': {}})
    assert restored.status_int == 409
    assert 'soft-deleted' in restored.json['conflictingRequest']['message']

    assert compute.admin.action(server_id, {'forceDelete': {}}).status_int == 202
    compute.wait_gone(server_id)
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions',
                                headers={'OpenStack-API-Version': 'compute 2.21'})
    assert 'delete' in [a['action'] for a in actions.json['instanceActions']]


def test_inject_network_info_is_admin_only_and_recorded(compute: ComputeEnv) -> None:
    server_id = compute.boot('injected', with_volume=False)['id']
    assert compute.member.action(server_id, {'injectNetworkInfo': None}).status_int in (403,
                                                                                     404)
    assert compute.admin.action(server_id, {'injectNetworkInfo': None}).status_int == 202
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    recorded = [a for a in actions['instanceActions'] if a['action'] == 'inject_network_info']
    assert len(recorded) == 1
    compute.admin.delete(f'/servers/{server_id}')
    compute.wait_gone(server_id)


def test_migrate_with_no_other_host_is_no_valid_host(compute: ComputeEnv) -> None:
    server_id = compute.boot('moved', with_volume=False)['id']
    for body in ({'migrate': None}, {'os-migrateLive': {'host': None}}):
        response = compute.admin.action(server_id, body)
        assert response.status_int == 400, body
        assert 'No valid host was found' in response.json['badRequest']['message']
    assert compute.admin.action(server_id, {'migrate': {'bogus': 1}}).status_int == 400
    server = compute.admin.get(f'/servers/{server_id}').json['server']
    assert server['status'] == 'ACTIVE' and server['OS-EXT-STS:task_state'] is None
    compute.admin.delete(f'/servers/{server_id}')
    compute.wait_gone(server_id)


def test_progress_is_shown_only_while_running_building_or_moving(
        compute: ComputeEnv) -> None:
    server_id = compute.boot('progress', with_volume=False)['id']
    assert compute.admin.get(f'/servers/{server_id}').json['server']['progress'] == 100
    assert compute.admin.action(server_id, {'os-stop': None}).status_int == 202
    stopped = compute.wait(server_id, status='SHUTOFF')
    assert 'progress' not in stopped
    compute.admin.delete(f'/servers/{server_id}')
    compute.wait_gone(server_id)
