"""The file volume backend and its stevedore loading."""

from __future__ import annotations

import os
import uuid

import pytest
from oslo_config import cfg

from nova_lite.volume.backends import base, impl_file

GIB = 1024 ** 3


@pytest.fixture
def backend(conf: cfg.ConfigOpts) -> impl_file.FileVolumeBackend:
    return impl_file.FileVolumeBackend(conf)


def test_stevedore_loads_the_file_backend(conf: cfg.ConfigOpts) -> None:
    loaded = base.load_backend(conf)
    assert isinstance(loaded, impl_file.FileVolumeBackend)
    assert loaded.conf is conf
    assert loaded.volumes_dir == os.path.abspath(conf.volume.volumes_dir)


def test_unknown_backend_name_is_a_backend_error(conf: cfg.ConfigOpts) -> None:
    conf.set_override('backend', 'no-such-backend', group='volume')
    with pytest.raises(base.VolumeBackendError, match='no-such-backend'):
        base.load_backend(conf)


def test_create_makes_a_sparse_file_of_the_size(backend: impl_file.FileVolumeBackend) -> None:
    volume_id = str(uuid.uuid4())
    location = backend.create_volume(volume_id, 3)
    assert location == os.path.join(backend.volumes_dir, f'volume-{volume_id}')
    stat = os.stat(location)
    assert stat.st_size == 3 * GIB
    assert stat.st_blocks * 512 < 1024 * 1024  # nothing written
    assert backend.exists(location)


def test_create_refuses_to_overwrite_an_existing_volume(
        backend: impl_file.FileVolumeBackend) -> None:
    volume_id = str(uuid.uuid4())
    location = backend.create_volume(volume_id, 1)
    with open(location, 'r+b') as handle:
        handle.write(b'data')
    with pytest.raises(base.VolumeBackendError):
        backend.create_volume(volume_id, 1)
    with open(location, 'rb') as handle:
        assert handle.read(4) == b'data'


@pytest.mark.parametrize('volume_id', ['../../etc/passwd', '', None])
def test_create_rejects_ids_that_are_not_uuids(backend: impl_file.FileVolumeBackend,
                                               volume_id: object) -> None:
    with pytest.raises(base.VolumeBackendError):
        backend.create_volume(volume_id, 1)  # type: ignore[arg-type]


def test_connection_info_names_the_file(backend: impl_file.FileVolumeBackend) -> None:
    volume_id = str(uuid.uuid4())
    location = backend.create_volume(volume_id, 1)
    info = backend.initialize_connection(location, 'host-1')
    assert info == {'driver_volume_type': 'file',
                    'data': {'device_path': location, 'format': 'raw',
                             'volume_id': volume_id}}
    assert os.path.isabs(info['data']['device_path'])
    backend.terminate_connection(location, 'host-1')
    backend.terminate_connection(location, 'host-1')


def test_delete_is_idempotent(backend: impl_file.FileVolumeBackend) -> None:
    location = backend.create_volume(str(uuid.uuid4()), 1)
    backend.delete_volume(location)
    assert not os.path.exists(location)
    assert not backend.exists(location)
    backend.delete_volume(location)
    with pytest.raises(base.VolumeBackendError):
        backend.initialize_connection(location, 'host-1')


def test_locations_outside_the_volumes_dir_are_refused(
        backend: impl_file.FileVolumeBackend, tmp_path: os.PathLike[str]) -> None:
    outsider = os.path.join(str(tmp_path), 'precious')
    with open(outsider, 'w') as handle:
        handle.write('keep me')
    for location in (outsider, os.path.join(backend.volumes_dir, '..', 'volume-x')):
        with pytest.raises(base.VolumeBackendError):
            backend.delete_volume(location)
        with pytest.raises(base.VolumeBackendError):
            backend.initialize_connection(location, 'host-1')
    assert os.path.exists(outsider)


def test_revert_puts_the_snapshot_bytes_back(backend: impl_file.FileVolumeBackend) -> None:
    location = backend.create_volume(str(uuid.uuid4()), 1)
    with open(location, 'r+b') as f:
        f.write(b'before')
    snapshot = backend.create_snapshot(str(uuid.uuid4()), location)
    with open(location, 'r+b') as f:
        f.write(b'AFTER!')
    backend.revert_to_snapshot(location, snapshot)
    with open(location, 'rb') as f:
        assert f.read(6) == b'before'
    assert os.path.getsize(location) == 1024 ** 3
    with pytest.raises(base.VolumeBackendError):
        backend.revert_to_snapshot(location, location)  # not a snapshot's file
