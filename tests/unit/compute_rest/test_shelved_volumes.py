"""Volumes attached to and detached from a SHELVED_OFFLOADED server on the embedded
cloud (fake driver): with no host only the volume service's record changes (the
volume in-use at its device, no export), and unshelve connects the volume on the
new host, so the spawned guest has its disk."""

from __future__ import annotations

import time
from typing import Any

from tests.unit.compute_rest.conftest import ComputeEnv

V2_20 = {'OpenStack-API-Version': 'compute 2.20'}


def _volume_status(compute: ComputeEnv, volume_id: str) -> str:
    return str(compute.cloud.services.volumes.get_volume(compute.env.ctx,
                                                         volume_id)['status'])


def _wait_volume(compute: ComputeEnv, volume_id: str, status: str) -> None:
    deadline = time.monotonic() + 30
    while _volume_status(compute, volume_id) != status:
        assert time.monotonic() < deadline, f'{volume_id} not {status}'
        time.sleep(0.05)


def _offloaded_server(compute: ComputeEnv, name: str) -> str:
    server_id = str(compute.boot(name, with_volume=False)['id'])
    response = compute.admin.action(server_id, {'shelve': None})
    assert response.status_int == 202, response.text
    compute.wait(server_id, status='SHELVED_OFFLOADED')
    return server_id


def _attach(compute: ComputeEnv, server_id: str) -> str:
    volume = compute.cloud.services.volumes.create_volume(compute.env.ctx, 1)
    response = compute.admin.request(
        'POST', f'/servers/{server_id}/os-volume_attachments',
        {'volumeAttachment': {'volumeId': volume['id']}}, headers=V2_20)
    assert response.status_int == 200, response.text
    assert response.json['volumeAttachment']['device'] == '/dev/vdb'
    _wait_volume(compute, volume['id'], 'in-use')
    return str(volume['id'])


def _domain_xml(compute: ComputeEnv, server_id: str) -> str:
    [host] = compute.cloud.compute_hosts
    return str(host.manager.driver._domains[server_id].xml)


def _attachment(compute: ComputeEnv, volume_id: str) -> dict[str, Any]:
    [attachment] = compute.cloud.services.volumes.list_attachments(compute.env.ctx,
                                                                   volume_id=volume_id)
    return dict(attachment)


def test_attach_to_an_offloaded_server_then_unshelve_connects_it(
        compute: ComputeEnv) -> None:
    server_id = _offloaded_server(compute, 'shelved-attach')
    volume_id = _attach(compute, server_id)
    attachment = _attachment(compute, volume_id)
    assert attachment['attached_host'] is None and not attachment['connection_info']
    assert attachment['mountpoint'] == '/dev/vdb'
    listed = compute.admin.get(f'/servers/{server_id}/os-volume_attachments',
                               headers=V2_20).json['volumeAttachments']
    assert [(a['volumeId'], a['device']) for a in listed] == [(volume_id, '/dev/vdb')]
    server = compute.admin.get(f'/servers/{server_id}', headers=V2_20).json['server']
    assert [v['id'] for v in server['os-extended-volumes:volumes_attached']] == [volume_id]

    response = compute.admin.action(server_id, {'unshelve': None})
    assert response.status_int == 202, response.text
    compute.wait(server_id, status='ACTIVE')
    attachment = _attachment(compute, volume_id)
    assert attachment['attached_host'] == 'host1' and attachment['connection_info']
    assert volume_id in _domain_xml(compute, server_id)  # the guest has its disk
    shown = compute.admin.get(
        f'/servers/{server_id}/os-volume_attachments/{volume_id}',
        headers=V2_20).json['volumeAttachment']
    assert shown['device'] == '/dev/vdb' and shown['serverId'] == server_id


def test_detach_from_an_offloaded_server_frees_the_volume(compute: ComputeEnv) -> None:
    server_id = _offloaded_server(compute, 'shelved-detach')
    volume_id = _attach(compute, server_id)
    response = compute.admin.delete(
        f'/servers/{server_id}/os-volume_attachments/{volume_id}', headers=V2_20)
    assert response.status_int == 202, response.text
    _wait_volume(compute, volume_id, 'available')
    assert compute.cloud.services.volumes.list_attachments(
        compute.env.ctx, volume_id=volume_id) == []
    compute.wait(server_id, status='SHELVED_OFFLOADED')
    response = compute.admin.action(server_id, {'unshelve': None})
    assert response.status_int == 202, response.text
    compute.wait(server_id, status='ACTIVE')
    assert volume_id not in _domain_xml(compute, server_id)
