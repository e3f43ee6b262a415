"""Volume snapshots, volumes from snapshots, clones and extend on the file backend:
states, bytes copied, and failures that leave no file or row behind."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as models
from nova_lite.db.models import volume_snapshot as snapshot_models
from nova_lite.volume import manager as volume_manager
from nova_lite.volume import snapshots
from nova_lite.volume.backends import base, impl_file

GIB = 1024 ** 3


@pytest.fixture
def manager(conf: cfg.ConfigOpts, db: db_api.Database) -> volume_manager.VolumeManager:
    return volume_manager.VolumeManager(conf, db, base.load_backend(conf))


def _files(conf: cfg.ConfigOpts) -> list[str]:
    path = conf.volume.volumes_dir
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def _rows(db: db_api.Database, model: type) -> int:
    with db.reader() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def _write(path: str, offset: int, data: bytes) -> None:
    with open(path, 'r+b') as handle:
        handle.seek(offset)
        handle.write(data)


def _read(path: str, offset: int, length: int) -> bytes:
    with open(path, 'rb') as handle:
        handle.seek(offset)
        return handle.read(length)


def _location(db: db_api.Database, model: Any, row_id: str) -> str:
    with db.reader() as session:
        return str(session.get(model, row_id).provider_location)


def test_snapshot_copies_the_bytes_of_the_moment(manager, member_ctx, db, conf) -> None:
    volume = manager.create_volume(member_ctx, 1)
    path = _location(db, models.Volume, volume['id'])
    _write(path, 4096, b'before')
    snap = manager.snapshots.create(member_ctx, volume['id'], name='s1',
                                    metadata={'k': 'v'})
    assert (snap['status'], snap['size'], snap['volume_id']) == ('available', 1, volume['id'])
    assert (snap['name'], snap['metadata']) == ('s1', {'k': 'v'})
    assert snap['os-extended-snapshot-attributes:progress'] == '100%'
    _write(path, 4096, b'after!')
    snap_path = _location(db, snapshot_models.VolumeSnapshot, snap['id'])
    assert os.path.basename(snap_path) == f'snapshot-{snap["id"]}'
    assert _read(snap_path, 4096, 6) == b'before'
    stat = os.stat(snap_path)
    assert stat.st_size == GIB and stat.st_blocks * 512 < 1024 * 1024  # holes stay holes
    assert manager.snapshots.list(member_ctx) == [snap]
    manager.snapshots.delete(member_ctx, snap['id'])
    assert not os.path.exists(snap_path)
    with pytest.raises(exception.NotFound):
        manager.snapshots.get(member_ctx, snap['id'])


def test_snapshot_of_in_use_volume_needs_force(manager, member_ctx, db) -> None:
    volume = manager.create_volume(member_ctx, 1)
    attachment = manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))
    manager.attach_volume(member_ctx, attachment['id'], 'host-1', '/dev/vdb')
    with pytest.raises(snapshots.InvalidVolume) as err:
        manager.snapshots.create(member_ctx, volume['id'])
    assert err.value.code == 400
    assert _rows(db, snapshot_models.VolumeSnapshot) == 0
    forced = manager.snapshots.create(member_ctx, volume['id'], force=True)
    assert forced['status'] == 'available'


def test_volume_with_snapshots_is_not_deleted_unless_cascade(manager, member_ctx, db,
                                                            conf) -> None:
    volume = manager.create_volume(member_ctx, 1)
    snap = manager.snapshots.create(member_ctx, volume['id'])
    with pytest.raises(snapshots.InvalidVolume) as err:
        manager.delete_volume(member_ctx, volume['id'])
    assert err.value.code == 400 and 'snapshots' in str(err.value)
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'available'
    assert len(_files(conf)) == 2
    manager.delete_volume(member_ctx, volume['id'], cascade=True)
    assert _files(conf) == []
    assert _rows(db, snapshot_models.VolumeSnapshot) == 0
    assert _rows(db, models.Volume) == 0
    with pytest.raises(exception.NotFound):
        manager.snapshots.get(member_ctx, snap['id'])


def test_volume_from_snapshot_and_clone_hold_the_source_bytes(manager, member_ctx, db) -> None:
    volume = manager.create_volume(member_ctx, 1)
    _write(_location(db, models.Volume, volume['id']), 0, b'bootsector')
    snap = manager.snapshots.create(member_ctx, volume['id'])
    from_snap = manager.copies.create_from(member_ctx, snapshot_id=snap['id'], name='fs')
    assert (from_snap['snapshot_id'], from_snap['size'], from_snap['status']) == (
        snap['id'], 1, 'available')
    clone = manager.copies.create_from(member_ctx, size=3, source_volid=volume['id'])
    assert (clone['source_volid'], clone['size']) == (volume['id'], 3)
    for made in (from_snap, clone):
        path = _location(db, models.Volume, made['id'])
        assert _read(path, 0, 10) == b'bootsector'
        assert os.path.getsize(path) == made['size'] * GIB
    assert from_snap['bootable'] == clone['bootable'] == 'false'
    with pytest.raises(exception.InvalidInput, match='smaller'):
        manager.copies.create_from(member_ctx, size=1, source_volid=clone['id'])


def test_copies_of_a_bootable_volume_are_bootable(manager, member_ctx, db) -> None:
    volume = manager.create_volume(member_ctx, 1)
    with db.session() as session:
        session.execute(sa.update(models.Volume).where(
            models.Volume.id == volume['id']).values(bootable=True))
    snap = manager.snapshots.create(member_ctx, volume['id'])
    assert manager.copies.create_from(member_ctx, snapshot_id=snap['id'])['bootable'] == 'true'
    assert manager.copies.create_from(member_ctx, source_volid=volume['id'])['bootable'] == \
        'true'


def test_copy_sources_are_checked(manager, member_ctx, other_project_ctx, db) -> None:
    volume = manager.create_volume(member_ctx, 1)
    snap = manager.snapshots.create(member_ctx, volume['id'])
    before = _rows(db, models.Volume)
    with pytest.raises(exception.NotFound):
        manager.copies.create_from(other_project_ctx, snapshot_id=snap['id'])
    with pytest.raises(exception.NotFound):
        manager.copies.create_from(other_project_ctx, source_volid=volume['id'])
    with pytest.raises(exception.InvalidInput):
        manager.copies.create_from(member_ctx, snapshot_id=snap['id'],
                                   source_volid=volume['id'])
    assert _rows(db, models.Volume) == before


def test_extend_grows_the_volume_and_keeps_its_snapshots(manager, member_ctx, db) -> None:
    volume = manager.create_volume(member_ctx, 1)
    snap = manager.snapshots.create(member_ctx, volume['id'])
    manager.copies.extend(member_ctx, volume['id'], 2)
    extended = manager.get_volume(member_ctx, volume['id'])
    assert (extended['size'], extended['status']) == (2, 'available')
    assert os.path.getsize(_location(db, models.Volume, volume['id'])) == 2 * GIB
    assert manager.snapshots.get(member_ctx, snap['id'])['size'] == 1
    for bad in (2, 1, 0, '3', 10 ** 6):
        with pytest.raises(exception.InvalidInput, match='new_size'):
            manager.copies.extend(member_ctx, volume['id'], bad)
    assert manager.get_volume(member_ctx, volume['id'])['size'] == 2


def test_snapshot_delete_of_a_busy_snapshot_is_400(manager, member_ctx, db) -> None:
    volume = manager.create_volume(member_ctx, 1)
    snap = manager.snapshots.create(member_ctx, volume['id'])
    with db.session() as session:
        session.execute(sa.update(snapshot_models.VolumeSnapshot).values(status='creating'))
    with pytest.raises(snapshots.InvalidSnapshot) as err:
        manager.snapshots.delete(member_ctx, snap['id'])
    assert err.value.code == 400
    with pytest.raises(snapshots.InvalidVolume):
        manager.delete_volume(member_ctx, volume['id'], cascade=True)
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'available'


# -- failures leave nothing behind -------------------------------------------


class _Failing(impl_file.FileVolumeBackend):
    """The file backend, failing the named operation after doing its part of it."""

    def __init__(self, conf: cfg.ConfigOpts, fail: str) -> None:
        super().__init__(conf)
        self.fail = fail

    def create_snapshot(self, snapshot_id: str, volume_location: str) -> str:
        if self.fail == 'snapshot':
            raise base.VolumeBackendError(reason='disk full')
        return super().create_snapshot(snapshot_id, volume_location)

    def create_volume_from_source(self, volume_id: str, size_gb: int,
                                  source_location: str) -> str:
        if self.fail == 'copy':
            raise OSError('I/O error')
        return super().create_volume_from_source(volume_id, size_gb, source_location)

    def extend_volume(self, provider_location: str, new_size_gb: int) -> None:
        if self.fail == 'extend':
            raise base.VolumeBackendError(reason='no space')
        super().extend_volume(provider_location, new_size_gb)


@pytest.mark.parametrize('fail', ['snapshot', 'copy', 'extend'])
def test_backend_failure_leaves_no_orphan(conf, db, member_ctx, fail: str) -> None:
    manager = volume_manager.VolumeManager(conf, db, _Failing(conf, 'none'))
    volume = manager.create_volume(member_ctx, 1)
    snap = manager.snapshots.create(member_ctx, volume['id'])
    manager.backend.fail = fail  # the managers share the backend object
    files, volumes, snaps = (_files(conf), _rows(db, models.Volume),
                             _rows(db, snapshot_models.VolumeSnapshot))
    with pytest.raises(base.VolumeBackendError) as err:
        if fail == 'snapshot':
            manager.snapshots.create(member_ctx, volume['id'])
        elif fail == 'copy':
            manager.copies.create_from(member_ctx, snapshot_id=snap['id'])
        else:
            manager.copies.extend(member_ctx, volume['id'], 2)
    assert err.value.code == 500
    assert _files(conf) == files
    assert (_rows(db, models.Volume), _rows(db, snapshot_models.VolumeSnapshot)) == (
        volumes, snaps)
    shown = manager.get_volume(member_ctx, volume['id'])
    assert (shown['status'], shown['size']) == ('available', 1)


def test_file_copy_failing_midway_removes_the_partial_file(conf, monkeypatch) -> None:
    backend = impl_file.FileVolumeBackend(conf)
    source = backend.create_volume(str(uuid.uuid4()), 1)

    def half_copy(src: str, target_fd: int, size: int) -> None:
        os.pwrite(target_fd, b'partial', 0)
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(impl_file.sparse, 'copy', half_copy)
    new_id = str(uuid.uuid4())
    with pytest.raises(base.VolumeBackendError, match='No space'):
        backend.create_volume_from_source(new_id, 1, source)
    with pytest.raises(base.VolumeBackendError, match='No space'):
        backend.create_snapshot(new_id, source)
    assert sorted(os.listdir(backend.volumes_dir)) == [os.path.basename(source)]
    with pytest.raises(base.VolumeBackendError):
        backend.create_volume_from_source(str(uuid.uuid4()), 1, '/etc/passwd')
    with pytest.raises(base.VolumeBackendError):
        backend.delete_snapshot(source)  # a volume file is no snapshot


def test_sparse_copy_keeps_data_and_holes(tmp_path) -> None:
    from nova_lite.volume.backends import sparse
    source = tmp_path / 'src'
    with open(source, 'wb') as handle:
        handle.truncate(8 * 1024 * 1024)
        handle.seek(5 * 1024 * 1024 + 3)
        handle.write(b'middle')
    target = tmp_path / 'dst'
    fd = os.open(target, os.O_WRONLY | os.O_CREAT)
    try:
        sparse.copy(str(source), fd, 16 * 1024 * 1024)
    finally:
        os.close(fd)
    assert os.path.getsize(target) == 16 * 1024 * 1024
    assert _read(str(target), 5 * 1024 * 1024 + 3, 6) == b'middle'
    assert os.stat(target).st_blocks * 512 <= 2 * 1024 * 1024


@pytest.fixture
def other_project_ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='u2', project_id='project-other',
                                     roles=['member', 'reader'])
