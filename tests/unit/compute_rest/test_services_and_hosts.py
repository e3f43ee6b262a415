"""os-services, os-hosts and os-hypervisors: shapes per microversion, errors, policy,
and the scheduler honouring a disabled or forced-down compute service."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from tests.unit.compute_rest.conftest import ComputeEnv


def _v(version: str) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {version}'}


def _services(compute: ComputeEnv, version: str = '2.1', query: str = '') -> list[Any]:
    response = compute.admin.get(f'/os-services{query}', headers=_v(version))
    assert response.status_int == 200, response.text
    services: list[Any] = response.json['services']
    return services


def _compute_service(compute: ComputeEnv, version: str = '2.1') -> dict[str, Any]:
    [service] = _services(compute, version, '?binary=nova-compute&host=host1')
    return service


@pytest.fixture
def host2(compute: ComputeEnv) -> Iterator[str]:
    """A second compute host, registered the way a compute service registers."""
    scheduler = compute.cloud.services.scheduler_rpcapi
    ctx = nl_context.get_admin_context()
    scheduler.update_compute_node(ctx, 'host2', {'vcpus': 2, 'memory_mb': 2048,
                                                 'local_gb': 20, 'hypervisor_type': 'fake'})
    yield 'host2'
    with contextlib.suppress(exception.NotFound):
        scheduler.delete_compute_node(ctx, 'host2')


def test_list_services_per_microversion(compute: ComputeEnv) -> None:
    services = _services(compute)
    binaries = {s['binary'] for s in services}
    assert binaries == {'nova-compute', 'nova-scheduler'}
    old = _compute_service(compute)
    assert isinstance(old['id'], int) and 'forced_down' not in old
    assert old['status'] == 'enabled' and old['state'] == 'up' and old['zone'] == 'nova'
    assert _compute_service(compute, '2.11')['forced_down'] is False
    new = _compute_service(compute, '2.53')
    assert isinstance(new['id'], str) and len(new['id']) == 36
    scheduler = [s for s in services if s['binary'] == 'nova-scheduler'][0]
    assert scheduler['zone'] == 'internal' and scheduler['state'] == 'up'
    assert _services(compute, query='?binary=xxx') == []
    assert _services(compute, query='?host=xxx&binary=nova-compute') == []
    # Unknown query parameters: ignored before 2.75, a 400 from 2.75.
    assert len(_services(compute, '2.74', '?xxx=1')) == len(services)
    assert compute.admin.get('/os-services?xxx=1', headers=_v('2.75')).status_int == 400
    for client in (compute.member, compute.reader):
        assert client.get('/os-services').status_int == 403


def test_disable_enable_force_down_before_2_53(compute: ComputeEnv) -> None:
    which = {'host': 'host1', 'binary': 'nova-compute'}
    disabled = compute.admin.request('PUT', '/os-services/disable-log-reason',
                                     {**which, 'disabled_reason': 'maintenance'})
    assert disabled.status_int == 200, disabled.text
    assert disabled.json == {'service': {**which, 'status': 'disabled',
                                         'disabled_reason': 'maintenance'}}
    assert _compute_service(compute)['disabled_reason'] == 'maintenance'
    [hypervisor] = compute.admin.get('/os-hypervisors').json['hypervisors']
    assert hypervisor['status'] == 'disabled'
    # The scheduler honours it: a boot finds no host.
    server = compute.admin.get(f'/servers/{compute.create("refused")}').json['server']
    assert compute.wait(server['id'], status='ERROR')['status'] == 'ERROR'
    enabled = compute.admin.request('PUT', '/os-services/enable', which)
    assert enabled.json == {'service': {**which, 'status': 'enabled'}}
    assert _compute_service(compute)['disabled_reason'] is None

    assert compute.admin.request('PUT', '/os-services/force-down',
                                 {**which, 'forced_down': True}).status_int == 404
    down = compute.admin.request('PUT', '/os-services/force-down',
                                 {**which, 'forced_down': True}, headers=_v('2.11'))
    assert down.json == {'service': {**which, 'forced_down': True}}
    assert _compute_service(compute)['state'] == 'down'
    compute.admin.request('PUT', '/os-services/force-down', {**which, 'forced_down': False},
                          headers=_v('2.11'))
    assert _compute_service(compute)['state'] == 'up'
    compute.boot('accepted-again', with_volume=False)

    assert compute.admin.request('PUT', '/os-services/disable',
                                 {'host': 'nope', 'binary': 'nova-compute'}).status_int == 404
    assert compute.admin.request('PUT', '/os-services/disable', {'host': 'host1'}
                                 ).status_int == 400
    assert compute.admin.request('PUT', '/os-services/reboot', which).status_int == 404
    assert compute.member.request('PUT', '/os-services/disable', which).status_int == 403


def test_update_by_uuid_from_2_53(compute: ComputeEnv) -> None:
    service_id = _compute_service(compute, '2.53')['id']
    path = f'/os-services/{service_id}'
    at = _v('2.53')
    updated = compute.admin.request('PUT', path, {'status': 'disabled',
                                                  'disabled_reason': 'upgrade'}, headers=at)
    assert updated.status_int == 200, updated.text
    body = updated.json['service']
    assert body['id'] == service_id and body['status'] == 'disabled'
    assert body['disabled_reason'] == 'upgrade' and body['forced_down'] is False
    enabled = compute.admin.request('PUT', path, {'status': 'enabled'}, headers=at)
    assert enabled.json['service']['disabled_reason'] is None
    forced = compute.admin.request('PUT', path, {'forced_down': True}, headers=at)
    assert forced.json['service']['state'] == 'down'
    compute.admin.request('PUT', path, {'forced_down': False}, headers=at)

    for body, status in (({}, 400), ({'status': 'enabled', 'disabled_reason': 'x'}, 400),
                         ({'status': 'off'}, 400), ({'forced_down': 'yes'}, 400)):
        assert compute.admin.request('PUT', path, body, headers=at).status_int == status
    missing = '0a8b9e3c-1d7f-4a51-9a43-3a1f0c2b6d11'
    assert compute.admin.request('PUT', f'/os-services/{missing}', {'status': 'enabled'},
                                 headers=at).status_int == 404
    assert compute.admin.request('PUT', '/os-services/enable', {'status': 'enabled'},
                                 headers=at).status_int == 400
    scheduler = [s for s in _services(compute, '2.53') if s['binary'] == 'nova-scheduler'][0]
    assert compute.admin.request('PUT', f'/os-services/{scheduler["id"]}',
                                 {'status': 'disabled'}, headers=at).status_int == 400


def test_delete_service(compute: ComputeEnv, host2: str) -> None:
    compute.boot('keeps-host1', with_volume=False)
    host1 = _compute_service(compute)
    assert compute.admin.delete(f'/os-services/{host1["id"]}').status_int == 409
    [other] = _services(compute, '2.53', f'?host={host2}')
    assert compute.member.delete(f'/os-services/{other["id"]}',
                                 headers=_v('2.53')).status_int == 403
    # Before 2.53 ids are integers: a uuid names no service.
    assert compute.admin.delete(f'/os-services/{other["id"]}').status_int == 404
    assert compute.admin.delete(f'/os-services/{other["id"]}',
                                headers=_v('2.53')).status_int == 204
    assert _services(compute, query=f'?host={host2}') == []
    assert compute.admin.delete('/os-services/999999').status_int == 404


def test_hypervisors(compute: ComputeEnv) -> None:
    compute.boot('on-host1', with_volume=False)
    [summary] = compute.admin.get('/os-hypervisors').json['hypervisors']
    hypervisor_id = summary['id']
    show = compute.admin.get(f'/os-hypervisors/{hypervisor_id}').json['hypervisor']
    assert show['hypervisor_hostname'] == summary['hypervisor_hostname']
    assert isinstance(show['free_ram_mb'], int) and show['running_vms'] >= 1
    assert show['cpu_info'] == '{}' and isinstance(show['service']['id'], int)
    assert compute.admin.get(f'/os-hypervisors/{hypervisor_id}',
                             headers=_v('2.28')).json['hypervisor']['cpu_info'] == {}
    at_253 = compute.admin.get(f'/os-hypervisors/{hypervisor_id}?with_servers=true',
                               headers=_v('2.53')).json['hypervisor']
    assert isinstance(at_253['service']['id'], str) and at_253['servers']
    assert compute.admin.get('/os-hypervisors/nope').status_int == 404

    stats = compute.admin.get('/os-hypervisors/statistics').json['hypervisor_statistics']
    assert stats['count'] == 1 and stats['vcpus'] == show['vcpus']
    uptime = compute.admin.get(f'/os-hypervisors/{hypervisor_id}/uptime').json['hypervisor']
    assert uptime['uptime'].startswith('up since')
    at_288 = _v('2.88')
    assert compute.admin.get('/os-hypervisors/statistics', headers=at_288).status_int == 404
    assert compute.admin.get(f'/os-hypervisors/{hypervisor_id}/uptime',
                             headers=at_288).status_int == 404
    shown_288 = compute.admin.get(f'/os-hypervisors/{hypervisor_id}',
                                  headers=at_288).json['hypervisor']
    assert 'vcpus' not in shown_288 and shown_288['uptime'].startswith('up since')

    name = summary['hypervisor_hostname']
    [found] = compute.admin.get(f'/os-hypervisors/{name[:3]}/search').json['hypervisors']
    assert found['id'] == hypervisor_id
    [with_servers] = compute.admin.get(f'/os-hypervisors/{name}/servers').json['hypervisors']
    assert with_servers['servers'] and set(with_servers['servers'][0]) == {'uuid', 'name'}
    assert compute.admin.get('/os-hypervisors/zzz/search').status_int == 404
    assert compute.admin.get(f'/os-hypervisors/{name}/search',
                             headers=_v('2.53')).status_int == 404
    listed = compute.admin.get(f'/os-hypervisors?hypervisor_hostname_pattern={name}'
                               '&with_servers=1', headers=_v('2.53')).json['hypervisors']
    assert [h['id'] for h in listed] == [hypervisor_id] and listed[0]['servers']
    assert compute.admin.get('/os-hypervisors?hypervisor_hostname_pattern=zzz',
                             headers=_v('2.53')).status_int == 404
    for path in ('/os-hypervisors/statistics', f'/os-hypervisors/{hypervisor_id}',
                 f'/os-hypervisors/{hypervisor_id}/uptime', f'/os-hypervisors/{name}/search',
                 f'/os-hypervisors/{name}/servers', '/os-hypervisors/detail'):
        assert compute.member.get(path).status_int == 403, path


def test_hypervisor_paging_from_2_33(compute: ComputeEnv, host2: str) -> None:
    everything = compute.admin.get('/os-hypervisors?limit=1').json
    assert len(everything['hypervisors']) == 2 and 'hypervisors_links' not in everything
    page = compute.admin.get('/os-hypervisors/detail?limit=1', headers=_v('2.33')).json
    assert len(page['hypervisors']) == 1 and page['hypervisors_links'][0]['rel'] == 'next'
    marker = page['hypervisors'][0]['id']
    rest = compute.admin.get(f'/os-hypervisors?marker={marker}', headers=_v('2.33')).json
    assert len(rest['hypervisors']) == 1 and rest['hypervisors'][0]['id'] != marker
    assert compute.admin.get('/os-hypervisors?marker=nope',
                             headers=_v('2.33')).status_int == 400


def test_hosts_before_2_43(compute: ComputeEnv) -> None:
    hosts = compute.admin.get('/os-hosts').json['hosts']
    assert {'host_name': 'host1', 'service': 'compute', 'zone': 'nova'} in hosts
    assert any(h['service'] == 'scheduler' and h['zone'] == 'internal' for h in hosts)
    assert compute.admin.get('/os-hosts?zone=nova').json['hosts'] == [
        {'host_name': 'host1', 'service': 'compute', 'zone': 'nova'}]
    assert compute.admin.get('/os-hosts?zone=').json['hosts'] == hosts
    assert compute.admin.get('/os-hosts?zone=xxx').json['hosts'] == []
    compute.boot('counted-on-host', with_volume=False)
    resources = [r['resource'] for r in compute.admin.get('/os-hosts/host1').json['host']]
    assert [r['project'] for r in resources[:3]] == ['(total)', '(used_now)', '(used_max)']
    assert resources[3]['project'] == compute.env.ctx.project_id and resources[3]['cpu'] >= 1
    assert all(r['host'] == 'host1' for r in resources)
    assert compute.admin.get('/os-hosts/nope').status_int == 404
    assert compute.admin.get('/os-hosts', headers=_v('2.43')).status_int == 404
    assert compute.member.get('/os-hosts').status_int == 403
    assert compute.member.get('/os-hosts/host1').status_int == 403

    put = compute.admin.request
    assert put('PUT', '/os-hosts/host1', {'status': 'disable'}).json == {
        'host': 'host1', 'status': 'disabled'}
    assert _compute_service(compute)['status'] == 'disabled'
    assert put('PUT', '/os-hosts/host1', {'status': 'enable'}).json['status'] == 'enabled'
    assert put('PUT', '/os-hosts/host1', {'maintenance_mode': 'enable'}).status_int == 501
    for body in ({}, {'status': 'invalid'}, {'maintenance_mode': 'invalid'}):
        assert put('PUT', '/os-hosts/host1', body).status_int == 400
    assert put('PUT', '/os-hosts/nope', {'status': 'enable'}).status_int == 404
    for action in ('startup', 'shutdown', 'reboot'):
        assert compute.admin.get(f'/os-hosts/host1/{action}').status_int == 501
        assert compute.admin.get(f'/os-hosts/nope/{action}').status_int == 404
        assert compute.member.get(f'/os-hosts/host1/{action}').status_int == 403
