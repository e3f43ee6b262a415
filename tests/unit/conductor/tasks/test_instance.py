"""The tasks that move the instance record: instance-to-error-on-revert and mark-active."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from taskflow.types import failure as tf_failure

from nova_lite.common import exception
from nova_lite.conductor.tasks import instance as instance_tasks
from tests.unit.conductor.tasks import fake_services, fakes

NETWORK_INFO = [{'port_id': 'port-1', 'mac_address': 'fa:16:3e:00:00:01',
                 'fixed_ips': [{'subnet_id': 's1', 'ip_address': '10.0.0.2'}],
                 'network_id': 'net-1', 'network_name': 'private'}]


def _failures(atom: str, error: Exception) -> dict[str, tf_failure.Failure]:
    return {atom: tf_failure.Failure.from_exception(error)}


class SweepRecorder:
    """The conductor's sweep: records the instance's state when it was asked to sweep."""

    def __init__(self, instances: fake_services.FakeInstanceStore) -> None:
        self._instances = instances
        self.swept: list[tuple[str, str]] = []

    def __call__(self, instance_id: str) -> None:
        self.swept.append(
            (instance_id, self._instances.get(instance_id, include_deleted=True)['vm_state']))


# -- instance-to-error-on-revert ----------------------------------------------------------


def _to_error(instances: fake_services.FakeInstanceStore,
              sweep: Callable[[str], None] | None = None,
              ) -> instance_tasks.InstanceToErrorOnRevert:
    return instance_tasks.InstanceToErrorOnRevert(instances, sweep)


def test_execute_marks_the_building_instance_scheduling(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    instances.update(instance_id, task_state='networking')
    _to_error(instances).execute(instance_id)
    record = instances.get(instance_id)
    assert (record['vm_state'], record['task_state']) == ('building', 'scheduling')


def test_execute_refuses_an_instance_no_longer_building(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    instances.set_error(instance_id, message='earlier failure')
    with pytest.raises(exception.InvalidState):
        _to_error(instances).execute(instance_id)
    assert instances.get(instance_id)['vm_state'] == 'error'


def test_a_rerun_leaves_the_instance_as_the_first_run_did(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    task = _to_error(instances)
    task.execute(instance_id)
    first = instances.get(instance_id)
    task.execute(instance_id)
    assert instances.get(instance_id) == first
    assert instances.faults == {}


def test_revert_sweeps_first_then_sets_error_with_the_failure_as_fault(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    sweep = SweepRecorder(instances)
    task = _to_error(instances, sweep)
    task.execute(instance_id)
    error = exception.NotFound(resource='Image', id='img1')

    task.revert(instance_id, flow_failures=_failures('image', error))

    # Swept while still building: never seen in ERROR while it holds something.
    assert sweep.swept == [(instance_id, 'building')]
    record = instances.get(instance_id)
    assert (record['vm_state'], record['task_state'], record['status']) == (
        'error', None, 'ERROR')
    fault = record['fault']
    assert fault is not None
    assert (fault['message'], fault['code']) == ('Image img1 could not be found.', 404)
    assert fault['details'].startswith('image: ')


def test_revert_of_an_unexpected_error_gives_a_500_fault(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    _to_error(instances).revert(instance_id,
                                flow_failures=_failures('spawn', ValueError('bad value')))
    fault = instances.get(instance_id)['fault']
    assert fault is not None
    assert (fault['message'], fault['code']) == ('bad value', 500)


def test_revert_without_failures_still_sets_error(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    _to_error(instances).revert(instance_id)
    fault = instances.get(instance_id)['fault']
    assert fault is not None
    assert (fault['message'], fault['code']) == ('Build failed', 500)


def test_revert_leaves_a_deleted_instance_alone(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    sweep = SweepRecorder(instances)
    instances.mark_deleted(instance_id)
    _to_error(instances, sweep).revert(
        instance_id, flow_failures=_failures('spawn', RuntimeError('boom')))
    assert instances.get(instance_id, include_deleted=True)['vm_state'] == 'deleted'
    assert instances.faults == {}


def test_a_revert_that_fails_is_logged_not_raised(
        instances: fake_services.FakeInstanceStore, instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    error = RuntimeError('database went away')
    instances.fail('set_error', error)

    _to_error(instances).revert(instance_id, flow_failures=_failures('spawn',
                                                                     RuntimeError('boom')))

    [(message, logged)] = fakes.revert_failures(caplog.records)
    assert logged is error and instance_id in message


# -- mark-active ------------------------------------------------------------------------


def test_mark_active_records_the_spawned_instance(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    result = instance_tasks.MarkActive(instances).execute(
        instance_id, 'host1', NETWORK_INFO, {'power_state': 1, 'host': 'host1'})

    assert result == {'id': instance_id, 'status': 'ACTIVE', 'host': 'host1'}
    record = instances.get(instance_id)
    assert (record['vm_state'], record['task_state'], record['power_state'],
            record['host'], record['network_info']) == ('active', None, 1, 'host1',
                                                        NETWORK_INFO)
    assert isinstance(record['launched_at'], datetime.datetime)


def test_mark_active_rerun_on_the_same_host_changes_nothing(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    task = instance_tasks.MarkActive(instances)
    first = task.execute(instance_id, 'host1', NETWORK_INFO, {'power_state': 1})
    recorded = instances.get(instance_id)
    again = task.execute(instance_id, 'host1', NETWORK_INFO, {'power_state': 1})
    assert again == first
    assert instances.get(instance_id) == recorded


def test_mark_active_refuses_an_instance_active_elsewhere_or_not_building(
        instances: fake_services.FakeInstanceStore, instance_id: str) -> None:
    task = instance_tasks.MarkActive(instances)
    task.execute(instance_id, 'host1', NETWORK_INFO, {'power_state': 1})
    with pytest.raises(exception.InvalidState):
        task.execute(instance_id, 'host2', NETWORK_INFO, {'power_state': 1})
    assert instances.get(instance_id)['host'] == 'host1'
    instances.set_error(instance_id, message='boom')
    with pytest.raises(exception.InvalidState):
        task.execute(instance_id, 'host1', NETWORK_INFO, {'power_state': 1})


def test_mark_active_revert_has_nothing_to_undo(
        instances: fake_services.FakeInstanceStore, instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = instance_tasks.MarkActive(instances)
    before = instances.get(instance_id)
    task.revert(instance_id)
    assert instances.get(instance_id) == before
    assert fakes.revert_failures(caplog.records) == []
