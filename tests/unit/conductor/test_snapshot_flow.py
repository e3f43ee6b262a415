"""The snapshot (createImage) flow: its contract, its end, a failure at each task, the
host refusing, the image deleted while saving, and a kill at a task boundary resumed
by another conductor. A real database, the fake driver and the real compute manager's
capture of the instance disk; the image service in memory."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from oslo_config import cfg
from taskflow import engines, states

from nova_lite.common import exception
from nova_lite.conductor import action_runner, faults
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys, server_action
from nova_lite.conductor.tasks import snapshot as snapshot_tasks
from nova_lite.db import api as db_api
from nova_lite.flowviz import action_flows
from tests.unit.conductor.action_fixtures import HOST, POWER_OF_VM_STATE
from tests.unit.conductor.snapshot_fixtures import DISK_BYTES, USER_TOKEN, SnapshotWorld
from tests.unit.conductor.test_action_runner import _jobs
from tests.unit.conductor.test_boot_jobs import EXPIRY, Cloud

START_STATES = server_action.ACTIONS['snapshot'].from_vm_states


@pytest.fixture
def world(db: db_api.Database, conf: cfg.ConfigOpts) -> SnapshotWorld:
    return SnapshotWorld(db, conf)


@pytest.fixture
def cloud(db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(db)
    yield made
    made.stop()


def _run(world: SnapshotWorld, store: dict[str, Any], injector: Any = None) -> None:
    flow = server_action.get_action_flow('snapshot', world.deps(injector))
    engines.load(flow, store=store).run()


def test_snapshot_flow_contract(world: SnapshotWorld) -> None:
    flow = server_action.get_action_flow('snapshot', world.deps())
    assert flow.name == 'server-action-snapshot'
    assert [t.name for t in flow] == list(keys.SNAPSHOT_TASKS)
    contract = {t.name: (set(t.requires), set(t.provides)) for t in flow}
    assert contract == {
        keys.ACTION_TO_ERROR_ON_REVERT: ({keys.INSTANCE_ID, keys.ACTION_REQUEST,
                                          keys.SEALED_TOKEN}, set()),
        keys.SNAPSHOT_UPLOAD: ({keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST,
                                keys.SEALED_TOKEN}, {keys.POWER_STATE}),
        keys.RECORD_STATE: ({keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.POWER_STATE}, set()),
    }
    assert set(flow.requires) == {keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST,
                                  keys.SEALED_TOKEN}
    for cls in (snapshot_tasks.SnapshotToErrorOnRevert, snapshot_tasks.UploadSnapshot):
        assert 'Reversion strategy:' in (cls.__doc__ or ''), cls


def test_the_snapshot_flow_is_drawn(world: SnapshotWorld) -> None:
    drawing = action_flows.action_graph('snapshot').to_string()
    for name in keys.SNAPSHOT_TASKS:
        assert name in drawing


@pytest.mark.parametrize('start', START_STATES)
def test_a_snapshot_makes_an_active_image_of_the_disk(world: SnapshotWorld,
                                                      start: str) -> None:
    instance_id = world.instance_in(start)
    store, image_id = world.begin_snapshot(instance_id)
    _run(world, store)
    image = world.images.images[image_id]
    assert image['status'] == 'active'
    assert image['size'] == len(DISK_BYTES)
    assert image['checksum'] == hashlib.md5(DISK_BYTES, usedforsecurity=False).hexdigest()
    assert world.images.data[image_id] == DISK_BYTES
    assert world.images.tokens == {USER_TOKEN}  # every image call was the user's
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == (start, None)
    assert audit['domain'] == POWER_OF_VM_STATE[start]  # the guest kept its state
    assert audit['events'] == [('compute_createImage', 'Success')]
    assert world.leftovers(instance_id) == []  # the capture file is gone


@pytest.mark.parametrize('atom', keys.SNAPSHOT_TASKS)
def test_a_failure_at_each_task_leaves_no_image(world: SnapshotWorld, atom: str) -> None:
    instance_id = world.instance_in('active')
    store, image_id = world.begin_snapshot(instance_id)
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        _run(world, store, injector)
    assert image_id not in world.images.images  # no half image
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['domain'] == POWER_OF_VM_STATE['active']
    assert audit['events'] == [('compute_createImage', 'Error')]
    assert audit['finished']
    assert world.leftovers(instance_id) == []
    expected = ['snapshot_instance'] if atom == keys.RECORD_STATE else []
    assert world.host.calls == expected


def test_a_host_without_the_domain_fails_the_snapshot_not_the_instance(
        world: SnapshotWorld) -> None:
    instance_id = world.instance_in('paused')
    store, image_id = world.begin_snapshot(instance_id)
    world.host.driver.destroy(instance_id)
    with pytest.raises(exception.NotFound):
        _run(world, store)
    assert image_id not in world.images.images
    instance = world.instances.get(instance_id)
    assert (instance['vm_state'], instance['task_state']) == ('paused', None)


def test_the_image_deleted_while_saving_ends_the_snapshot_cleanly(
        world: SnapshotWorld) -> None:
    """Tempest's test_delete_saving_image: the user deletes the image mid-upload."""
    instance_id = world.instance_in('active')
    store, image_id = world.begin_snapshot(instance_id)
    world.images.fail_upload = exception.NotFound(resource='Image', id=image_id)
    original_upload = world.images.upload_image

    def upload_then_deleted(ctx: Any, uploaded_id: str, data: Any) -> None:
        world.images.images.pop(uploaded_id)  # deleted by its owner while saving
        original_upload(ctx, uploaded_id, data)

    world.images.upload_image = upload_then_deleted  # type: ignore[method-assign,assignment]
    with pytest.raises(exception.NotFound):
        _run(world, store)
    assert image_id not in world.images.images
    instance = world.instances.get(instance_id)
    assert (instance['vm_state'], instance['task_state']) == ('active', None)
    assert world.leftovers(instance_id) == []


