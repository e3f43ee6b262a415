"""POST and DELETE /servers/{id}/os-volume_attachments on the embedded cloud (fake
driver): a volume attached to a booted server and detached again, and the refusals."""

from __future__ import annotations

import time
from typing import Any

from tests.unit.compute_rest.conftest import ComputeEnv

V279 = {'OpenStack-API-Version': 'compute 2.79'}


def _volume(compute: ComputeEnv) -> dict[str, Any]:
    return compute.cloud.services.volumes.create_volume(compute.env.ctx, 1, name='extra')


def _status(compute: ComputeEnv, volume_id: str) -> str:
    return str(compute.cloud.services.volumes.get_volume(compute.env.ctx, volume_id)['status'])


def _wait_volume(compute: ComputeEnv, volume_id: str, status: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _status(compute, volume_id) == status:
            return
        time.sleep(0.02)
    raise AssertionError(f'volume {volume_id} not {status}: {_status(compute, volume_id)}')


def _domain_xml(compute: ComputeEnv, server_id: str) -> str:
    [host] = compute.cloud.compute_hosts
    return str(host.manager.driver._domain(server_id).xml)


def _attach(compute: ComputeEnv, server_id: str, volume_id: str,
            **extra: Any) -> Any:
    return compute.admin.request(
        'POST', f'/servers/{server_id}/os-volume_attachments',
        {'volumeAttachment': {'volumeId': volume_id, **extra}}, headers=V279)


def test_attach_then_detach_after_boot(compute: ComputeEnv) -> None:
    server_id = compute.boot('attach-me', with_volume=False)['id']
    volume_id = _volume(compute)['id']
    response = _attach(compute, server_id, volume_id, delete_on_termination=True)
    assert response.status_int == 200, response.text
    attachment = response.json['volumeAttachment']
    assert attachment == {'id': volume_id, 'volumeId': volume_id, 'serverId': server_id,
                          'device': '/dev/vdb', 'tag': None, 'delete_on_termination': True}
    _wait_volume(compute, volume_id, 'in-use')
    compute.wait(server_id)
    assert volume_id in _domain_xml(compute, server_id)  # the guest has the disk
    listed = compute.admin.get(f'/servers/{server_id}/os-volume_attachments').json
    assert [a['volumeId'] for a in listed['volumeAttachments']] == [volume_id]
    # Attached already: not available, 400.
    assert _attach(compute, server_id, volume_id).status_int == 400

    gone = compute.admin.delete(f'/servers/{server_id}/os-volume_attachments/{volume_id}')
    assert gone.status_int == 202, gone.text
    _wait_volume(compute, volume_id, 'available')
    compute.wait(server_id)
    assert volume_id not in _domain_xml(compute, server_id)
    assert compute.admin.get(f'/servers/{server_id}/os-volume_attachments'
                             ).json['volumeAttachments'] == []
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    assert [a['action'] for a in actions['instanceActions']] == [
        'detach_volume', 'attach_volume', 'create']


def test_attach_refusals(compute: ComputeEnv) -> None:
    server_id = compute.boot('attach-refused', with_volume=False)['id']
    assert _attach(compute, server_id,
                   '00000000-0000-4000-8000-000000000000').status_int == 404
    volume_id = _volume(compute)['id']
    assert _attach(compute, server_id, volume_id, device='sdb').status_int == 400
    old = compute.admin.request('POST', f'/servers/{server_id}/os-volume_attachments',
                                {'volumeAttachment': {'volumeId': volume_id, 'tag': 't'}})
    assert old.status_int == 400  # tag needs 2.49
    assert compute.admin.post(f'/servers/{server_id}/os-volume_attachments',
                              {'volumeAttachment': {}}).status_int == 400
    compute.cloud.instances.update(server_id, vm_state='error')
    assert _attach(compute, server_id, volume_id).status_int == 409
    assert _status(compute, volume_id) == 'available'
    not_attached = compute.admin.delete(
        f'/servers/{server_id}/os-volume_attachments/{volume_id}')
    assert not_attached.status_int in (404, 409)
    compute.cloud.instances.update(server_id, vm_state='active')
    assert compute.admin.delete(
        f'/servers/{server_id}/os-volume_attachments/{volume_id}').status_int == 404
    assert compute.member.delete(
        f'/servers/{server_id}/os-volume_attachments/{volume_id}').status_int == 404
