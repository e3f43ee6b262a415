"""``os-server-external-events``, ``os-instance_usage_audit_log`` and server diagnostics."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest

from nova_lite.compute.rest import usage_audit_log
from tests.unit.compute_rest.conftest import Client, ComputeEnv

LATEST = {'OpenStack-API-Version': 'compute 2.100'}
PATH = '/os-server-external-events'


@pytest.fixture(scope='module')
def server(compute: ComputeEnv) -> dict[str, Any]:
    return compute.boot('evented', with_volume=False)


def _send(client: Client, events: list[dict[str, Any]],
          headers: dict[str, str] | None = None) -> Any:
    return client.post(PATH, {'events': events}, headers=headers or LATEST)


def test_network_changed_is_accepted(compute: ComputeEnv, server: dict[str, Any]) -> None:
    response = _send(compute.admin, [{'name': 'network-changed', 'server_uuid': server['id']}])
    assert response.status_int == 200, response.text
    assert response.json == {'events': [{'name': 'network-changed', 'status': 'completed',
                                         'server_uuid': server['id'], 'code': 200}]}


def test_network_changed_refreshes_network_info(compute: ComputeEnv,
                                                server: dict[str, Any]) -> None:
    instances = compute.cloud.instances
    before = instances.get(server['id'])['network_info']
    assert len(before) == 1
    instances.update(server['id'], network_info=[])  # out of date, as after a port change
    assert compute.admin.get(f'/servers/{server["id"]}').json['server']['addresses'] == {}
    _send(compute.admin, [{'name': 'network-changed', 'server_uuid': server['id'],
                           'tag': before[0]['port_id']}])
    after = instances.get(server['id'])['network_info']
    assert after == before
    addresses = compute.admin.get(f'/servers/{server["id"]}').json['server']['addresses']
    assert list(addresses) == [compute.env.network['name']]


def test_vif_deleted_drops_the_port(compute: ComputeEnv) -> None:
    server = compute.boot('vif-deleted', with_volume=False)
    port_id = compute.cloud.instances.get(server['id'])['network_info'][0]['port_id']
    response = _send(compute.admin, [
        {'name': 'network-vif-deleted', 'server_uuid': server['id'], 'tag': port_id},
        {'name': 'network-vif-plugged', 'server_uuid': server['id'], 'tag': port_id,
         'status': 'failed'}])
    assert [event['code'] for event in response.json['events']] == [200, 200]
    assert response.json['events'][1]['status'] == 'failed'
    assert response.json['events'][0]['tag'] == port_id
    assert compute.cloud.instances.get(server['id'])['network_info'] == []



def test_vif_deleted_while_deleting_does_not_call_the_host(
        compute: ComputeEnv, caplog: pytest.LogCaptureFixture) -> None:
    # A delete destroys the domain before it frees the ports; the port events that
    # follow have no NIC to unplug and must not ask the host for one.
    server = compute.boot('vif-deleted-deleting', with_volume=False)
    port_id = compute.cloud.instances.get(server['id'])['network_info'][0]['port_id']
    [host] = compute.cloud.compute_hosts
    host.manager.driver.destroy(server['id'])
    compute.cloud.instances.update(server['id'], task_state='deleting')
    with caplog.at_level('WARNING'):
        response = _send(compute.admin, [
            {'name': 'network-vif-deleted', 'server_uuid': server['id'], 'tag': port_id}])
    assert [event['code'] for event in response.json['events']] == [200]
    assert compute.cloud.instances.get(server['id'])['network_info'] == []
    assert 'Could not unplug' not in caplog.text


def test_unknown_server_is_404_inside_a_207(compute: ComputeEnv,
                                            server: dict[str, Any]) -> None:
    missing = str(uuid.uuid4())
    response = _send(compute.admin, [
        {'name': 'network-vif-plugged', 'server_uuid': server['id']},
        {'name': 'network-vif-unplugged', 'server_uuid': missing}])
    assert response.status_int == 207
    assert [(e['code'], e['status']) for e in response.json['events']] == [
        (200, 'completed'), (404, 'failed')]


def test_no_event_accepted_is_404(compute: ComputeEnv) -> None:
    response = _send(compute.admin, [{'name': 'network-changed',
                                      'server_uuid': str(uuid.uuid4())}])
    assert response.status_int == 404


def test_a_server_not_on_a_host_is_422(compute: ComputeEnv, server: dict[str, Any]) -> None:
    unbuilt = compute.cloud.instances.create(
        name='unbuilt', project_id=compute.env.ctx.project_id,
        user_id=compute.env.ctx.user_id, flavor_id=compute.env.flavor['id'],
        image_id=compute.env.image['id'], availability_zone=None, metadata={},
        build_request={})
    response = _send(compute.admin, [
        {'name': 'volume-extended', 'server_uuid': unbuilt['id'], 'tag': str(uuid.uuid4())},
        {'name': 'network-changed', 'server_uuid': server['id']}])
    assert response.status_int == 207
    assert [e['code'] for e in response.json['events']] == [422, 200]
    compute.cloud.instances.mark_deleted(unbuilt['id'])


def test_power_update(compute: ComputeEnv) -> None:
    server = compute.boot('powered', with_volume=False)
    off = _send(compute.admin, [{'name': 'power-update', 'server_uuid': server['id'],
                                 'tag': 'POWER_OFF'}])
    assert off.status_int == 200, off.text
    shown = compute.admin.get(f'/servers/{server["id"]}').json['server']
    assert (shown['status'], shown['OS-EXT-STS:power_state']) == ('SHUTOFF', 4)
    _send(compute.admin, [{'name': 'power-update', 'server_uuid': server['id'],
                           'tag': 'POWER_ON'}])
    shown = compute.admin.get(f'/servers/{server["id"]}').json['server']
    assert (shown['status'], shown['OS-EXT-STS:power_state']) == ('ACTIVE', 1)
    bad_tag = _send(compute.admin, [{'name': 'power-update', 'server_uuid': server['id'],
                                     'tag': 'SIDEWAYS'}])
    assert bad_tag.status_int == 404  # its only event was not accepted (422)


@pytest.mark.parametrize('events', [
    [], [{'name': 'network-changed'}], [{'name': 'reboot', 'server_uuid': str(uuid.uuid4())}],
    [{'name': 'network-changed', 'server_uuid': 'not-a-uuid'}],
    [{'name': 'network-changed', 'server_uuid': str(uuid.uuid4()), 'status': 'done'}],
    [{'name': 'network-changed', 'server_uuid': str(uuid.uuid4()), 'extra': 1}],
])
def test_bad_bodies_are_400(compute: ComputeEnv, events: list[dict[str, Any]]) -> None:
    assert _send(compute.admin, events).status_int == 400


def test_admin_only(compute: ComputeEnv, server: dict[str, Any]) -> None:
    event = [{'name': 'network-changed', 'server_uuid': server['id']}]
    assert _send(compute.member, event).status_int == 403
    assert _send(compute.reader, event).status_int == 403


def test_usage_audit_log(compute: ComputeEnv) -> None:
    listed = compute.admin.get('/os-instance_usage_audit_log')
    assert listed.status_int == 200, listed.text
    log = listed.json['instance_usage_audit_logs']
    assert log['hosts_not_run'] == ['host1'] and log['num_hosts'] == 1
    assert log['overall_status'] == '0 of 1 hosts done. 0 errors.'
    shown = compute.admin.get('/os-instance_usage_audit_log/2026-03-15%2010:00:00')
    assert shown.json['instance_usage_audit_log']['period_beginning'] == '2026-02-01 00:00:00'
    assert shown.json['instance_usage_audit_log']['period_ending'] == '2026-03-01 00:00:00'
    assert compute.admin.get('/os-instance_usage_audit_log/invalid_time').status_int == 400
    assert compute.member.get('/os-instance_usage_audit_log').status_int == 403


def test_audit_period_crosses_the_year() -> None:
    begin, end = usage_audit_log.audit_period(datetime.datetime(2026, 1, 9, 8))
    assert (str(begin), str(end)) == ('2025-12-01 00:00:00', '2026-01-01 00:00:00')


def test_diagnostics(compute: ComputeEnv, server: dict[str, Any]) -> None:
    path = f'/servers/{server["id"]}/diagnostics'
    standard = compute.admin.get(path, headers={'OpenStack-API-Version': 'compute 2.48'})
    assert standard.status_int == 200, standard.text
    body = standard.json
    assert (body['state'], body['driver'], body['num_nics']) == ('running', 'libvirt', 1)
    assert body['memory_details']['maximum'] == compute.env.flavor['memory_mb']
    assert body['num_cpus'] == compute.env.flavor['vcpus'] == len(body['cpu_details'])
    assert body['nic_details'][0]['mac_address']
    assert body['num_disks'] == len(body['disk_details']) == 1
    old = compute.admin.get(path, headers={'OpenStack-API-Version': 'compute 2.47'}).json
    assert 'memory_details' not in old and old['memory'] == compute.env.flavor['memory_mb'] * 1024
    assert compute.member.get(path).status_int == 404  # another project's server
    assert compute.reader.get(path).status_int == 403
