"""The schedule task records the host the scheduler chose, through the instance store.

The scheduler only claims and returns a selection; recording the host and
zone on the instance, and giving the claim back when the instance is gone, is
the task's.
"""

from __future__ import annotations

from typing import Any

import pytest
from cryptography import fernet

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import instance_store
from nova_lite.conductor import token_seal
from nova_lite.conductor.tasks import scheduling
from nova_lite.db import api as db_api


class FakeScheduler:
    """Chooses ``host`` in ``zone``; keeps one claim per instance, like the real one."""

    def __init__(self, host: str = 'h1', zone: str = 'az1') -> None:
        self.host = host
        self.zone = zone
        self.claims: dict[str, str] = {}
        self.specs: list[dict[str, Any]] = []

    def select_destinations(self, ctx: nl_context.RequestContext,
                            request_spec: dict[str, Any]) -> dict[str, Any]:
        self.specs.append(request_spec)
        self.claims[request_spec['instance_id']] = self.host
        return {'host': self.host, 'compute_node_id': f'node-{self.host}',
                'availability_zone': self.zone, 'alternates': ['h2']}

    def release_claim(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self.claims.pop(instance_id, None)


@pytest.fixture
def store(db: db_api.Database) -> instance_store.InstanceStore:
    return instance_store.InstanceStore(db)


def _task(scheduler: FakeScheduler,
          store: instance_store.InstanceStore) -> scheduling.ScheduleInstance:
    sealer = token_seal.TokenSealer([fernet.Fernet.generate_key()])
    return scheduling.ScheduleInstance(scheduler, store, sealer)  # type: ignore[arg-type]


def _context() -> dict[str, Any]:
    return nl_context.RequestContext(user_id='u', project_id='p', roles=['member']).to_dict()


def _building(store: instance_store.InstanceStore) -> str:
    return store.create(name='vm', project_id='p', user_id='u', flavor_id='f', image_id=None,
                        availability_zone=None, metadata={}, build_request={})['id']


def test_records_the_chosen_host_and_zone(store: instance_store.InstanceStore) -> None:
    scheduler = FakeScheduler()
    instance_id = _building(store)
    result = _task(scheduler, store).execute(_context(), instance_id, {'flavor': {}}, ['h0'])
    assert result == ('h1', ['h2'])
    assert scheduler.specs[0]['ignore_hosts'] == ['h0']
    instance = store.get(instance_id)
    assert (instance['host'], instance['availability_zone']) == ('h1', 'az1')
    assert instance['task_state'] == 'scheduling'
    assert scheduler.claims == {instance_id: 'h1'}


def test_a_rerun_after_a_crash_changes_nothing(store: instance_store.InstanceStore) -> None:
    scheduler = FakeScheduler()
    task = _task(scheduler, store)
    instance_id = _building(store)
    first = task.execute(_context(), instance_id, {'flavor': {}}, [])
    again = task.execute(_context(), instance_id, {'flavor': {}}, [])
    assert first == again
    assert store.get(instance_id)['host'] == 'h1'
    assert scheduler.claims == {instance_id: 'h1'}


def test_an_instance_deleted_during_scheduling_gives_the_claim_back(
        store: instance_store.InstanceStore, monkeypatch: pytest.MonkeyPatch) -> None:
    scheduler = FakeScheduler()
    instance_id = _building(store)
    choose = scheduler.select_destinations

    def choose_then_delete(ctx: nl_context.RequestContext,
                           request_spec: dict[str, Any]) -> dict[str, Any]:
        selection = choose(ctx, request_spec)
        store.mark_deleted(instance_id)  # the user deletes it while the scheduler chose
        return selection

    monkeypatch.setattr(scheduler, 'select_destinations', choose_then_delete)
    with pytest.raises(exception.NotFound):
        _task(scheduler, store).execute(_context(), instance_id, {'flavor': {}}, [])
    assert scheduler.claims == {}
    assert store.get(instance_id, include_deleted=True)['host'] is None


def test_revert_releases_the_claim_and_clears_the_host(
        store: instance_store.InstanceStore) -> None:
    scheduler = FakeScheduler()
    task = _task(scheduler, store)
    instance_id = _building(store)
    task.execute(_context(), instance_id, {'flavor': {}}, [])
    task.revert(_context(), instance_id)
    task.revert(_context(), instance_id)  # idempotent
    assert scheduler.claims == {}
    assert store.get(instance_id)['host'] is None


def test_set_host_of_a_deleted_instance_is_not_found(
        store: instance_store.InstanceStore) -> None:
    instance_id = _building(store)
    assert store.set_host(instance_id, 'h1', 'az1')['host'] == 'h1'
    store.mark_deleted(instance_id)
    with pytest.raises(exception.NotFound):
        store.set_host(instance_id, 'h2', 'az1')
    with pytest.raises(exception.NotFound):
        store.set_host('no-such-instance', 'h2', 'az1')
