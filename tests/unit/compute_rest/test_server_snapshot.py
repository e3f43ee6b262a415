"""createImage through POST /servers/{id}/action on the embedded cloud (fake driver):
the image the snapshot makes, the states it allows, its bodies and answers."""

from __future__ import annotations

import hashlib
import json
import os
import time
from typing import Any

import pytest

from nova_lite.virt import disk
from tests.unit.compute_rest.conftest import ComputeEnv

V245 = {'OpenStack-API-Version': 'compute 2.45'}


def _image(compute: ComputeEnv, image_id: str) -> dict[str, Any]:
    return compute.cloud.services.images.get_image(compute.env.ctx, image_id)


def _wait_image(compute: ComputeEnv, image_id: str, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        image = _image(compute, image_id)
        if image['status'] == 'active':
            return image
        assert image['status'] in ('queued', 'saving'), image
        time.sleep(0.02)
    raise AssertionError(f'image {image_id} not active after {timeout} s')


def _disk_of(compute: ComputeEnv, server_id: str) -> bytes:
    [host] = compute.cloud.compute_hosts
    path = os.path.join(host.manager.driver.instance_dir(server_id), disk.DISK_NAME)
    with open(path, 'rb') as f:
        return f.read()


def test_a_snapshot_is_an_active_image_of_the_server(compute: ComputeEnv) -> None:
    server_id = compute.boot('snap-me', with_volume=False)['id']
    response = compute.admin.action(server_id, {'createImage': {
        'name': 'snap-of-snap-me', 'metadata': {'purpose': 'test'}}})
    assert response.status_int == 202, response.text
    location = response.headers['Location']
    image_id = location.rsplit('/', 1)[1]
    assert '/images/' in location and response.body == b''
    image = _wait_image(compute, image_id)
    compute.wait(server_id, status='ACTIVE')
    flattened = _disk_of(compute, server_id)
    assert image['name'] == 'snap-of-snap-me'
    assert image['size'] > 0
    assert image['disk_format'] in ('raw', 'qcow2') and image['container_format'] == 'bare'
    properties = {**image.get('properties', {}), **image}
    assert properties['image_type'] == 'snapshot'
    assert properties['instance_uuid'] == server_id
    assert properties['base_image_ref'] == compute.env.image['id']
    assert properties['purpose'] == 'test'
    assert properties['user_id'] == compute.env.ctx.user_id
    assert image['owner'] == compute.env.ctx.project_id
    data = b''.join(compute.cloud.services.images.download_image(compute.env.ctx, image_id))
    assert len(data) == image['size']
    assert hashlib.md5(data, usedforsecurity=False).hexdigest() == image['checksum']
    assert flattened  # the disk the snapshot was taken from is still there
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    assert [a['action'] for a in actions['instanceActions']] == ['createImage', 'create']


def test_2_45_answers_the_image_id_in_the_body(compute: ComputeEnv) -> None:
    server_id = compute.boot('snap-245', with_volume=False)['id']
    assert compute.admin.action(server_id, {'os-stop': None}).status_int == 202
    compute.wait(server_id, status='SHUTOFF')
    response = compute.admin.request('POST', f'/servers/{server_id}/action',
                                     {'createImage': {'name': 'stopped-snap', 'metadata': {
                                         'image_type': 'test', 'name': 'not-the-name'}}},
                                     headers=V245)
    assert response.status_int == 202, response.text
    assert 'Location' not in response.headers
    image_id = response.json['image_id']
    image = _wait_image(compute, image_id)
    # The caller's metadata wins over image_type (as in Nova), never over the name.
    assert image['name'] == 'stopped-snap'
    assert {**image.get('properties', {}), **image}['image_type'] == 'test'
    compute.wait(server_id, status='SHUTOFF')


def test_a_second_snapshot_while_one_is_saving_conflicts(compute: ComputeEnv) -> None:
    server_id = compute.boot('busy-snap', with_volume=False)['id']
    compute.cloud.instances.update(server_id, task_state='image_snapshot')
    before = len(compute.cloud.services.images.list_images(compute.env.ctx))
    refused = compute.admin.action(server_id, {'createImage': {'name': 'second'}})
    assert refused.status_int == 409, refused.text
    # Refused before any image record is made.
    assert len(compute.cloud.services.images.list_images(compute.env.ctx)) == before
    compute.cloud.instances.update(server_id, task_state=None)


def test_a_failed_server_cannot_be_snapshotted(compute: ComputeEnv) -> None:
    server_id = compute.boot('failed-snap', with_volume=False)['id']
    compute.cloud.instances.update(server_id, vm_state='error')
    assert compute.admin.action(server_id, {'createImage': {'name': 'x'}}).status_int == 409


@pytest.mark.parametrize('body,field', [
    ({'createImage': {}}, 'name'),
    ({'createImage': {'name': ''}}, 'name'),
    ({'createImage': {'name': 'n' * 256}}, 'name'),
    ({'createImage': {'name': 'x', 'metadata': {'': 'v'}}}, 'metadata'),
    ({'createImage': {'name': 'x', 'metadata': {'k': 1}}}, 'metadata'),
    ({'createImage': {'name': 'x', 'metadata': {'k': 'v' * 256}}}, 'metadata'),
    ({'createImage': {'name': 'x', 'unknown': 1}}, 'unknown'),
])
def test_bad_create_image_bodies(compute: ComputeEnv, body: dict[str, Any],
                                 field: str) -> None:
    server_id = compute.boot('bad-snap-bodies', with_volume=False)['id']
    response = compute.admin.action(server_id, body)
    assert response.status_int == 400, response.text
    assert field in response.text


@pytest.mark.parametrize('length', [35, 37])
def test_uuid_like_names_are_plain_names(compute: ComputeEnv, length: int) -> None:
    server_id = compute.boot(f'uuid-name-{length}', with_volume=False)['id']
    name = ('a' * 8 + '-' + 'b' * 4 + '-' + 'c' * 4 + '-' + 'd' * 4 + '-' + 'e' * 20)[:length]
    response = compute.admin.request('POST', f'/servers/{server_id}/action',
                                     {'createImage': {'name': name}}, headers=V245)
    assert response.status_int == 202, response.text
    assert _wait_image(compute, response.json['image_id'])['name'] == name
    compute.wait(server_id)


def test_another_projects_member_cannot_snapshot(compute: ComputeEnv) -> None:
    server_id = compute.boot('not-yours', with_volume=False)['id']
    response = compute.member.action(server_id, {'createImage': {'name': 'mine'}})
    assert response.status_int == 404


def test_a_volume_backed_server_snapshots_its_boot_volume(compute: ComputeEnv) -> None:
    env = compute.env
    body = env.server_body('bfv-snap', with_volume=False)
    body['imageRef'] = ''
    body['block_device_mapping_v2'] = [{
        'source_type': 'image', 'uuid': env.image['id'], 'destination_type': 'volume',
        'boot_index': 0, 'volume_size': 1, 'delete_on_termination': True}]
    created = compute.admin.post('/servers', {'server': body})
    assert created.status_int == 202, created.text
    server_id = created.json['server']['id']
    compute.wait(server_id)
    [attachment] = compute.admin.get(
        f'/servers/{server_id}/os-volume_attachments').json['volumeAttachments']
    response = compute.admin.request('POST', f'/servers/{server_id}/action',
                                     {'createImage': {'name': 'bfv-image'}}, headers=V245)
    assert response.status_int == 202, response.text
    image = _image(compute, response.json['image_id'])
    # No data to upload: the image is active at once and points at a volume snapshot.
    assert (image['status'], image['size'], image['name']) == ('active', 0, 'bfv-image')
    properties = {**image.get('properties', {}), **image}
    assert properties['bdm_v2'] == 'True' and properties['root_device_name'] == '/dev/vda'
    [mapping] = json.loads(properties['block_device_mapping'])
    assert (mapping['source_type'], mapping['boot_index'], mapping['volume_size']) == (
        'snapshot', 0, 1)
    snapshot = env.cloud.volumes.snapshots.get(env.ctx, mapping['snapshot_id'])
    assert snapshot['volume_id'] == attachment['volumeId']
    # the server was not touched: still ACTIVE with no task
    assert compute.wait(server_id)['status'] == 'ACTIVE'
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    assert [a['action'] for a in actions['instanceActions']] == ['createImage', 'create']
    env.cloud.volumes.snapshots.delete(env.ctx, mapping['snapshot_id'])
    compute.cloud.services.images.delete_image(env.ctx, image['id'])
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204
    compute.wait_gone(server_id)
