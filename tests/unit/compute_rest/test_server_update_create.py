"""PUT /servers/{id}; create with access IPs, disk config, several instances, a reservation."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.compute import boot_checks, server_create
from tests.unit.compute_rest.conftest import ComputeEnv


def _at(version: str) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {version}'}


@pytest.fixture(scope='module')
def server_id(compute: ComputeEnv) -> str:
    return compute.boot('upd-vm', with_volume=False, accessIPv4='192.0.2.1',
                        **{'OS-DCF:diskConfig': 'AUTO'})['id']


def test_create_stores_access_ips_and_disk_config(compute: ComputeEnv, server_id: str) -> None:
    server = compute.admin.get(f'/servers/{server_id}').json['server']
    assert server['accessIPv4'] == '192.0.2.1' and server['accessIPv6'] == ''
    assert server['OS-DCF:diskConfig'] == 'AUTO'
    listed = compute.admin.get('/servers/detail').json['servers']
    assert [s['OS-DCF:diskConfig'] for s in listed if s['id'] == server_id] == ['AUTO']


def test_update_name_access_ips_disk_config(compute: ComputeEnv, server_id: str) -> None:
    response = compute.admin.request('PUT', f'/servers/{server_id}', {'server': {
        'name': 'renamed', 'accessIPv4': '192.0.2.9',
        'accessIPv6': '2001:0db8:0000:0000:0000:0000:0000:0009',
        'OS-DCF:diskConfig': 'MANUAL'}})
    assert response.status_int == 200, response.text
    server = response.json['server']
    assert server['name'] == 'renamed' and server['accessIPv6'] == '2001:db8::9'
    assert server['OS-DCF:diskConfig'] == 'MANUAL'
    # Below 2.75 the answer is nova's short update view.
    assert 'OS-EXT-STS:vm_state' not in server and 'key_name' not in server
    assert all(set(entry) == {'version', 'addr'}
               for entries in server['addresses'].values() for entry in entries)
    shown = compute.admin.get(f'/servers/{server_id}').json['server']
    assert (shown['name'], shown['accessIPv4']) == ('renamed', '192.0.2.9')


def test_update_description_from_2_19(compute: ComputeEnv, server_id: str) -> None:
    path = f'/servers/{server_id}'
    below = compute.admin.request('PUT', path, {'server': {'description': 'd'}},
                                  headers=_at('2.18'))
    assert below.status_int == 400 and 'description' in below.text
    at = compute.admin.request('PUT', path, {'server': {'description': 'd'}},
                               headers=_at('2.19'))
    assert at.status_int == 200 and at.json['server']['description'] == 'd'


@pytest.mark.parametrize(('body', 'field'), [
    ({'server': {'name': ''}}, 'name'),
    ({'server': {'name': 'x' * 256}}, 'name'),
    ({'server': {'accessIPv4': '1.2.3'}}, 'accessIPv4'),
    ({'server': {'accessIPv6': 'nope'}}, 'accessIPv6'),
    ({'server': {'OS-DCF:diskConfig': 'auto'}}, 'OS-DCF:diskConfig'),
    ({'server': {'flavorRef': '1'}}, 'flavorRef'),
    ({'name': 'x'}, 'server'),
])
def test_update_bad_input_is_400(compute: ComputeEnv, server_id: str, body: dict[str, Any],
                                 field: str) -> None:
    response = compute.admin.request('PUT', f'/servers/{server_id}', body)
    assert response.status_int == 400, response.text
    assert field in response.json['badRequest']['message']


def test_update_of_unknown_or_other_projects_server_is_404(compute: ComputeEnv,
                                                           server_id: str) -> None:
    body = {'server': {'name': 'x'}}
    assert compute.admin.request('PUT', f'/servers/{uuid.uuid4()}', body).status_int == 404
    assert compute.member.request('PUT', f'/servers/{server_id}', body).status_int == 404
    assert compute.reader.request('PUT', f'/servers/{server_id}', body).status_int == 403


def test_multi_create_names_and_reservation(compute: ComputeEnv) -> None:
    body = compute.server_body('multi', with_volume=False)
    body.update(min_count=2, max_count=3, return_reservation_id=True)
    response = compute.admin.post('/servers', {'server': body})
    assert response.status_int == 202, response.text
    reservation_id = response.json['reservation_id']
    assert re.fullmatch('r-[a-z0-9]{8}', reservation_id)
    servers = [s for s in compute.admin.get('/servers/detail', headers=_at('2.3')).json[
        'servers'] if s['OS-EXT-SRV-ATTR:reservation_id'] == reservation_id]
    assert sorted(s['name'] for s in servers) == ['multi-1', 'multi-2', 'multi-3']
    assert sorted(s['OS-EXT-SRV-ATTR:launch_index'] for s in servers) == [0, 1, 2]
    for server in servers:
        compute.wait(server['id'])
        assert compute.admin.delete(f'/servers/{server["id"]}').status_int == 204


def test_multi_create_refused_boots_nothing(compute: ComputeEnv) -> None:
    before = compute.instance_count()
    port = compute.cloud.networks.create_port(compute.env.ctx,
                                              network_id=compute.env.network['id'])
    body = compute.server_body('multi-port', with_volume=False,
                               networks=[{'port': port['id']}])
    body['max_count'] = 2
    response = compute.admin.post('/servers', {'server': body})
    assert response.status_int == 400 and 'networks' in response.text
    assert compute.instance_count() == before
    compute.cloud.networks.delete_port(compute.env.ctx, port['id'])


def test_instance_names_follow_novas_template() -> None:
    assert server_create.instance_name('vm', 0, 1) == 'vm'
    assert [server_create.instance_name('vm', i, 2) for i in range(2)] == ['vm-1', 'vm-2']


def test_counts_are_checked_and_bounded() -> None:
    with pytest.raises(exception.InvalidInput, match='min_count'):
        boot_checks.instance_counts({'min_count': '0'})
    with pytest.raises(exception.InvalidInput, match='min_count'):
        boot_checks.instance_counts({'min_count': 3, 'max_count': '2'})
    with pytest.raises(exception.Forbidden, match='Quota exceeded for instances'):
        boot_checks.instance_counts({'min_count': 2 ** 63, 'max_count': 2 ** 63})
    assert boot_checks.instance_counts({'max_count': 2 ** 63}) == (
        1, boot_checks.MAX_SERVERS_PER_REQUEST)
    assert boot_checks.instance_counts({}) == (1, 1)
