"""Spawn requests as a compute host receives them, and the drivers to run them on."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from oslo_config import cfg

SpawnRequest = Callable[..., dict[str, Any]]


@pytest.fixture
def make_request(tmp_path: Any) -> SpawnRequest:
    """A spawn request (instance, flavor, image, network_info, block_devices)."""

    def _make(*, volumes: int = 1, ports: int = 1) -> dict[str, Any]:
        instance_id = str(uuid.uuid4())
        network_info = [
            {'port_id': str(uuid.uuid4()), 'mac_address': f'fa:16:3e:00:00:{n:02x}',
             'fixed_ips': [{'ip_address': f'10.0.0.{n + 3}', 'subnet_id': 'subnet-1'}],
             'network_id': 'net-1', 'network_name': 'private'} for n in range(ports)]
        block_devices = []
        for n in range(volumes):
            path = tmp_path / f'volume-{instance_id[:8]}-{n}'
            path.write_bytes(b'\0' * 1024)
            block_devices.append({
                'volume_id': str(uuid.uuid4()), 'attachment_id': str(uuid.uuid4()),
                'mountpoint': f'/dev/vd{chr(ord("b") + n)}',
                'connection_info': {'driver_volume_type': 'file',
                                    'data': {'device_path': str(path), 'format': 'raw'}}})
        return {
            'instance': {'id': instance_id, 'name': 'vm-1', 'project_id': 'project-a',
                         'user_id': 'user-a', 'metadata': {}, 'image_id': 'image-1'},
            'flavor': {'id': 'small', 'name': 'm1.small', 'vcpus': 2, 'memory_mb': 512,
                       'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0},
            'image': {'id': 'image-1', 'name': 'cirros', 'disk_format': 'raw'},
            'network_info': network_info,
            'block_devices': block_devices,
        }

    return _make


@pytest.fixture
def driver_conf(conf: cfg.ConfigOpts) -> cfg.ConfigOpts:
    conf.set_override('connection_uri', 'test:///default', group='libvirt')
    return conf
