"""os-stop, os-start, reboot and os-getConsoleOutput through POST /servers/{id}/action."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from nova_lite.virt import power_state
from tests.unit.compute_rest.conftest import ComputeEnv


@pytest.fixture(scope='module')
def target(compute: ComputeEnv) -> str:
    return compute.boot('target', with_volume=False)['id']


def _state(compute: ComputeEnv, server_id: str) -> dict[str, Any]:
    return compute.admin.get(f'/servers/{server_id}').json['server']


def _settled(compute: ComputeEnv, server_id: str, timeout: float = 30.0) -> dict[str, Any]:
    """The server once its action flow ended (no task state), as the API shows it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = _state(compute, server_id)
        if server['OS-EXT-STS:task_state'] is None:
            return server
        time.sleep(0.02)
    raise AssertionError(f'{server_id} still busy after {timeout} s')


def _domain_state(compute: ComputeEnv, server_id: str) -> int:
    [host] = compute.cloud.compute_hosts
    return host.manager.driver.get_power_state(server_id)


def test_stop_start_reboot(compute: ComputeEnv) -> None:
    server_id = compute.boot('powered', with_volume=False)['id']

    assert compute.admin.action(server_id, {'os-start': None}).status_int == 409

    stopped = compute.admin.action(server_id, {'os-stop': None})
    assert stopped.status_int == 202 and stopped.body == b''
    server = _settled(compute, server_id)
    assert server['status'] == 'SHUTOFF'
    assert server['OS-EXT-STS:vm_state'] == 'stopped'
    assert server['OS-EXT-STS:task_state'] is None
    assert server['OS-EXT-STS:power_state'] == power_state.SHUTDOWN
    assert _domain_state(compute, server_id) == power_state.SHUTDOWN

    again = compute.admin.action(server_id, {'os-stop': None})
    assert again.status_int == 409 and 'stopped' in again.json['conflictingRequest']['message']
    soft = compute.admin.action(server_id, {'reboot': {'type': 'SOFT'}})
    assert soft.status_int == 409

    assert compute.admin.action(server_id, {'os-start': {}}).status_int == 202
    server = _settled(compute, server_id)
    assert server['status'] == 'ACTIVE'
    assert server['OS-EXT-STS:power_state'] == power_state.RUNNING
    assert _domain_state(compute, server_id) == power_state.RUNNING

    for kind in ('SOFT', 'HARD'):
        assert compute.admin.action(server_id, {'reboot': {'type': kind}}).status_int == 202
        server = _settled(compute, server_id)
        assert (server['status'], server['OS-EXT-STS:task_state']) == ('ACTIVE', None)
        assert server['OS-EXT-STS:power_state'] == power_state.RUNNING

    # A hard reboot also brings back a stopped server.
    compute.admin.action(server_id, {'os-stop': None})
    assert _settled(compute, server_id)['status'] == 'SHUTOFF'
    assert compute.admin.action(server_id, {'reboot': {'type': 'HARD'}}).status_int == 202
    assert _settled(compute, server_id)['OS-EXT-STS:power_state'] == power_state.RUNNING

    console = compute.admin.action(server_id, {'os-getConsoleOutput': {'length': None}})
    assert console.status_int == 200
    lines = console.json['output'].splitlines()
    assert any('powered off' in line for line in lines)
    assert any('rebooted' in line for line in lines)
    # Lines are counted as nova counts them: the log's final newline ends an empty one.
    assert console.json['output'].endswith('\n')
    last = compute.admin.action(server_id, {'os-getConsoleOutput': {'length': 2}})
    assert last.json['output'] == f'{lines[-1]}\n'
    assert len(compute.admin.action(server_id, {'os-getConsoleOutput': {'length': 3}})
               .json['output'].split('\n')) == 3  # what tempest checks
    assert compute.admin.action(server_id, {'os-getConsoleOutput': {}}).json == console.json
    assert compute.admin.action(server_id, {'os-getConsoleOutput': {'length': '0'}}).json == {
        'output': ''}


