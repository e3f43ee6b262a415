"""Volume groups on the file backend: deletes leave no orphans, a failed group
snapshot leaves nothing, membership rules and group types in use."""

from __future__ import annotations

import os
from typing import Any

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as models
from nova_lite.db.models import volume_groups as group_models
from nova_lite.db.models import volume_snapshot as snapshot_models
from nova_lite.volume import group_types, groups
from nova_lite.volume import manager as volume_manager
from nova_lite.volume.backends import base


@pytest.fixture
def manager(conf: cfg.ConfigOpts, db: db_api.Database) -> volume_manager.VolumeManager:
    return volume_manager.VolumeManager(conf, db, base.load_backend(conf))


def _files(conf: cfg.ConfigOpts) -> list[str]:
    path = conf.volume.volumes_dir
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def _rows(db: db_api.Database, model: Any) -> int:
    with db.reader() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def _group(manager: volume_manager.VolumeManager, admin_ctx: nl_context.RequestContext,
           ctx: nl_context.RequestContext, *, is_public: bool = True) -> dict[str, Any]:
    volume_type = manager.types.create(admin_ctx, 'vt1')
    kind = manager.group_types.create(admin_ctx, 'gt1', is_public=is_public)
    return manager.groups.create(ctx, kind['id'], [volume_type['id']], name='g1')


def test_delete_with_volumes_removes_every_volume_and_file(manager, admin_ctx, member_ctx,
                                                           db, conf) -> None:
    group = _group(manager, admin_ctx, member_ctx)
    volumes = [manager.create_volume(member_ctx, 1, volume_type='vt1', group_id=group['id'])
               for _ in range(2)]
    assert all(volume['group_id'] == group['id'] for volume in volumes)
    assert len(_files(conf)) == 2
    with pytest.raises(groups.InvalidGroup):
        manager.groups.delete(member_ctx, group['id'], delete_volumes=False)
    manager.groups.delete(member_ctx, group['id'], delete_volumes=True)
    assert _files(conf) == []
    assert _rows(db, models.Volume) == 0
    assert _rows(db, group_models.VolumeGroup) == 0
    assert _rows(db, group_models.GroupVolumeType) == 0


def test_delete_is_all_or_nothing_when_a_volume_is_busy(manager, admin_ctx, member_ctx,
                                                        db) -> None:
    group = _group(manager, admin_ctx, member_ctx)
    first = manager.create_volume(member_ctx, 1, volume_type='vt1', group_id=group['id'])
    second = manager.create_volume(member_ctx, 1, volume_type='vt1', group_id=group['id'])
    manager.snapshots.create(member_ctx, second['id'])
    with pytest.raises(groups.InvalidGroup) as err:
        manager.groups.delete(member_ctx, group['id'], delete_volumes=True)
    assert err.value.code == 400
    assert manager.get_volume(member_ctx, first['id'])['status'] == 'available'
    assert manager.groups.get(member_ctx, group['id'])['status'] == 'available'


def test_failed_group_snapshot_leaves_nothing(manager, admin_ctx, member_ctx, db,
                                              monkeypatch) -> None:
    group = _group(manager, admin_ctx, member_ctx)
    for _ in range(2):
        manager.create_volume(member_ctx, 1, volume_type='vt1', group_id=group['id'])
    real = manager.backend.create_snapshot
    calls: list[str] = []

    def second_fails(snapshot_id: str, location: str) -> str:
        calls.append(snapshot_id)
        if len(calls) == 2:
            raise OSError('disk full')
        return real(snapshot_id, location)

    monkeypatch.setattr(manager.backend, 'create_snapshot', second_fails)
    with pytest.raises(exception.NovaLiteError):
        manager.group_snapshots.create(member_ctx, group['id'], name='gs')
    assert _rows(db, snapshot_models.VolumeSnapshot) == 0
    assert _rows(db, group_models.GroupSnapshot) == 0
    monkeypatch.setattr(manager.backend, 'create_snapshot', real)
    made = manager.group_snapshots.create(member_ctx, group['id'], name='gs')
    assert made['status'] == 'available'
    assert _rows(db, snapshot_models.VolumeSnapshot) == 2
    manager.group_snapshots.delete(member_ctx, made['id'])
    assert _rows(db, snapshot_models.VolumeSnapshot) == 0


def test_membership_rules(manager, admin_ctx, member_ctx) -> None:
    group = _group(manager, admin_ctx, member_ctx)
    other = manager.groups.create(member_ctx, 'gt1', ['vt1'], name='g2')
    volume = manager.create_volume(member_ctx, 1, volume_type='vt1', group_id=group['id'])
    with pytest.raises(groups.InvalidGroup):  # already in another group
        manager.groups.update(member_ctx, other['id'], changes={},
                              add_volumes=[volume['id']], remove_volumes=[])
    untyped = manager.create_volume(member_ctx, 1)
    with pytest.raises(groups.InvalidGroup):  # the default type is not the group's
        manager.groups.update(member_ctx, group['id'], changes={},
                              add_volumes=[untyped['id']], remove_volumes=[])
    with pytest.raises(exception.InvalidInput):
        manager.create_volume(member_ctx, 1, group_id=group['id'])
    manager.groups.reset_status(admin_ctx, group['id'], 'error')
    with pytest.raises(groups.InvalidGroup):
        manager.create_volume(member_ctx, 1, volume_type='vt1', group_id=group['id'])


def test_group_type_in_use_and_private_types(manager, admin_ctx, member_ctx) -> None:
    group = _group(manager, admin_ctx, member_ctx)
    with pytest.raises(group_types.GroupTypeInUse) as err:
        manager.group_types.delete(admin_ctx, group['group_type'])
    assert err.value.code == 400
    private = manager.group_types.create(admin_ctx, 'hidden', is_public=False)
    with pytest.raises(group_types.GroupTypeNotFound):
        manager.group_types.get(member_ctx, private['id'])
    assert 'hidden' not in [kind['name'] for kind in manager.group_types.list_types(
        member_ctx, is_public=None)]
    manager.groups.delete(member_ctx, group['id'], delete_volumes=False)
    manager.group_types.delete(admin_ctx, group['group_type'])
    assert manager.group_types.list_types(admin_ctx, is_public=True) == []
