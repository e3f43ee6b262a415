"""Bad boot requests: each a 4xx naming the field, and nothing created."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tests.unit.compute_rest.conftest import ComputeEnv

MISSING = str(uuid.uuid4())


def _cases(compute: ComputeEnv) -> list[tuple[str, Any, int]]:
    env = compute.env
    good = compute.server_body('vm')
    volume_bdm = {'uuid': env.volumes[0]['id'], 'source_type': 'volume',
                  'destination_type': 'volume'}

    def server(**changes: Any) -> dict[str, Any]:
        body = json.loads(json.dumps(good))
        for key, value in changes.items():
            if value is None:
                body.pop(key, None)
            else:
                body[key] = value
        return {'server': body}

    return [
        ('server', {}, 400),
        ('server', {'server': 'vm'}, 400),
        ('servers', {'server': good, 'servers': []}, 400),
        ('name', server(name=None), 400),
        ('name', server(name=''), 400),
        ('name', server(name='x' * 256), 400),
        ('name', server(name=5), 400),
        ('imageRef', server(imageRef=None, block_device_mapping_v2=[]), 400),
        ('imageRef', server(imageRef='not-a-uuid'), 400),
        ('imageRef', server(imageRef=MISSING), 400),
        # No image and no boot volume (boot_index 0 to a volume).
        ('imageRef', server(imageRef='', block_device_mapping_v2=[]), 400),
        ('imageRef', server(imageRef='', block_device_mapping_v2=[volume_bdm]), 400),
        # Boot from volume: sizes, sources and the boot sequence.
        ('block_device_mapping_v2.0.volume_size', server(imageRef='', block_device_mapping_v2=[
            {'source_type': 'image', 'uuid': env.image['id'], 'destination_type': 'volume',
             'boot_index': 0}]), 400),
        ('block_device_mapping_v2.0.volume_size', server(block_device_mapping_v2=[
            {'source_type': 'blank', 'destination_type': 'volume'}]), 400),
        ('block_device_mapping_v2.0.uuid', server(imageRef='', block_device_mapping_v2=[
            {'source_type': 'image', 'uuid': MISSING, 'destination_type': 'volume',
             'boot_index': 0, 'volume_size': 1}]), 400),
        ('block_device_mapping_v2.0.uuid', server(block_device_mapping_v2=[
            {'source_type': 'blank', 'uuid': MISSING, 'destination_type': 'volume',
             'volume_size': 1}]), 400),
        ('block_device_mapping_v2.0.destination_type', server(block_device_mapping_v2=[
            {'source_type': 'blank', 'destination_type': 'local', 'volume_size': 1}]), 400),
        ('block_device_mapping_v2', server(imageRef='', block_device_mapping_v2=[
            dict(volume_bdm, boot_index=0),
            {'source_type': 'blank', 'destination_type': 'volume', 'volume_size': 1,
             'boot_index': 0}]), 400),
        ('block_device_mapping_v2', server(imageRef='', block_device_mapping_v2=[
            dict(volume_bdm, boot_index=1)]), 400),
        ('block_device_mapping_v2.0', server(block_device_mapping_v2=[
            dict(volume_bdm, tag='2.42 only')]), 400),
        # A volume cinder does not mark bootable cannot be the boot volume.
        ('block_device_mapping_v2.0.uuid', server(imageRef='', block_device_mapping_v2=[
            dict(volume_bdm, boot_index=0)]), 400),
        ('block_device_mapping', server(block_device_mapping_v2=[volume_bdm],
                                        block_device_mapping=[
                                            {'volume_id': env.volumes[0]['id']}]), 400),
        ('flavorRef', server(flavorRef=None), 400),
        ('flavorRef', server(flavorRef='no-such-flavor'), 400),
        ('flavorRef', server(flavorRef=''), 400),
        ('networks', server(networks='everything'), 400),
        ('networks', server(networks={'uuid': env.network['id']}), 400),
        ('networks.0', server(networks=[{'uuid': MISSING}]), 400),
        ('networks.0', server(networks=[{}]), 400),
        ('networks.0.fixed_ip', server(networks=[{'uuid': env.network['id'],
                                                  'fixed_ip': '10.0.0.999'}]), 400),
        ('block_device_mapping_v2.0.uuid', server(block_device_mapping_v2=[
            dict(volume_bdm, uuid=MISSING)]), 400),
        ('block_device_mapping_v2.1', server(block_device_mapping_v2=[
            volume_bdm, {'uuid': env.image['id'], 'source_type': 'image',
                         'destination_type': 'local', 'boot_index': 1}]), 400),
        ('block_device_mapping_v2.0.source_type', server(block_device_mapping_v2=[
            dict(volume_bdm, source_type='snapshot')]), 400),
        ('block_device_mapping_v2.0.destination_type', server(block_device_mapping_v2=[
            dict(volume_bdm, destination_type='local')]), 400),
        ('block_device_mapping_v2.1.uuid', server(block_device_mapping_v2=[
            volume_bdm, volume_bdm]), 400),
        ('metadata', server(metadata={'key': 5}), 400),
        ('metadata', server(metadata={'k' * 300: 'v'}), 400),
        ('max_count', server(max_count=0), 400),
        ('min_count', server(min_count=3, max_count=2), 400),
        ('accessIPv4', server(accessIPv4='1.2.3'), 400),
        ('accessIPv6', server(accessIPv6='1.2.3.4'), 400),
        ('OS-DCF:diskConfig', server(**{'OS-DCF:diskConfig': 'BOTH'}), 400),
        ('security_groups.0.name', server(security_groups=[{'name': 'nope'}]), 400),
        ('return_reservation_id', server(return_reservation_id='maybe'), 400),
        ('min_count', server(min_count=0), 400),
        ('bogus', server(bogus=True), 400),
        ('description', server(description='2.19 only'), 400),
    ]


def test_bad_server_bodies(compute: ComputeEnv) -> None:
    env = compute.env
    for field, body, status in _cases(compute):
        response = compute.admin.post('/servers', body)
        assert response.status_int == status, (field, response.text)
        assert field in response.json['badRequest']['message'], (field, response.text)
    assert compute.instance_count() == 0
    assert env.cloud.networks.list_ports(env.ctx) == []
    assert env.volume()['status'] == 'available'


@pytest.mark.parametrize('kwargs,status', [
    ({'raw': b'{"server": '}, 400),
    ({'raw': b'\xff\xfe'}, 400),
    ({'raw': b''}, 400),
    ({'raw': b'{"server": {}}', 'content_type': 'text/plain'}, 415),
    ({'raw': b'<server/>', 'content_type': 'application/xml'}, 415),
    ({'raw': b'{"server": {"name": "' + b'x' * (2 * 1024 * 1024) + b'"}}'}, 413),
    ({'raw': b'[]'}, 400),
    ({'raw': b'null'}, 400),
])
def test_unreadable_bodies(compute: ComputeEnv, kwargs: dict[str, Any], status: int) -> None:
    response = compute.admin.post('/servers', **kwargs)
    assert response.status_int == status, response.text
    assert compute.instance_count() == 0


def test_reader_cannot_create_and_member_needs_its_own_network(compute: ComputeEnv) -> None:
    body = {'server': compute.server_body('vm', with_volume=False)}
    assert compute.reader.post('/servers', body).status_int == 403
    assert compute.anonymous.post('/servers', body).status_int == 401
    # The admin project's network and volume are not the other project's to use.
    response = compute.member.post('/servers', {'server': compute.server_body('vm')})
    assert response.status_int == 400
    assert compute.instance_count() == 0
