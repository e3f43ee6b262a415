"""ScheduleInstance: the scheduler claims on a host; the claim is given back on revert."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.conductor import token_seal
from nova_lite.conductor.tasks import scheduling
from tests.unit.conductor.tasks import fake_services, fakes

REQUEST_SPEC = {'flavor': {'id': 'f1', 'vcpus': 2, 'memory_mb': 2048, 'root_gb': 20},
                'image': {'id': 'img1'}, 'availability_zone': None, 'num_alternates': 1}


@pytest.fixture
def scheduler() -> fake_services.FakeScheduler:
    return fake_services.FakeScheduler(['host1', 'host2'])


def _task(scheduler: fake_services.FakeScheduler, instances: fake_services.FakeInstanceStore,
          sealer: token_seal.TokenSealer) -> scheduling.ScheduleInstance:
    return scheduling.ScheduleInstance(scheduler, instances, sealer)


def test_execute_provides_the_claimed_host_and_the_alternates(
        scheduler: fake_services.FakeScheduler, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    instances.update(instance_id, task_state='networking')
    asked = copy.deepcopy(REQUEST_SPEC)

    result = _task(scheduler, instances, sealer).execute(context, instance_id, asked, [])

    assert result == ('host1', ['host2'])
    assert scheduler.claims == {instance_id: 'host1'}
    assert scheduler.called('select_destinations') == [
        {'request_spec': {**REQUEST_SPEC, 'instance_id': instance_id, 'ignore_hosts': []}}]
    assert asked == REQUEST_SPEC  # the flow's own request spec is not changed
    assert [call.token for call in scheduler.calls] == [fakes.TOKEN]
    assert instances.get(instance_id)['task_state'] == 'scheduling'


def test_hosts_that_failed_this_boot_are_excluded(
        scheduler: fake_services.FakeScheduler, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    result = _task(scheduler, instances, sealer).execute(context, instance_id, REQUEST_SPEC,
                                                         ['host1'])
    assert result == ('host2', [])
    assert scheduler.claims == {instance_id: 'host2'}
    [asked] = scheduler.called('select_destinations')
    assert asked['request_spec']['ignore_hosts'] == ['host1']


def test_an_instance_no_longer_building_is_not_scheduled(
        scheduler: fake_services.FakeScheduler, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    instances.set_error(instance_id, message='gone wrong')
    with pytest.raises(exception.InvalidState):
        _task(scheduler, instances, sealer).execute(context, instance_id, REQUEST_SPEC, [])
    assert scheduler.calls == []
    assert scheduler.claims == {}


def test_a_rerun_after_a_crash_keeps_the_one_claim(
        scheduler: fake_services.FakeScheduler, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(scheduler, instances, sealer)
    # The scheduler claimed, but its answer never reached the conductor.
    scheduler.fail('select_destinations', TimeoutError('no answer'), after_effect=True)
    with pytest.raises(TimeoutError):
        task.execute(context, instance_id, REQUEST_SPEC, [])
    assert scheduler.claims == {instance_id: 'host1'}

    assert task.execute(context, instance_id, REQUEST_SPEC, []) == ('host1', ['host2'])
    assert task.execute(context, instance_id, REQUEST_SPEC, []) == ('host1', ['host2'])
    assert scheduler.claims == {instance_id: 'host1'}
    # Each request names the instance, so the scheduler finds the claim it holds.
    assert {asked['request_spec']['instance_id']
            for asked in scheduler.called('select_destinations')} == {instance_id}


def test_revert_releases_the_claim_and_clears_the_host(
        scheduler: fake_services.FakeScheduler, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(scheduler, instances, sealer)
    result = task.execute(context, instance_id, REQUEST_SPEC, [])
    instances.update(instance_id, host='host1')  # as recorded for the chosen host

    task.revert(context, instance_id, result=result)

    assert scheduler.claims == {}
    assert scheduler.called('release_claim') == [{'instance_id': instance_id}]
    # As the conductor: the user's token may be gone by now.
    assert scheduler.calls[-1].token is None
    assert instances.get(instance_id)['host'] is None


def test_revert_after_an_execute_whose_answer_was_lost_releases_the_claim(
        scheduler: fake_services.FakeScheduler, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(scheduler, instances, sealer)
    scheduler.fail('select_destinations', TimeoutError('no answer'), after_effect=True)
    with pytest.raises(TimeoutError):
        task.execute(context, instance_id, REQUEST_SPEC, [])

    task.revert(context, instance_id, result=None)

    assert scheduler.claims == {}


def test_revert_twice_or_of_a_deleted_instance_is_quiet(
        scheduler: fake_services.FakeScheduler, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _task(scheduler, instances, sealer)
    result = task.execute(context, instance_id, REQUEST_SPEC, [])
    instances.mark_deleted(instance_id)

    task.revert(context, instance_id, result=result)
    task.revert(context, instance_id, result=result)

    assert scheduler.claims == {}
    assert len(scheduler.called('release_claim')) == 2
    assert fakes.revert_failures(caplog.records) == []


def test_a_revert_that_fails_is_logged_not_raised(
        scheduler: fake_services.FakeScheduler, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _task(scheduler, instances, sealer)
    result = task.execute(context, instance_id, REQUEST_SPEC, [])
    error = TimeoutError('scheduler did not answer')
    scheduler.fail('release_claim', error)

    task.revert(context, instance_id, result=result)

    [(message, logged)] = fakes.revert_failures(caplog.records)
    assert logged is error and instance_id in message
    assert scheduler.claims == {instance_id: 'host1'}  # left for the conductor's sweep