def test_a_snapshot_killed_between_tasks_is_resumed_by_another_conductor(
        cloud: Cloud, world: SnapshotWorld) -> None:
    first = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                       cloud.persistence, workers=1)
    instance_id = world.instance_in('active')
    store, image_id = world.begin_snapshot(instance_id)
    job = first.post(instance_id, 'snapshot', HOST, store[keys.ACTION_REQUEST],
                     auth_token=USER_TOKEN)

    # Conductor A runs the saved flow until the upload's result is saved, and dies.
    claimed = first.jobs.claim(job)
    assert claimed is not None
    book, flow_detail = flow_persistence.load_run(cloud.persistence, claimed.flow_uuid)
    engine = flow_persistence.load_engine(
        server_action.get_action_flow('snapshot', world.deps()), cloud.persistence,
        flow_detail, book=book)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(keys.SNAPSHOT_UPLOAD) == states.SUCCESS:
            break
    steps.close()
    saved = flow_persistence.atom_states(cloud.persistence, claimed.flow_uuid)
    assert saved[keys.SNAPSHOT_UPLOAD] == states.SUCCESS
    assert saved.get(keys.RECORD_STATE) in (None, states.PENDING)
    assert world.instances.get(instance_id)['task_state'] == 'image_snapshot'
    # The run keeps the user's token only sealed.
    assert USER_TOKEN not in str(engine.storage.fetch(keys.SEALED_TOKEN))

    cloud.clock.advance(EXPIRY + 1)
    second = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-b'),
                                        cloud.persistence, workers=1)
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    assert world.images.images[image_id]['status'] == 'active'
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['events'] == [('compute_createImage', 'Success')]
    assert world.host.calls == ['snapshot_instance']  # captured and uploaded once
    second.stop()
    first.stop()


def test_a_snapshot_run_is_not_saved_without_the_callers_token(
        cloud: Cloud, world: SnapshotWorld) -> None:
    runner = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                        cloud.persistence, workers=1)
    instance_id = world.instance_in('active')
    store, _image_id = world.begin_snapshot(instance_id)
    with pytest.raises(exception.Conflict):
        runner.post(instance_id, 'snapshot', HOST, store[keys.ACTION_REQUEST])
    runner.stop()
