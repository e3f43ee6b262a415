"""mark-active run again after a crash that followed its commit does nothing twice."""

from __future__ import annotations

import pytest

from nova_lite.common import exception
from nova_lite.compute import instance_store
from nova_lite.conductor.tasks import instance as instance_tasks


def _building(db) -> dict:
    return instance_store.InstanceStore(db).create(
        name='vm', project_id='p', user_id='u', flavor_id='f', image_id=None,
        availability_zone=None, metadata={}, build_request={})


def test_second_run_on_the_same_host_is_a_no_op(db):
    store = instance_store.InstanceStore(db)
    task = instance_tasks.MarkActive(store)
    instance = _building(db)
    first = task.execute(instance['id'], 'host1', [], {'power_state': 1})
    again = task.execute(instance['id'], 'host1', [], {'power_state': 1})
    assert first == again == {'id': instance['id'], 'status': 'ACTIVE', 'host': 'host1'}


def test_an_instance_not_building_elsewhere_is_still_refused(db):
    store = instance_store.InstanceStore(db)
    task = instance_tasks.MarkActive(store)
    instance = _building(db)
    task.execute(instance['id'], 'host1', [], {'power_state': 1})
    with pytest.raises(exception.InvalidState):
        task.execute(instance['id'], 'host2', [], {'power_state': 1})
    store.set_error(instance['id'], message='boom')
    with pytest.raises(exception.InvalidState):
        task.execute(instance['id'], 'host1', [], {'power_state': 1})
