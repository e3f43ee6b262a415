"""The backup (createBackup) flow: its contract, the rotation of the server's backups
of a type (rotation 0 included), a failure at each task, and a kill at a task boundary
resumed by another conductor. A real database, the fake driver and the real compute
manager's capture of the disk; the image service in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from oslo_config import cfg
from taskflow import engines, states

from nova_lite.common import context as nl_context
from nova_lite.conductor import action_runner, faults
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys, server_action
from nova_lite.conductor.tasks import backup as backup_tasks
from nova_lite.db import api as db_api
from tests.unit.conductor.action_fixtures import HOST, POWER_OF_VM_STATE
from tests.unit.conductor.snapshot_fixtures import USER_TOKEN, SnapshotWorld
from tests.unit.conductor.test_action_runner import _jobs
from tests.unit.conductor.test_boot_jobs import EXPIRY, Cloud

USER = nl_context.RequestContext(auth_token=USER_TOKEN, user_id='u1', project_id='p1')


@pytest.fixture
def world(db: db_api.Database, conf: cfg.ConfigOpts) -> SnapshotWorld:
    return SnapshotWorld(db, conf)


@pytest.fixture
def cloud(db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(db)
    yield made
    made.stop()


def _begin(world: SnapshotWorld, instance_id: str, rotation: int,
           backup_type: str = 'daily') -> tuple[dict[str, Any], str]:
    """What the compute API does for createBackup: the queued backup image, the store."""
    instance = world.instances.get(instance_id)
    image = world.images.create_image(
        USER, name='backup', disk_format='raw', container_format='bare',
        **backup_tasks.backup_properties(instance_id, backup_type))
    store = world.begin(instance_id, 'backup')
    store[keys.ACTION_REQUEST]['args'] = {
        'image_id': image['id'], 'disk_format': 'raw', 'vm_state': instance['vm_state'],
        'backup_type': backup_type, 'rotation': rotation}
    store[keys.SEALED_TOKEN] = world.sealer.seal(USER_TOKEN)
    return store, image['id']


def _old_backup(world: SnapshotWorld, instance_id: str, backup_type: str = 'daily') -> str:
    image = world.images.create_image(
        USER, name='old', disk_format='raw', container_format='bare',
        **backup_tasks.backup_properties(instance_id, backup_type))
    world.images.images[image['id']]['status'] = 'active'
    return str(image['id'])


def _run(world: SnapshotWorld, store: dict[str, Any], injector: Any = None) -> None:
    flow = server_action.get_action_flow('backup', world.deps(injector))
    engines.load(flow, store=store).run()


def test_backup_flow_contract(world: SnapshotWorld) -> None:
    flow = server_action.get_action_flow('backup', world.deps())
    assert flow.name == 'server-action-backup'
    assert [t.name for t in flow] == list(keys.BACKUP_TASKS)
    contract = {t.name: (set(t.requires), set(t.provides)) for t in flow}
    assert contract[keys.ROTATE_BACKUPS] == (
        {keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.SEALED_TOKEN}, set())
    assert contract[keys.SNAPSHOT_UPLOAD] == (
        {keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST, keys.SEALED_TOKEN},
        {keys.POWER_STATE})
    assert set(flow.requires) == {keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST,
                                  keys.SEALED_TOKEN}
    assert 'Reversion strategy:' in (backup_tasks.RotateBackups.__doc__ or '')
    assert server_action.ACTIONS['backup'].instance_action == 'createBackup'


def test_rotation_keeps_the_newest_backups_of_the_type(world: SnapshotWorld) -> None:
    instance_id = world.instance_in('active')
    oldest, older = _old_backup(world, instance_id), _old_backup(world, instance_id)
    weekly = _old_backup(world, instance_id, 'weekly')
    other_server = _old_backup(world, 'another-server')
    store, image_id = _begin(world, instance_id, rotation=2)
    _run(world, store)
    assert world.images.images[image_id]['status'] == 'active'
    remaining = set(world.images.images)
    assert oldest not in remaining  # beyond the 2 newest daily backups
    assert {older, image_id, weekly, other_server} <= remaining
    assert world.images.tokens == {USER_TOKEN}
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['events'] == [('compute_createBackup', 'Success')]


def test_rotation_zero_deletes_every_backup_of_the_type_with_the_new_one(
        world: SnapshotWorld) -> None:
    instance_id = world.instance_in('stopped')
    old = _old_backup(world, instance_id)
    store, image_id = _begin(world, instance_id, rotation=0)
    _run(world, store)
    assert old not in world.images.images
    assert image_id not in world.images.images
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('stopped', None)
    assert audit['events'] == [('compute_createBackup', 'Success')]


def test_the_new_backup_counts_as_newest_whatever_the_clock_says() -> None:
    images = [{'id': 'a', 'created_at': '2026-01-02'}, {'id': 'new', 'created_at': '2026-01-01'},
              {'id': 'b', 'created_at': '2026-01-03'}]
    assert [i['id'] for i in backup_tasks.newest_first(images, 'new')] == ['new', 'b', 'a']


@pytest.mark.parametrize('atom', keys.BACKUP_TASKS)
def test_a_failure_at_each_task_leaves_no_new_image(world: SnapshotWorld, atom: str) -> None:
    instance_id = world.instance_in('active')
    old = _old_backup(world, instance_id)
    store, image_id = _begin(world, instance_id, rotation=1)
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        _run(world, store, injector)
    assert image_id not in world.images.images  # no half backup
    # The old backup is rotated out only once the rotation ran (record-state failed).
    assert (old in world.images.images) is (atom != keys.RECORD_STATE)
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['domain'] == POWER_OF_VM_STATE['active']
    assert audit['events'] == [('compute_createBackup', 'Error')]
    assert world.leftovers(instance_id) == []


def test_a_backup_killed_before_the_rotation_is_resumed_by_another_conductor(
        cloud: Cloud, world: SnapshotWorld) -> None:
    first = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                       cloud.persistence, workers=1)
    instance_id = world.instance_in('active')
    old = _old_backup(world, instance_id)
    store, image_id = _begin(world, instance_id, rotation=1)
    job = first.post(instance_id, 'backup', HOST, store[keys.ACTION_REQUEST],
                     auth_token=USER_TOKEN)
    claimed = first.jobs.claim(job)
    assert claimed is not None
    book, flow_detail = flow_persistence.load_run(cloud.persistence, claimed.flow_uuid)
    engine = flow_persistence.load_engine(
        server_action.get_action_flow('backup', world.deps()), cloud.persistence,
        flow_detail, book=book)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(keys.SNAPSHOT_UPLOAD) == states.SUCCESS:
            break
    steps.close()
    saved = flow_persistence.atom_states(cloud.persistence, claimed.flow_uuid)
    assert saved.get(keys.ROTATE_BACKUPS) in (None, states.PENDING)
    assert old in world.images.images

    cloud.clock.advance(EXPIRY + 1)
    second = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-b'),
                                        cloud.persistence, workers=1)
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    assert world.images.images[image_id]['status'] == 'active'
    assert old not in world.images.images
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['events'] == [('compute_createBackup', 'Success')]
    assert world.host.calls == ['snapshot_instance']
    second.stop()
    first.stop()
