"""Each volume flow with a failure injected at each of its tasks: nothing is left
behind (no backend file, the record in error or removed, the quota usage back),
and every run, finished or reverted, is saved with the conductor's backend."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from oslo_config import cfg
from taskflow import states

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.db import api as db_api
from nova_lite.db.models import flow as flow_models
from nova_lite.db.models import volume as models
from nova_lite.db.models import volume_snapshot as snapshot_models
from nova_lite.flowviz import volume_flows
from nova_lite.volume import manager as volume_manager
from nova_lite.volume.backends import base
from nova_lite.volume.flows import keys

IMAGE_ID = '0d9c1a4e-5b7f-4c21-8e3a-6f2b9d1c7a55'
PROJECT = 'project-a'


class Images:
    """The image service: one small raw image."""

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> dict[str, Any]:
        if image_id != IMAGE_ID:
            raise exception.NotFound(resource='Image', id=image_id)
        return {'id': IMAGE_ID, 'status': 'active', 'disk_format': 'raw', 'size': 4096,
                'min_disk': 0}

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        yield b'\xeb\x3c\x90' + b'\0' * 4093


@pytest.fixture
def persistence(db: db_api.Database) -> flow_persistence.DatabaseBackend:
    return flow_persistence.DatabaseBackend(db)


@pytest.fixture
def manager(conf: cfg.ConfigOpts, db: db_api.Database,
            persistence: flow_persistence.DatabaseBackend) -> volume_manager.VolumeManager:
    return volume_manager.VolumeManager(conf, db, base.load_backend(conf), images=Images(),
                                        flow_persistence=persistence)


def _files(conf: cfg.ConfigOpts) -> list[str]:
    path = conf.volume.volumes_dir
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def _statuses(db: db_api.Database, model: Any) -> list[tuple[str, int]]:
    with db.reader() as session:
        return sorted((row.status, row.size) for row in session.scalars(sa.select(model)))


def _usage(manager: volume_manager.VolumeManager) -> tuple[int, int, int]:
    usage = manager.quotas.usage(PROJECT)
    return usage['volumes'], usage['snapshots'], usage['gigabytes']


def _runs(persistence: flow_persistence.DatabaseBackend,
          flow_name: str) -> list[tuple[str | None, dict[str, str | None]]]:
    """(flow state, atom states) of every saved run of ``flow_name``."""
    found = []
    for book in persistence.get_connection().get_logbooks():
        for flow_detail in book:
            if flow_detail.name == flow_name:
                found.append((flow_detail.state,
                              {atom.name: atom.state for atom in flow_detail}))
    return found


def _inject_failure(monkeypatch: pytest.MonkeyPatch, flow_name: str, task_name: str) -> None:
    """Make ``task_name`` of ``flow_name`` raise in place of its work."""
    task = next(t for t in volume_flows.describe_volume_flow(flow_name)
                if t.name == task_name)
    cls = type(task)
    original = cls.execute

    @functools.wraps(original)
    def fail(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f'injected failure at {task_name}')

    monkeypatch.setattr(cls, 'execute', fail)


def _cases() -> list[tuple[str, str]]:
    return [(flow, task) for flow, tasks in sorted(keys.FLOW_TASKS.items()) for task in tasks]


Setup = Callable[[volume_manager.VolumeManager, nl_context.RequestContext], dict[str, str]]


def _volume(m: volume_manager.VolumeManager, ctx: nl_context.RequestContext) -> dict[str, str]:
    return {'volume': m.create_volume(ctx, 1)['id']}


def _volume_and_snapshot(m: volume_manager.VolumeManager,
                         ctx: nl_context.RequestContext) -> dict[str, str]:
    made = _volume(m, ctx)
    made['snapshot'] = m.snapshots.create(ctx, made['volume'])['id']
    return made


def _nothing(m: volume_manager.VolumeManager, ctx: nl_context.RequestContext) -> dict[str, str]:
    return {}


# flow -> (what exists before, the call that runs the flow).
SCENARIOS: dict[str, tuple[Setup, Callable[..., Any]]] = {
    keys.CREATE_FLOW: (_nothing, lambda m, ctx, made: m.create_volume(ctx, 1)),
    keys.CREATE_FROM_IMAGE_FLOW: (_nothing, lambda m, ctx, made: m.create_volume(
        ctx, 1, image_id=IMAGE_ID)),
    keys.CREATE_FROM_SNAPSHOT_FLOW: (_volume_and_snapshot, lambda m, ctx, made:
                                     m.copies.create_from(ctx, snapshot_id=made['snapshot'])),
    keys.CLONE_FLOW: (_volume, lambda m, ctx, made: m.copies.create_from(
        ctx, source_volid=made['volume'])),
    keys.SNAPSHOT_CREATE_FLOW: (_volume, lambda m, ctx, made: m.snapshots.create(
        ctx, made['volume'])),
    keys.EXTEND_FLOW: (_volume, lambda m, ctx, made: m.copies.extend(ctx, made['volume'], 2)),
    keys.DELETE_FLOW: (_volume, lambda m, ctx, made: m.delete_volume(ctx, made['volume'])),
    keys.SNAPSHOT_DELETE_FLOW: (_volume_and_snapshot, lambda m, ctx, made:
                                m.snapshots.delete(ctx, made['snapshot'])),
    keys.REIMAGE_FLOW: (_volume, lambda m, ctx, made: m.reimages.reimage(
        ctx, made['volume'], IMAGE_ID, False)),
}


@pytest.mark.parametrize('flow_name,task_name', _cases())
def test_failure_at_each_task_leaves_nothing_behind(
        manager: volume_manager.VolumeManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, db: db_api.Database,
        persistence: flow_persistence.DatabaseBackend, monkeypatch: pytest.MonkeyPatch,
        flow_name: str, task_name: str) -> None:
    setup, call = SCENARIOS[flow_name]
    made = setup(manager, member_ctx)
    files, usage = _files(conf), _usage(manager)
    volumes, snaps = _statuses(db, models.Volume), _statuses(db, snapshot_models.VolumeSnapshot)
    _inject_failure(monkeypatch, flow_name, task_name)

    with pytest.raises(base.VolumeBackendError) as err:
        call(manager, member_ctx, made)
    assert err.value.code == 500
    assert f'injected failure at {task_name}' in err.value.message

    if flow_name in (keys.CREATE_FLOW, keys.CREATE_FROM_IMAGE_FLOW):
        # The failed volume stays, in error, for its owner to delete (as in cinder);
        # its storage (and the image's download) is gone.
        assert _files(conf) == files == []
        assert _statuses(db, models.Volume) == [('error', 1)]
        assert _usage(manager) == (1, 0, 1)
    elif flow_name in (keys.DELETE_FLOW, keys.SNAPSHOT_DELETE_FLOW):
        model = models.Volume if flow_name == keys.DELETE_FLOW else snapshot_models.VolumeSnapshot
        assert ('error_deleting', 1) in _statuses(db, model)
        assert _usage(manager) == usage
        freed = task_name in (keys.REMOVE_VOLUME, keys.REMOVE_SNAPSHOT)
        assert len(_files(conf)) == len(files) - (1 if freed else 0)
        monkeypatch.undo()
        call(manager, member_ctx, made)  # error_deleting: the delete can be retried
        assert len(_files(conf)) == len(files) - 1
        assert _usage(manager)[2] == usage[2] - 1
    elif flow_name == keys.REIMAGE_FLOW:
        # The volume keeps its storage and image metadata, and is left in error
        # (as cinder leaves it); the image's download is gone.
        assert _files(conf) == files
        assert _statuses(db, models.Volume) == [('error', 1)]
        assert _usage(manager) == usage
        assert 'volume_image_metadata' not in manager.get_volume(member_ctx, made['volume'])
    else:
        # Copies and snapshots are removed; an extend keeps the old size.
        assert _files(conf) == files
        assert _statuses(db, models.Volume) == volumes
        assert _statuses(db, snapshot_models.VolumeSnapshot) == snaps
        assert _usage(manager) == usage
        assert manager.get_volume(member_ctx, made['volume'])['status'] == 'available'

    (state, atoms), = [run for run in _runs(persistence, flow_name)
                       if run[0] != states.SUCCESS]
    assert state == states.REVERTED
    # The tasks up to the failed one reverted (in TaskFlow the failed one too);
    # the ones after it never ran.
    tasks = keys.FLOW_TASKS[flow_name]
    failed_at = tasks.index(task_name)
    assert [atoms[name] for name in tasks] == (
        [states.REVERTED] * (failed_at + 1) + [states.PENDING] * (len(tasks) - failed_at - 1))


@pytest.mark.parametrize('flow_name', sorted(SCENARIOS))
def test_each_run_is_saved_as_a_logbook(
        manager: volume_manager.VolumeManager, member_ctx: nl_context.RequestContext,
        persistence: flow_persistence.DatabaseBackend, flow_name: str) -> None:
    setup, call = SCENARIOS[flow_name]
    call(manager, member_ctx, setup(manager, member_ctx))
    (state, atoms), = _runs(persistence, flow_name)
    assert state == states.SUCCESS
    assert {name: atoms[name] for name in keys.FLOW_TASKS[flow_name]} == {
        name: states.SUCCESS for name in keys.FLOW_TASKS[flow_name]}


def test_the_callers_token_is_not_saved_with_the_run(
        manager: volume_manager.VolumeManager, db: db_api.Database) -> None:
    ctx = nl_context.RequestContext(user_id='member-user', project_id=PROJECT,
                                    roles=['member'], auth_token='secret-user-token')
    volume = manager.create_volume(ctx, 1, image_id=IMAGE_ID)
    assert (volume['status'], volume['bootable']) == ('available', 'true')
    with db.reader() as session:
        saved = [str(tuple(row)) for model in (flow_models.FlowLogBook,
                                               flow_models.FlowDetailRecord,
                                               flow_models.AtomDetailRecord)
                 for row in session.execute(sa.select(model.__table__))]
    assert saved and not any('secret-user-token' in text for text in saved)
    assert any(volume['id'] in text for text in saved)


def test_without_a_persistence_backend_the_flows_still_run(
        conf: cfg.ConfigOpts, db: db_api.Database, member_ctx: nl_context.RequestContext,
        persistence: flow_persistence.DatabaseBackend) -> None:
    manager = volume_manager.VolumeManager(conf, db, base.load_backend(conf))
    volume = manager.create_volume(member_ctx, 1)
    manager.copies.extend(member_ctx, volume['id'], 2)
    manager.delete_volume(member_ctx, volume['id'])
    assert _files(conf) == []
    assert _runs(persistence, keys.CREATE_FLOW) == []
