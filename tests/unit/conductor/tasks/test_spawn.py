"""Spawn: the chosen host builds the domain; host failures become retryable."""

from __future__ import annotations

from typing import Any

import oslo_messaging
import pytest

from nova_lite.common import exception
from nova_lite.conductor import token_seal
from nova_lite.conductor.tasks import spawn
from tests.unit.conductor.tasks import fake_services, fakes

FLAVOR = {'id': 'f1', 'vcpus': 2, 'memory_mb': 2048, 'root_gb': 20}
IMAGE = {'id': 'img1', 'location': 'file:///var/lib/images/img1'}
NETWORK_INFO = [{'port_id': 'port-1', 'mac_address': 'fa:16:3e:00:00:01'}]
BLOCK_DEVICES = [{'volume_id': 'vol-a', 'attachment_id': 'attachment-1',
                  'mountpoint': '/dev/vdb', 'connection_info': {}}]


@pytest.fixture
def compute() -> fake_services.FakeCompute:
    return fake_services.FakeCompute()


def _task(compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
          sealer: token_seal.TokenSealer) -> spawn.Spawn:
    return spawn.Spawn(compute, instances, sealer)


def _execute(task: spawn.Spawn, context: dict[str, Any], instance_id: str,
             host: str = 'host1') -> dict[str, Any]:
    return task.execute(context, instance_id, host, FLAVOR, IMAGE, NETWORK_INFO,
                        BLOCK_DEVICES)


def test_execute_has_the_host_build_the_domain(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    result = _execute(_task(compute, instances, sealer), context, instance_id)

    assert result == compute.domains[('host1', instance_id)]
    assert (result['host'], result['power_state']) == ('host1', 1)
    assert compute.called('spawn_instance') == [{
        'host': 'host1',
        'instance': {'id': instance_id, 'name': 'vm1', 'project_id': 'p1', 'user_id': 'u1',
                     'metadata': {'k': 'v'}, 'image_id': 'img1'},
        'flavor': FLAVOR, 'image': IMAGE, 'network_info': NETWORK_INFO,
        'block_devices': BLOCK_DEVICES}]
    assert [call.token for call in compute.calls] == [fakes.TOKEN]
    assert instances.get(instance_id)['task_state'] == 'spawning'


def test_an_instance_no_longer_building_is_not_spawned(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    instances.mark_deleted(instance_id)
    with pytest.raises(exception.NotFound):
        _execute(_task(compute, instances, sealer), context, instance_id)
    assert compute.calls == [] and compute.domains == {}


def test_a_rerun_after_a_crash_reports_the_same_domain(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(compute, instances, sealer)
    first = _execute(task, context, instance_id)
    assert _execute(task, context, instance_id) == first
    assert list(compute.domains) == [('host1', instance_id)]
    # Asked of the same host both times: it finds its running domain.
    assert [asked['host'] for asked in compute.called('spawn_instance')] == ['host1'] * 2


@pytest.mark.parametrize('error', [
    oslo_messaging.MessagingTimeout('timed out'),
    exception.VirtDriverError(host='host1', reason='libvirt refused'),
])
def test_a_host_failure_is_retryable_on_another_host(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        error: Exception) -> None:
    compute.fail('spawn_instance', error)
    with pytest.raises(exception.RetryableBuildError) as raised:
        _execute(_task(compute, instances, sealer), context, instance_id)
    assert raised.value.kwargs['instance_id'] == instance_id
    assert raised.value.kwargs['host'] == 'host1'
    assert raised.value.__cause__ is error


@pytest.mark.parametrize('error', [
    exception.ImageCorrupt(image_id='img1', reason='checksum mismatch'),
    exception.RetryableBuildError(instance_id='i', host='host1', reason='disk full'),
    ValueError('not a host failure'),
])
def test_other_failures_are_raised_as_they_are(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        error: Exception) -> None:
    compute.fail('spawn_instance', error)
    with pytest.raises(type(error)) as raised:
        _execute(_task(compute, instances, sealer), context, instance_id)
    assert raised.value is error


def test_revert_destroys_the_domain_on_the_host(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(compute, instances, sealer)
    compute.domains[('host2', 'another-instance')] = {'host': 'host2'}
    result = _execute(task, context, instance_id)

    task.revert(context, instance_id, 'host1', result=result)

    assert list(compute.domains) == [('host2', 'another-instance')]
    assert compute.called('destroy_instance') == [{'host': 'host1',
                                                   'instance_id': instance_id}]
    # As the conductor: the user's token may be gone by now.
    assert compute.calls[-1].token is None


def test_revert_after_a_spawn_whose_answer_was_lost_destroys_the_domain(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(compute, instances, sealer)
    compute.fail('spawn_instance', oslo_messaging.MessagingTimeout('timed out'),
                 after_effect=True)
    with pytest.raises(exception.RetryableBuildError):
        _execute(task, context, instance_id)
    assert list(compute.domains) == [('host1', instance_id)]

    task.revert(context, instance_id, 'host1', result=None)

    assert compute.domains == {}


def test_revert_where_nothing_was_made_is_quiet(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _task(compute, instances, sealer)
    task.revert(context, instance_id, 'host1', result=None)
    task.revert(context, instance_id, 'host1', result=None)
    assert compute.domains == {}
    assert fakes.revert_failures(caplog.records) == []


def test_a_revert_that_fails_is_logged_not_raised(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _task(compute, instances, sealer)
    result = _execute(task, context, instance_id)
    error = oslo_messaging.MessagingTimeout('host1 is gone')
    compute.fail('destroy_instance', error)

    task.revert(context, instance_id, 'host1', result=result)

    [(message, logged)] = fakes.revert_failures(caplog.records)
    assert logged is error and instance_id in message
    assert list(compute.domains) == [('host1', instance_id)]


class _FakeServerGroups:
    """Refuses host1 for the group policy; records what is confirmed and released."""

    def __init__(self) -> None:
        self.confirmed: list[tuple[str, str]] = []
        self.released: list[tuple[str, str]] = []

    def confirm_host(self, instance_id: str, host: str) -> None:
        if host == 'host1':
            raise exception.RetryableBuildError(instance_id=instance_id, host=host,
                                                reason='server group policy anti-affinity')
        self.confirmed.append((instance_id, host))

    def release_host(self, instance_id: str, host: str) -> None:
        self.released.append((instance_id, host))


def test_a_group_policy_violation_is_retryable_before_the_host_is_asked(
        compute: fake_services.FakeCompute, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    groups = _FakeServerGroups()
    task = spawn.Spawn(compute, instances, sealer, server_groups=groups)  # type: ignore[arg-type]
    with pytest.raises(exception.RetryableBuildError) as raised:
        _execute(task, context, instance_id, host='host1')
    assert raised.value.kwargs['host'] == 'host1'
    assert compute.called('spawn_instance') == []
    _execute(task, context, instance_id, host='host2')
    assert groups.confirmed == [(instance_id, 'host2')]
    task.revert(context, instance_id, 'host2')
    assert groups.released == [(instance_id, 'host2')]
