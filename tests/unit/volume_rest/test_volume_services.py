"""os-services, os-hosts, scheduler-stats, capabilities and extensions."""

from __future__ import annotations

from typing import Any

from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user, osc_create_body


def _volume_host(env: CloudEnv) -> str:
    conf = env.cloud.conf
    return f'{conf.host}@{conf.volume.backend}'


def test_services_list_and_filters(admin: Client, env: CloudEnv) -> None:
    services = admin.get('/os-services').json['services']
    by_binary = {service['binary']: service for service in services}
    assert set(by_binary) == {'cinder-scheduler', 'cinder-volume'}
    assert by_binary['cinder-volume']['host'] == _volume_host(env)
    assert by_binary['cinder-scheduler']['host'] == env.cloud.conf.host
    assert all(service['state'] == 'up' for service in services)
    short = env.cloud.conf.host
    on_host = admin.get(f'/os-services?host={short}&binary=cinder-volume').json['services']
    assert [service['binary'] for service in on_host] == ['cinder-volume']
    assert admin.get('/os-services?binary=nope').json['services'] == []
    assert len(admin.get(f'/os-services?host={short}').json['services']) == 2


def test_services_are_admin_only(app: Any, env: CloudEnv) -> None:
    member = make_user(env, app, ['member'])
    assert member.get('/os-services').status_int == 403
    assert member.put('/os-services/disable', {'host': 'h', 'binary': 'b'}).status_int == 403
    assert member.get('/os-hosts').status_int == 403
    assert member.get('/scheduler-stats/get_pools').status_int == 403


def test_disable_is_stored_and_sends_new_volumes_to_error(admin: Client,
                                                          env: CloudEnv) -> None:
    host = _volume_host(env)
    source = admin.post('/volumes', osc_create_body(name='clone-source')).json['volume']['id']
    changed = admin.put('/os-services/disable-log-reason', {
        'host': host, 'binary': 'cinder-volume', 'disabled_reason': 'maintenance'})
    try:
        assert changed.status_int == 200, changed.text
        assert changed.json['status'] == 'disabled'
        assert changed.json['disabled_reason'] == 'maintenance'
        listed = admin.get('/os-services?binary=cinder-volume').json['services'][0]
        assert (listed['status'], listed['disabled_reason']) == ('disabled', 'maintenance')
        created = admin.post('/volumes', osc_create_body(name='while-disabled'))
        assert created.status_int == 202
        volume_id = created.json['volume']['id']
        assert admin.get(f'/volumes/{volume_id}').json['volume']['status'] == 'error'
        clone = admin.post('/volumes', osc_create_body(name='clone', source_volid=source))
        assert clone.status_int == 202, clone.text
        clone_id = clone.json['volume']['id']
        assert admin.get(f'/volumes/{clone_id}').json['volume']['status'] == 'error'
        for done in (volume_id, clone_id):
            assert admin.delete(f'/volumes/{done}').status_int == 202
        assert admin.get(f'/os-hosts/{host}').status_int == 404
    finally:
        enabled = admin.put('/os-services/enable', {'host': host, 'binary': 'cinder-volume'})
    assert enabled.status_int == 200
    assert enabled.json['disabled'] is False and enabled.json['disabled_reason'] is None
    created = admin.post('/volumes', osc_create_body(name='after-enable'))
    volume_id = created.json['volume']['id']
    assert admin.get(f'/volumes/{volume_id}').json['volume']['status'] == 'available'
    for done in (volume_id, source):
        assert admin.delete(f'/volumes/{done}').status_int == 202


def test_service_update_errors(admin: Client, env: CloudEnv) -> None:
    host = _volume_host(env)
    assert admin.put('/os-services/enable', {'host': 'nowhere',
                                             'binary': 'cinder-volume'}).status_int == 404
    assert admin.put('/os-services/disable', {'host': host,
                                              'binary': 'nope'}).status_int == 404
    no_reason = admin.put('/os-services/disable-log-reason', {
        'host': host, 'binary': 'cinder-volume', 'disabled_reason': None})
    assert no_reason.status_int == 400 and 'disabled_reason' in no_reason.text
    assert admin.put('/os-services/freeze', {'host': 'nowhere'}).status_int == 400
    assert admin.put('/os-services/thaw', {'host': 'nowhere'}).status_int == 400
    assert admin.put('/os-services/enable', {'binary': 'cinder-volume'}).status_int == 400


def test_freeze_and_thaw(admin: Client, env: CloudEnv) -> None:
    host = _volume_host(env)
    assert admin.put('/os-services/freeze', {'host': host}).status_int == 200
    try:
        service = admin.get('/os-services?binary=cinder-volume').json['services'][0]
        assert service['frozen'] is True
        created = admin.post('/volumes', osc_create_body(name='while-frozen')).json
        volume_id = created['volume']['id']
        assert admin.get(f'/volumes/{volume_id}').json['volume']['status'] == 'error'
        admin.delete(f'/volumes/{volume_id}')
    finally:
        assert admin.put('/os-services/thaw', {'host': host}).status_int == 200
    service = admin.get('/os-services?binary=cinder-volume').json['services'][0]
    assert service['frozen'] is False


def test_hosts_list_and_show(admin: Client, env: CloudEnv) -> None:
    hosts = admin.get('/os-hosts').json['hosts']
    assert {host['service'] for host in hosts} == {'cinder-scheduler', 'cinder-volume'}
    assert all(host['service-status'] == 'available' for host in hosts)
    volume_id = admin.post('/volumes', osc_create_body(size=2, name='counted')).json[
        'volume']['id']
    try:
        shown = admin.get(f'/os-hosts/{_volume_host(env)}').json['host']
        total = shown[0]['resource']
        assert total['project'] == '(total)'
        mine = [entry['resource'] for entry in shown
                if entry['resource']['project'] == admin.project_id][0]
        assert int(mine['volume_count']) >= 1 and int(mine['total_volume_gb']) >= 2
        assert int(total['volume_count']) >= int(mine['volume_count'])
    finally:
        admin.delete(f'/volumes/{volume_id}')
    assert admin.get('/os-hosts/nowhere').status_int == 404


def test_pools_and_capabilities(admin: Client, env: CloudEnv) -> None:
    pools = admin.get('/scheduler-stats/get_pools').json['pools']
    assert pools == [{'name': f'{_volume_host(env)}#{env.cloud.conf.volume.backend}'}]
    detailed = admin.get('/scheduler-stats/get_pools?detail=True').json['pools'][0]
    capabilities = detailed['capabilities']
    assert capabilities['volume_backend_name'] == env.cloud.conf.volume.backend
    assert 0 <= capabilities['free_capacity_gb'] <= capabilities['total_capacity_gb']
    assert capabilities['total_capacity_gb'] > 0
    backend = admin.get(f'/capabilities/{_volume_host(env)}').json
    for key in ('vendor_name', 'volume_backend_name', 'storage_protocol'):
        assert backend[key] == capabilities[key]
    assert backend['namespace'].startswith('OS::Storage::Capabilities::')
    assert admin.get('/capabilities/nowhere@else').status_int == 404


def test_extensions_list_what_works(app: Any, env: CloudEnv) -> None:
    reader = make_user(env, app, ['reader'])
    extensions = reader.get('/extensions').json['extensions']
    aliases = {extension['alias'] for extension in extensions}
    assert {'os-hosts', 'os-services', 'os-volume-transfer', 'scheduler-stats'} <= aliases
    assert 'backups' not in aliases and 'os-quota-sets' not in aliases
    assert 'Hosts' in {extension['name'] for extension in extensions}
