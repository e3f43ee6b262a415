"""block_device_mapping_v2 and the legacy mappings, read and checked (no services)."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.compute import block_devices

IMAGE = '6f1d5c3c-2a7e-4f39-9b4e-1f0c8a2d9e11'
VOLUME = '0b7f2d1e-5a3c-4e8f-9d2b-7c1a6e4f3b20'


def test_image_to_volume_is_a_volume_backed_boot_with_the_image() -> None:
    server = {'imageRef': '', 'block_device_mapping_v2': [
        {'source_type': 'image', 'uuid': IMAGE, 'destination_type': 'volume',
         'boot_index': '0', 'volume_size': '2', 'delete_on_termination': 'true'}]}
    devices = block_devices.parse(server)
    assert devices.volume_backed
    [root] = devices.volumes
    assert (root['boot_index'], root['volume_size'], root['delete_on_termination']) == (
        0, 2, True)
    assert block_devices.boot_image_id(server, devices) == IMAGE


def test_an_image_local_root_is_not_a_volume() -> None:
    server = {'imageRef': IMAGE, 'block_device_mapping_v2': [
        {'source_type': 'image', 'uuid': IMAGE, 'destination_type': 'local',
         'boot_index': 0}, {'source_type': 'volume', 'uuid': VOLUME}]}
    devices = block_devices.parse(server)
    assert not devices.volume_backed and devices.local_root_image == IMAGE
    assert [(v['uuid'], v['boot_index']) for v in devices.volumes] == [(VOLUME, None)]
    assert block_devices.boot_image_id(server, devices) == IMAGE


def test_a_volume_root_boots_no_image() -> None:
    server = {'block_device_mapping_v2': [{'source_type': 'volume', 'uuid': VOLUME,
                                           'destination_type': 'volume', 'boot_index': 0}]}
    devices = block_devices.parse(server)
    assert devices.volume_backed and block_devices.boot_image_id(server, devices) == ''
    assert devices.volumes[0]['delete_on_termination'] is False  # nova's default


def test_legacy_mappings_are_read_as_volumes_with_vda_the_root() -> None:
    devices = block_devices.parse({'block_device_mapping': [
        {'volume_id': VOLUME, 'device_name': '/dev/vda', 'delete_on_termination': True}]})
    [root] = devices.volumes
    assert (root['source_type'], root['uuid'], root['boot_index'],
            root['delete_on_termination']) == ('volume', VOLUME, 0, True)


@pytest.mark.parametrize(('server', 'field'), [
    ({'block_device_mapping_v2': [{'source_type': 'snapshot', 'uuid': VOLUME}]},
     'block_device_mapping_v2.0.source_type'),
    ({'block_device_mapping_v2': [{'source_type': 'volume'}]},
     'block_device_mapping_v2.0.uuid'),
    ({'imageRef': IMAGE, 'block_device_mapping_v2': [
        {'source_type': 'image', 'uuid': VOLUME, 'destination_type': 'local',
         'boot_index': 0}]}, 'block_device_mapping_v2.0.uuid'),
    ({'imageRef': IMAGE, 'block_device_mapping_v2': [
        {'source_type': 'volume', 'uuid': VOLUME, 'boot_index': 2}]},
     'block_device_mapping_v2'),
    ({'block_device_mapping': [{'snapshot_id': VOLUME}]},
     'block_device_mapping.0.snapshot_id'),
    ({'imageRef': IMAGE, 'block_device_mapping_v2': [
        {'source_type': 'volume', 'uuid': VOLUME, 'no_device': True}]},
     'block_device_mapping_v2.0.no_device'),
])
def test_refused_mappings_name_their_field(server: dict[str, Any], field: str) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        block_devices.parse(server)
    assert field in caught.value.message


def test_boot_volume_id_of_a_boot_that_made_its_volume() -> None:
    instance = {'build_request': {'block_device_mapping': [
        {'source_type': 'image', 'uuid': IMAGE, 'boot_index': 0, 'volume_id': VOLUME,
         'created': True}]}}
    assert block_devices.boot_volume_id(instance) == VOLUME


def test_boot_volume_id_of_a_boot_from_an_existing_volume() -> None:
    # Nothing made: only the request spec holds the mappings.
    instance = {'build_request': {'request_spec': {'block_device_mapping': [
        {'source_type': 'volume', 'uuid': VOLUME, 'boot_index': 0}]}}}
    assert block_devices.boot_volume_id(instance) == VOLUME


def test_boot_volume_id_of_an_image_backed_server_is_none() -> None:
    data_volume = {'source_type': 'volume', 'uuid': VOLUME, 'boot_index': None}
    assert block_devices.boot_volume_id(
        {'build_request': {'request_spec': {'block_device_mapping': [data_volume]}}}) is None
    assert block_devices.boot_volume_id({'build_request': {}}) is None
    assert block_devices.boot_volume_id({}) is None
