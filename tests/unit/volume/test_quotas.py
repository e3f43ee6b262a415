"""Block storage quotas: limit resolution, counted usage, 413s, and racing creates."""

from __future__ import annotations

import threading
from concurrent import futures
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.volume import manager as volume_manager
from nova_lite.volume import quotas
from nova_lite.volume.backends import base

RACERS = 6


@pytest.fixture
def manager(conf: cfg.ConfigOpts, db: db_api.Database) -> volume_manager.VolumeManager:
    return volume_manager.VolumeManager(conf, db, base.load_backend(conf))


def _project(ctx: nl_context.RequestContext) -> str:
    assert ctx.project_id is not None
    return ctx.project_id


def test_defaults_come_from_config_then_the_default_class(manager, conf) -> None:
    engine = manager.quotas
    defaults = engine.defaults()
    assert {name: defaults[name] for name in quotas.CONFIGURED} == {
        'volumes': 10, 'snapshots': 10, 'gigabytes': 1000, 'backups': 10,
        'backup_gigabytes': 1000, 'groups': 10, 'per_volume_gigabytes': -1}
    assert defaults['volumes___DEFAULT__'] == -1
    conf.set_override('volumes', 4, group='volume_quota')
    try:
        assert engine.defaults()['volumes'] == 4
        engine.update_class('default', {'volumes': 7, 'gigabytes___DEFAULT__': 50})
        assert engine.defaults()['volumes'] == 7
        assert engine.limits('any-project')['gigabytes___DEFAULT__'] == 50
        assert engine.class_limits('gold')['volumes'] == 7
        engine.update_class('gold', {'volumes': 99})
        assert engine.class_limits('gold')['volumes'] == 99
        assert engine.defaults()['volumes'] == 7
    finally:
        conf.clear_override('volumes', group='volume_quota')


def test_per_type_resources_follow_the_volume_types(manager, admin_ctx) -> None:
    manager.types.create(admin_ctx, 'gold')
    resources = manager.quotas.resources()
    assert {'volumes_gold', 'gigabytes_gold', 'snapshots_gold'} <= set(resources)


def test_project_limits_and_delete(manager, member_ctx) -> None:
    project = _project(member_ctx)
    engine = manager.quotas
    assert engine.update(project, {'volumes': 3})['volumes'] == 3
    assert engine.limits(project)['volumes'] == 3
    assert engine.limits('another')['volumes'] == 10
    engine.delete(project)
    assert engine.limits(project)['volumes'] == 10


def test_usage_counts_volumes_and_snapshots(manager, member_ctx) -> None:
    project = _project(member_ctx)
    volume = manager.create_volume(member_ctx, 2)
    manager.snapshots.create(member_ctx, volume['id'])
    detail = manager.quotas.detail(project)
    assert detail['volumes'] == {'limit': 10, 'in_use': 1, 'reserved': 0}
    assert detail['snapshots']['in_use'] == 1
    assert detail['gigabytes']['in_use'] == 4  # the volume and its snapshot
    assert detail['volumes___DEFAULT__']['in_use'] == 1
    assert detail['gigabytes___DEFAULT__']['in_use'] == 4


def test_limit_below_usage_is_refused(manager, member_ctx) -> None:
    project = _project(member_ctx)
    manager.create_volume(member_ctx, 1)
    manager.create_volume(member_ctx, 1)
    with pytest.raises(exception.Invalid) as raised:
        manager.quotas.update(project, {'volumes': 1})
    assert raised.value.code == 400
    assert 'Current usage is 2' in str(raised.value)
    assert manager.quotas.update(project, {'volumes': 2})['volumes'] == 2


def test_volume_count_over_quota_is_413(manager, member_ctx) -> None:
    manager.quotas.update(_project(member_ctx), {'volumes': 1})
    manager.create_volume(member_ctx, 1)
    with pytest.raises(quotas.VolumeLimitExceeded) as raised:
        manager.create_volume(member_ctx, 1)
    assert raised.value.code == 413
    assert "Maximum number of volumes allowed (1) exceeded for quota 'volumes'." == str(
        raised.value)
    assert len(manager.list_volumes(member_ctx)) == 1


def test_gigabytes_over_quota_is_413(manager, member_ctx) -> None:
    manager.quotas.update(_project(member_ctx), {'gigabytes': 3})
    volume = manager.create_volume(member_ctx, 2)
    with pytest.raises(quotas.VolumeSizeExceedsAvailableQuota) as raised:
        manager.create_volume(member_ctx, 2)
    assert 'Requested 2G, quota is 3G and 2G has been consumed' in str(raised.value)
    with pytest.raises(quotas.VolumeSizeExceedsAvailableQuota):
        manager.snapshots.create(member_ctx, volume['id'])  # 2 more GiB
    with pytest.raises(quotas.VolumeSizeExceedsAvailableQuota):
        manager.copies.extend(member_ctx, volume['id'], 4)
    manager.copies.extend(member_ctx, volume['id'], 3)
    assert manager.get_volume(member_ctx, volume['id'])['size'] == 3


def test_snapshots_over_quota_is_413(manager, member_ctx) -> None:
    manager.quotas.update(_project(member_ctx), {'snapshots': 1})
    volume = manager.create_volume(member_ctx, 1)
    manager.snapshots.create(member_ctx, volume['id'])
    with pytest.raises(quotas.SnapshotLimitExceeded) as raised:
        manager.snapshots.create(member_ctx, volume['id'])
    assert raised.value.code == 413


def test_per_volume_and_per_type_limits(manager, member_ctx, admin_ctx) -> None:
    project = _project(member_ctx)
    manager.types.create(admin_ctx, 'gold')
    manager.quotas.update(project, {'per_volume_gigabytes': 2, 'volumes_gold': 1})
    with pytest.raises(quotas.VolumeSizeExceedsLimit):
        manager.create_volume(member_ctx, 3)
    manager.create_volume(member_ctx, 1, volume_type='gold')
    with pytest.raises(quotas.VolumeLimitExceeded) as raised:
        manager.create_volume(member_ctx, 1, volume_type='gold')
    assert "quota 'volumes_gold'" in str(raised.value)
    manager.create_volume(member_ctx, 1)  # the default type has no limit of its own


def _race_for_the_last_volume(conf: cfg.ConfigOpts, database: db_api.Database,
                              ctx: nl_context.RequestContext) -> None:
    manager = volume_manager.VolumeManager(conf, database, base.load_backend(conf))
    manager.quotas.update(_project(ctx), {'volumes': 2})
    manager.create_volume(ctx, 1)  # one unit left
    barrier = threading.Barrier(RACERS)

    def create(_index: int) -> dict[str, Any]:
        barrier.wait()
        return manager.create_volume(ctx, 1)

    wins, losses = [], []
    with futures.ThreadPoolExecutor(RACERS) as pool:
        for future in [pool.submit(create, i) for i in range(RACERS)]:
            try:
                wins.append(future.result(timeout=60))
            except quotas.VolumeLimitExceeded as exc:
                losses.append(exc)
    assert len(wins) == 1
    assert len(losses) == RACERS - 1
    assert len(manager.list_volumes(ctx)) == 2
    assert manager.quotas.usage(_project(ctx))['volumes'] == 2


def test_racing_creates_never_overcommit_sqlite(conf, db, member_ctx) -> None:
    _race_for_the_last_volume(conf, db, member_ctx)


@pytest.mark.postgresql
def test_racing_creates_never_overcommit_postgresql(conf, pg_db, member_ctx) -> None:
    _race_for_the_last_volume(conf, pg_db, member_ctx)
