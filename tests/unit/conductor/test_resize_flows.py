"""The resize (confirm, revert) and rebuild flows: contracts, the round trips, a
failure at each task (nothing left behind: claim, flavor, guest and migration as
before) and a kill at a task boundary resumed by another conductor. Real database
and scheduler claims, the compute manager over the fake driver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from oslo_config import cfg
from taskflow import engines, states

from nova_lite.conductor import action_runner, faults
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys, server_action
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.conductor.tasks import rebuild as rebuild_tasks
from nova_lite.conductor.tasks import resize as resize_tasks
from nova_lite.db import api as db_api
from nova_lite.virt import power_state
from tests.unit.conductor.action_fixtures import HOST
from tests.unit.conductor.resize_fixtures import BIG, SMALL, TOKEN, ResizeWorld, resources
from tests.unit.conductor.test_action_runner import _jobs
from tests.unit.conductor.test_boot_jobs import EXPIRY, Cloud


@pytest.fixture
def world(db: db_api.Database, conf: cfg.ConfigOpts) -> ResizeWorld:
    return ResizeWorld(db, conf)


@pytest.fixture
def cloud(db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(db)
    yield made
    made.stop()


# Contracts ---------------------------------------------------------------------------

_FLOWS = [('resize', keys.RESIZE_TASKS), ('confirm-resize', keys.CONFIRM_RESIZE_TASKS),
          ('revert-resize', keys.REVERT_RESIZE_TASKS), ('rebuild', keys.REBUILD_TASKS)]


@pytest.mark.parametrize('action,tasks', _FLOWS)
def test_flow_contracts(world: ResizeWorld, action: str, tasks: tuple[str, ...]) -> None:
    flow = world.flow(action)
    assert [t.name for t in flow] == list(tasks)
    assert isinstance(next(iter(flow)), action_tasks.ActionToErrorOnRevert)
    expected = {keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST}
    if action == 'rebuild':
        expected.add(keys.SEALED_TOKEN)
    assert set(flow.requires) == expected
    provided = {t.name: set(t.provides) for t in flow}
    host_task = tasks[2] if action in ('resize', 'confirm-resize') else tasks[1]
    if action != 'confirm-resize':
        assert provided[host_task] == {keys.POWER_STATE}
    for task in flow:
        assert 'Reversion strategy:' in (type(task).__doc__ or ''), task.name


def test_every_task_class_says_how_it_reverts() -> None:
    for module in (resize_tasks, rebuild_tasks):
        for name in dir(module):
            cls = getattr(module, name)
            if isinstance(cls, type) and cls.__module__ == module.__name__ \
                    and not name.startswith('_'):
                assert 'Reversion strategy:' in (cls.__doc__ or ''), name


# Round trips -------------------------------------------------------------------------

def test_resize_then_confirm(world: ResizeWorld) -> None:
    instance_id, migration_id = world.resized()
    audit = world.audit_resize(instance_id, migration_id)
    assert (audit['vm_state'], audit['task_state']) == ('resized', None)
    assert audit['flavor_id'] == BIG['id'] == audit['quota_flavor']
    assert audit['claim'] == resources(SMALL, BIG)  # both held until the confirm
    assert audit['migration'] == 'finished'
    assert audit['guest_vcpus'] == BIG['vcpus'] and audit['backup']
    assert audit['domain'] == power_state.RUNNING
    engines.load(world.flow('confirm-resize'),
                 store=world.waiting_store(instance_id, 'confirm-resize')).run()
    audit = world.audit_resize(instance_id, migration_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['flavor_id'] == BIG['id'] and audit['claim'] == resources(BIG)
    assert world.scheduler.usage() == (2, 1024, 2)
    assert audit['migration'] == 'confirmed' and not audit['backup']
    assert audit['events'] == [('compute_confirmResize', 'Success')]


def test_resize_then_revert(world: ResizeWorld) -> None:
    instance_id, migration_id = world.resized()
    engines.load(world.flow('revert-resize'),
                 store=world.waiting_store(instance_id, 'revert-resize')).run()
    audit = world.audit_resize(instance_id, migration_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['flavor_id'] == SMALL['id'] == audit['quota_flavor']
    assert audit['claim'] == resources(SMALL) and world.scheduler.usage() == (1, 512, 1)
    assert audit['migration'] == 'reverted'
    assert audit['guest_vcpus'] == SMALL['vcpus'] and not audit['backup']
    assert audit['events'] == [('compute_revertResize', 'Success')]


def test_a_stopped_server_is_resized_and_confirmed_stopped(world: ResizeWorld) -> None:
    instance_id = world.booted('stopped')
    store = world.resize_store(instance_id)
    engines.load(world.flow('resize'), store=store).run()
    assert world.audit(instance_id)['domain'] == power_state.SHUTDOWN
    engines.load(world.flow('confirm-resize'),
                 store=world.waiting_store(instance_id, 'confirm-resize')).run()
    assert world.instances.get(instance_id)['vm_state'] == 'stopped'


def test_a_resize_without_room_fails_and_changes_nothing(world: ResizeWorld) -> None:
    instance_id = world.booted()
    store = world.resize_store(instance_id)
    huge = {**BIG, 'id': '3', 'vcpus': 10_000}
    store[keys.ACTION_REQUEST]['args']['new_flavor'] = huge
    with pytest.raises(Exception, match='not enough room'):
        engines.load(world.flow('resize'), store=store).run()
    migration_id = int(store[keys.ACTION_REQUEST]['args']['migration_id'])
    audit = world.audit_resize(instance_id, migration_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['claim'] == resources(SMALL) and audit['migration'] == 'error'
    assert world.host.calls == []


def test_rebuild_makes_the_disk_again_from_the_new_image(world: ResizeWorld) -> None:
    instance_id = world.booted()
    disk = world.host.driver.instance_dir(instance_id) + '/disk'
    with open(disk, 'ab') as written:
        written.write(b'guest data')
    engines.load(world.flow('rebuild'), store=world.rebuild_store(instance_id,
                                                                  'image-2')).run()
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['domain'] == power_state.RUNNING
    assert audit['events'] == [('compute_rebuild', 'Success')]
    assert world.host.calls == ['rebuild_instance']
    with open(disk, 'rb') as made:
        assert b'guest data' not in made.read()
    assert 'image-2' in world.host.driver._domains[instance_id].xml


# A failure at each task --------------------------------------------------------------

@pytest.mark.parametrize('atom', keys.RESIZE_TASKS)
def test_a_failed_resize_leaves_nothing_behind(world: ResizeWorld, atom: str) -> None:
    instance_id = world.booted()
    store = world.resize_store(instance_id)
    migration_id = int(store[keys.ACTION_REQUEST]['args']['migration_id'])
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(world.flow('resize', injector), store=store).run()
    audit = world.audit_resize(instance_id, migration_id)
    assert audit['task_state'] is None and audit['finished']
    assert audit['events'] == [('compute_resize', 'Error')]
    assert audit['claim'] == resources(SMALL)
    assert audit['flavor_id'] == SMALL['id'] == audit['quota_flavor']
    assert audit['migration'] == 'error'
    assert audit['guest_vcpus'] == SMALL['vcpus'] and audit['domain'] == power_state.RUNNING
    # The injected fault at the host task comes before the host was asked: unknown to
    # the first task's revert, so ERROR, as any host failure that is not a refusal.
    assert audit['vm_state'] == ('error' if atom == keys.RESIZE_ON_HOST else 'active')
    if atom == keys.RECORD_RESIZED:
        assert world.host.calls == ['resize_instance', 'revert_resize']
        assert not audit['backup']


@pytest.mark.parametrize('action,tasks', [('confirm-resize', keys.CONFIRM_RESIZE_TASKS),
                                          ('revert-resize', keys.REVERT_RESIZE_TASKS)])
@pytest.mark.parametrize('index', range(4))
def test_a_failed_confirm_or_revert_leaves_the_resize_waiting(
        world: ResizeWorld, action: str, tasks: tuple[str, ...], index: int) -> None:
    atom = tasks[index]
    instance_id, migration_id = world.resized()
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(world.flow(action, injector),
                     store=world.waiting_store(instance_id, action)).run()
    audit = world.audit_resize(instance_id, migration_id)
    assert audit['task_state'] is None and audit['finished']
    assert audit['claim'] == resources(SMALL, BIG)
    assert audit['flavor_id'] == BIG['id'] and audit['migration'] == 'finished'
    host_task = keys.CONFIRM_ON_HOST if action == 'confirm-resize' else keys.REVERT_ON_HOST
    assert audit['vm_state'] == ('error' if atom == host_task else 'resized')
    assert audit['guest_vcpus'] == BIG['vcpus']


@pytest.mark.parametrize('atom', keys.REBUILD_TASKS)
def test_a_failed_rebuild(world: ResizeWorld, atom: str) -> None:
    instance_id = world.booted()
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(world.flow('rebuild', injector),
                     store=world.rebuild_store(instance_id, 'image-2')).run()
    audit = world.audit(instance_id)
    assert audit['task_state'] is None and audit['finished']
    assert audit['events'] == [('compute_rebuild', 'Error')]
    # Once the host was asked the old disk may be gone: ERROR, as Nova; before, back.
    assert audit['vm_state'] == ('error' if atom == keys.REBUILD_ON_HOST else 'active')


# A kill at a task boundary -----------------------------------------------------------

def test_a_resize_killed_after_its_claim_is_resumed_by_another_conductor(
        cloud: Cloud, world: ResizeWorld) -> None:
    first = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                       cloud.persistence, workers=1)
    instance_id = world.booted()
    store = world.resize_store(instance_id)
    migration_id = int(store[keys.ACTION_REQUEST]['args']['migration_id'])
    job = first.post(instance_id, 'resize', HOST, store[keys.ACTION_REQUEST])
    claimed = first.jobs.claim(job)
    assert claimed is not None
    book, flow_detail = flow_persistence.load_run(cloud.persistence, claimed.flow_uuid)
    engine = flow_persistence.load_engine(world.flow('resize'), cloud.persistence,
                                          flow_detail, book=book)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(keys.RESIZE_CLAIM) == states.SUCCESS:
            break
    steps.close()
    assert world.scheduler.claim_of(instance_id) == resources(SMALL, BIG)

    cloud.clock.advance(EXPIRY + 1)
    second = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-b'),
                                        cloud.persistence, workers=1)
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    audit = world.audit_resize(instance_id, migration_id)
    assert (audit['vm_state'], audit['task_state']) == ('resized', None)
    assert audit['claim'] == resources(SMALL, BIG)  # grown once
    assert world.host.calls == ['resize_instance']
    assert audit['events'] == [('compute_resize', 'Success')]
    second.stop()
    first.stop()


@pytest.mark.parametrize('action,boundary,calls,end', [
    ('confirm-resize', keys.RELEASE_OLD_FLAVOR, ['confirm_resize'], 'active'),
    ('revert-resize', keys.REVERT_ON_HOST, ['revert_resize'], 'active'),
])
def test_a_confirm_or_revert_killed_between_tasks_is_resumed(
        cloud: Cloud, world: ResizeWorld, action: str, boundary: str, calls: list[str],
        end: str) -> None:
    instance_id, migration_id = world.resized()
    first = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                       cloud.persistence, workers=1)
    store = world.waiting_store(instance_id, action)
    job = first.post(instance_id, action, HOST, store[keys.ACTION_REQUEST])
    claimed = first.jobs.claim(job)
    assert claimed is not None
    book, flow_detail = flow_persistence.load_run(cloud.persistence, claimed.flow_uuid)
    engine = flow_persistence.load_engine(world.flow(action), cloud.persistence,
                                          flow_detail, book=book)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(boundary) == states.SUCCESS:
            break
    steps.close()

    cloud.clock.advance(EXPIRY + 1)
    second = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-b'),
                                        cloud.persistence, workers=1)
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    audit = world.audit_resize(instance_id, migration_id)
    assert (audit['vm_state'], audit['task_state']) == (end, None)
    expected = resources(BIG) if action == 'confirm-resize' else resources(SMALL)
    assert audit['claim'] == expected  # shrunk once
    assert world.host.calls == calls  # the host asked once
    assert not audit['backup']
    second.stop()
    first.stop()


def test_a_rebuild_killed_after_its_host_call_is_resumed(cloud: Cloud,
                                                         world: ResizeWorld) -> None:
    instance_id = world.booted()
    first = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                       cloud.persistence, workers=1)
    request = world.rebuild_store(instance_id, 'image-2')[keys.ACTION_REQUEST]
    job = first.post(instance_id, 'rebuild', HOST, request, auth_token=TOKEN)
    claimed = first.jobs.claim(job)
    assert claimed is not None
    book, flow_detail = flow_persistence.load_run(cloud.persistence, claimed.flow_uuid)
    engine = flow_persistence.load_engine(world.flow('rebuild'), cloud.persistence,
                                          flow_detail, book=book)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(keys.REBUILD_ON_HOST) == states.SUCCESS:
            break
    steps.close()
    assert world.instances.get(instance_id)['task_state'] == 'rebuilding'

    cloud.clock.advance(EXPIRY + 1)
    second = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-b'),
                                        cloud.persistence, workers=1)
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert world.host.calls == ['rebuild_instance']  # not rebuilt twice
    assert audit['events'] == [('compute_rebuild', 'Success')]
    second.stop()
    first.stop()


def test_a_rebuild_is_posted_with_the_users_token_sealed(cloud: Cloud,
                                                         world: ResizeWorld) -> None:
    runner = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                        cloud.persistence, workers=1)
    instance_id = world.booted()
    request = world.rebuild_store(instance_id, 'image-2')[keys.ACTION_REQUEST]
    job = runner.post(instance_id, 'rebuild', HOST, request, auth_token=TOKEN)
    assert runner.claim_and_run(job) is True
    assert world.instances.get(instance_id)['vm_state'] == 'active'
    assert server_action.REBUILD in action_runner.USER_TOKEN_ACTIONS
    runner.stop()


def test_a_resize_overtaken_by_a_delete_defines_no_domain_again(world: ResizeWorld) -> None:
    instance_id = world.booted()
    store = world.resize_store(instance_id)

    injector = faults.FaultInjector(fail_at=frozenset({keys.RECORD_RESIZED}),
                                    subject=instance_id)
    flow = world.flow('resize', injector)
    engine = engines.load(flow, store=store)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(keys.RESIZE_ON_HOST) == states.SUCCESS:
            # The user deletes the server now: the delete flow marks it, destroys it.
            world.instances.update(instance_id, task_state='deleting')
            world.host.manager.destroy_instance(None, instance_id)  # type: ignore[arg-type]
            break
    with pytest.raises(faults.InjectedFault):
        for _state in steps:
            pass
    assert not world.host.driver.instance_exists(instance_id)
    assert world.host.calls == ['resize_instance']
