"""Boot from volume through the compute API: image -> volume, blank, and an existing
bootable volume; what the server shows; what its delete deletes; a failed boot."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import Version
from tests.unit.compute_rest.conftest import ComputeEnv

V23 = {'OpenStack-API-Version': 'compute 2.3'}


def _volumes(compute: ComputeEnv) -> dict[str, dict[str, Any]]:
    env = compute.env
    return {v['id']: v for v in env.cloud.volumes.list_volumes(env.ctx)}


def _post(compute: ComputeEnv, name: str, mappings: list[dict[str, Any]],
          **fields: Any) -> str:
    body = compute.env.server_body(name, with_volume=False, **fields)
    body['imageRef'] = ''
    body['block_device_mapping_v2'] = mappings
    response = compute.admin.post('/servers', {'server': body})
    assert response.status_int == 202, response.text
    return str(response.json['server']['id'])


def test_image_to_volume_and_blank_are_made_attached_and_deleted_as_asked(
        compute: ComputeEnv) -> None:
    env = compute.env
    before = set(_volumes(compute))
    server_id = _post(compute, 'bfv1', [
        {'source_type': 'image', 'uuid': env.image['id'], 'destination_type': 'volume',
         'boot_index': 0, 'volume_size': 1, 'delete_on_termination': True},
        {'source_type': 'blank', 'destination_type': 'volume', 'volume_size': 1}])
    server = compute.wait(server_id)

    assert server['image'] == ''  # volume-backed, as nova shows it
    made = {vid: v for vid, v in _volumes(compute).items() if vid not in before}
    assert len(made) == 2 and {v['status'] for v in made.values()} == {'in-use'}
    boot = next(v for v in made.values() if v['bootable'] == 'true')
    blank = next(v for v in made.values() if v['bootable'] == 'false')
    attachments = compute.admin.get(f'/servers/{server_id}/os-volume_attachments').json
    assert sorted((a['volumeId'], a['device']) for a in attachments['volumeAttachments']) \
        == sorted([(boot['id'], '/dev/vda'), (blank['id'], '/dev/vdb')])
    shown = compute.admin.get(f'/servers/{server_id}', headers=V23).json['server']
    assert sorted(shown['os-extended-volumes:volumes_attached'], key=lambda v: v['id']) == \
        sorted([{'id': boot['id'], 'delete_on_termination': True},
                {'id': blank['id'], 'delete_on_termination': False}], key=lambda v: v['id'])

    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204
    compute.wait_gone(server_id)
    left = _volumes(compute)
    assert boot['id'] not in left  # delete_on_termination
    assert left[blank['id']]['status'] == 'available'  # kept, detached
    env.cloud.volumes.delete_volume(env.ctx, blank['id'])


def test_an_existing_bootable_volume_is_the_root_disk(compute: ComputeEnv) -> None:
    env = compute.env
    volume = env.cloud.volumes.create_volume(env.ctx, 1, image_id=env.image['id'])
    assert volume['bootable'] == 'true'
    server_id = _post(compute, 'bfv2', [
        {'source_type': 'volume', 'uuid': volume['id'], 'destination_type': 'volume',
         'boot_index': '0'}])
    server = compute.wait(server_id)
    assert server['image'] == ''
    assert _volumes(compute)[volume['id']]['status'] == 'in-use'
    compute.admin.delete(f'/servers/{server_id}')
    compute.wait_gone(server_id)
    assert _volumes(compute)[volume['id']]['status'] == 'available'  # not deleted
    env.cloud.volumes.delete_volume(env.ctx, volume['id'])


def test_a_boot_that_fails_deletes_the_volumes_it_made(compute: ComputeEnv) -> None:
    env = compute.env
    before = set(_volumes(compute))
    # fault injection (when on) or a spawn refusal: a volume bigger than the host allows.
    server_id = _post(compute, 'bfv3', [
        {'source_type': 'image', 'uuid': env.image['id'], 'destination_type': 'volume',
         'boot_index': 0, 'volume_size': 10 ** 6}])
    server = compute.wait(server_id, status='ERROR')
    assert server['status'] == 'ERROR'
    assert set(_volumes(compute)) == before
    compute.admin.delete(f'/servers/{server_id}')
    compute.wait_gone(server_id)


@pytest.mark.parametrize(('version', 'field', 'value'), [
    (changes.BDM_TAG, 'tag', 'disk1'),
    (changes.BDM_VOLUME_TYPE, 'volume_type', '__DEFAULT__'),
])
def test_mapping_fields_of_later_microversions(compute: ComputeEnv, version: Version,
                                               field: str, value: str) -> None:
    body = compute.env.server_body(f'bdm-{field}', with_volume=False)
    body['block_device_mapping_v2'] = [
        {'source_type': 'blank', 'destination_type': 'volume', 'volume_size': 1,
         'delete_on_termination': True, field: value}]
    below = (version[0], version[1] - 1)
    refused = compute.admin.post('/servers', {'server': body},
                                 headers={'OpenStack-API-Version': f'compute 2.{below[1]}'})
    assert refused.status_int == 400 and field in refused.text
    before = set(_volumes(compute))
    accepted = compute.admin.post('/servers', {'server': body},
                                  headers={'OpenStack-API-Version': f'compute 2.{version[1]}'})
    assert accepted.status_int == 202, accepted.text
    server_id = accepted.json['server']['id']
    compute.wait(server_id)
    compute.admin.delete(f'/servers/{server_id}')
    compute.wait_gone(server_id)
    assert set(_volumes(compute)) == before


def test_the_boot_volume_cannot_be_detached(compute: ComputeEnv) -> None:
    env = compute.env
    server_id = _post(compute, 'bfv-detach', [
        {'source_type': 'image', 'uuid': env.image['id'], 'destination_type': 'volume',
         'boot_index': 0, 'volume_size': 1, 'delete_on_termination': True}])
    compute.wait(server_id)
    [attachment] = compute.admin.get(
        f'/servers/{server_id}/os-volume_attachments').json['volumeAttachments']
    response = compute.admin.delete(
        f'/servers/{server_id}/os-volume_attachments/{attachment["volumeId"]}')
    assert response.status_int == 400 and 'root device' in response.text
    assert compute.wait(server_id)['status'] == 'ACTIVE'
    compute.admin.delete(f'/servers/{server_id}')
    compute.wait_gone(server_id)


def test_a_volume_backed_server_resizes_and_confirms(compute: ComputeEnv) -> None:
    """No local disk to grow: the domain is defined again with the new flavor (Tempest's
    test_resize_volume_backed_server_confirm)."""
    env = compute.env
    bigger = compute.admin.post('/flavors', {'flavor': {
        'name': 'bfv-bigger', 'ram': 128, 'vcpus': 2, 'disk': 1}})
    assert bigger.status_int == 200, bigger.text
    server_id = _post(compute, 'bfv-resized', [
        {'source_type': 'image', 'uuid': env.image['id'], 'destination_type': 'volume',
         'boot_index': 0, 'volume_size': 1, 'delete_on_termination': True}])
    compute.wait(server_id)
    resized = compute.admin.action(server_id, {'resize': {
        'flavorRef': bigger.json['flavor']['id']}})
    assert resized.status_int == 202, resized.text
    server = compute.wait(server_id, status='VERIFY_RESIZE')
    [host] = compute.cloud.compute_hosts
    xml = str(host.manager.driver._domain(server_id).xml)
    assert "<vcpu>2</vcpu>" in xml.replace(' ', '') or '>2</vcpu>' in xml
    assert server['flavor']['id'] == bigger.json['flavor']['id']
    assert compute.admin.action(server_id, {'confirmResize': None}).status_int == 204
    compute.wait(server_id)
    attachments = compute.admin.get(f'/servers/{server_id}/os-volume_attachments').json
    assert [a['device'] for a in attachments['volumeAttachments']] == ['/dev/vda']
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204
    compute.wait_gone(server_id)