def test_actions_need_a_member_of_the_project(compute: ComputeEnv) -> None:
    server_id = compute.boot('guarded', with_volume=False)['id']
    denied = compute.reader.action(server_id, {'os-stop': None})
    assert denied.status_int == 403
    assert compute.member.action(server_id, {'os-stop': None}).status_int == 404
    assert compute.anonymous.action(server_id, {'os-stop': None}).status_int == 401
    assert compute.admin.action(str(uuid.uuid4()), {'os-stop': None}).status_int == 404
    assert compute.admin.action('guarded', {'os-stop': None}).status_int == 404
    assert _state(compute, server_id)['status'] == 'ACTIVE'


def test_actions_on_a_building_or_failed_server_conflict(compute: ComputeEnv) -> None:
    failed = compute.create('broken', with_volume=False)
    compute.wait(failed)
    store = compute.cloud.instances
    store.update(failed, vm_state='building', task_state='spawning')
    for body in ({'os-stop': None}, {'os-start': None}, {'reboot': {'type': 'HARD'}},
                 {'os-getConsoleOutput': {}}):
        assert compute.admin.action(failed, body).status_int == 409, body
    store.set_error(failed, message='spawn failed', code=500)
    server = _state(compute, failed)
    assert server['status'] == 'ERROR'
    assert server['fault']['message'] == 'spawn failed' and server['fault']['code'] == 500
    for body in ({'os-stop': None}, {'os-start': None}, {'reboot': {'type': 'SOFT'}}):
        assert compute.admin.action(failed, body).status_int == 409, body


@pytest.mark.parametrize('body,field', [
    ({}, '<body>'),
    ({'os-stop': None, 'os-start': None}, '<body>'),
    ({'os-migrate': None}, 'os-migrate'),
    ({'reboot': {}}, 'reboot.type'),
    ({'reboot': {'type': 'GENTLE'}}, 'reboot.type'),
    ({'reboot': {'type': 'SOFT', 'force': True}}, 'reboot'),
    ({'reboot': None}, 'reboot'),
    ({'os-stop': {'now': True}}, 'os-stop'),
    ({'os-getConsoleOutput': {'length': -2}}, 'length'),
    ({'os-getConsoleOutput': {'length': 'ten'}}, 'length'),
    ({'os-getConsoleOutput': {'length': 2 ** 40}}, 'length'),
    ([{'os-stop': None}], '<body>'),
])
def test_bad_action_bodies(compute: ComputeEnv, target: str, body: Any, field: str) -> None:
    server_id = target
    before = compute.cloud.instances.get(server_id)
    response = compute.admin.action(server_id, body)
    assert response.status_int == 400, response.text
    assert field in response.json['badRequest']['message']
    after = compute.cloud.instances.get(server_id)
    assert (after['vm_state'], after['task_state']) == (before['vm_state'],
                                                       before['task_state'])


def test_action_body_must_be_json(compute: ComputeEnv) -> None:
    server_id = compute.boot('json-only', with_volume=False)['id']
    assert compute.admin.post(f'/servers/{server_id}/action', raw=b'{os-stop').status_int == 400
    assert compute.admin.post(f'/servers/{server_id}/action', raw=b'x',
                              content_type='text/plain').status_int == 415
    assert compute.admin.post(f'/servers/{server_id}/action').status_int == 400


def test_failed_host_call_leaves_the_state_as_it_was(compute: ComputeEnv) -> None:
    """The host refuses (no domain): the flow reverts, the server is as it was,
    and the action's event says Error."""
    server_id = compute.boot('lost-domain', with_volume=False)['id']
    [host] = compute.cloud.compute_hosts
    host.manager.driver.destroy(server_id)  # the hypervisor lost the domain
    for body in ({'os-stop': None}, {'reboot': {'type': 'HARD'}}):
        response = compute.admin.action(server_id, body)
        assert response.status_int == 202, response.text
        server = _settled(compute, server_id)
        assert (server['status'], server['OS-EXT-STS:task_state']) == ('ACTIVE', None)
        assert server['OS-EXT-STS:power_state'] == power_state.RUNNING
        request_id = response.headers['x-compute-request-id']
        action = compute.admin.get(
            f'/servers/{server_id}/os-instance-actions/{request_id}').json['instanceAction']
        assert action['message'] == 'Error'
        assert [event['result'] for event in action['events']] == ['Error']
    response = compute.admin.action(server_id, {'os-getConsoleOutput': {}})
    assert response.status_int == 409, response.text
    assert 'no domain' in response.json['conflictingRequest']['message']
