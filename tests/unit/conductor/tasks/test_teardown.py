"""The delete flow's tasks: each frees one kind of resource, idempotently; then deleted."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from taskflow.types import failure as tf_failure

from nova_lite.common import exception
from nova_lite.conductor import resource_cleanup
from nova_lite.conductor.tasks import teardown
from tests.unit.conductor.tasks import fake_services, fakes


@dataclasses.dataclass
class Cloud:
    """An instance active on host1 with a domain, a port the boot made, a port the user
    passed in, an attached volume and a claim; and another instance's of each."""

    instances: fake_services.FakeInstanceStore
    networks: fakes.FakeNetwork
    volumes: fakes.FakeVolumes
    scheduler: fake_services.FakeScheduler
    compute: fake_services.FakeCompute
    resources: resource_cleanup.InstanceResources
    instance_id: str
    user_port: str

    def instance(self) -> dict[str, Any]:
        return self.instances.get(self.instance_id)


def _hold(cloud: Cloud, instance_id: str, volume_id: str) -> None:
    ctx = fakes.user_request_context()
    cloud.networks.create_port(ctx, network_id='net-1', device_id=instance_id)
    attachment = cloud.volumes.reserve_volume(ctx, volume_id, instance_id)
    cloud.volumes.attach_volume(ctx, attachment['id'], 'host1', '/dev/vdb')
    cloud.scheduler.claims[instance_id] = 'host1'
    cloud.compute.domains[('host1', instance_id)] = {'host': 'host1', 'power_state': 1}


@pytest.fixture
def cloud(instances: fake_services.FakeInstanceStore) -> Cloud:
    networks, volumes = fakes.FakeNetwork(), fakes.FakeVolumes()
    scheduler, compute = fake_services.FakeScheduler(['host1']), fake_services.FakeCompute()
    networks.add_network('net-1', 'private')
    volumes.add_volume('vol-a')
    volumes.add_volume('vol-other')
    user_port = networks.create_port(fakes.user_request_context(), network_id='net-1')['id']
    instance_id = instances.create(
        name='vm1', project_id='p1', user_id='u1', flavor_id='f1', image_id='img1',
        availability_zone=None, metadata={},
        build_request={'networks': [{'port': user_port}, {'uuid': 'net-1'}]})['id']
    instances.update(instance_id, vm_state='active', task_state=None, host='host1')
    resources = resource_cleanup.InstanceResources(
        networks, volumes, scheduler, compute)
    built = Cloud(instances, networks, volumes, scheduler, compute, resources, instance_id,
                  user_port)
    networks.update_port(fakes.user_request_context(), user_port, device_id=instance_id,
                         device_owner='compute:nova', binding_host_id='host1')
    _hold(built, instance_id, 'vol-a')
    _hold(built, 'another-instance', 'vol-other')
    return built


def _calls(cloud: Cloud) -> int:
    return sum(len(fake.calls) for fake in (cloud.networks, cloud.volumes, cloud.scheduler,
                                            cloud.compute))


TeardownTask = (teardown.DestroyDomain | teardown.DetachVolumes | teardown.DeallocateNetwork
                | teardown.ReleaseClaim)


def _run_twice_then_revert(task: TeardownTask, instance: dict[str, Any], cloud: Cloud,
                           caplog: pytest.LogCaptureFixture) -> None:
    """Execute, execute again (a resumed delete), then revert: it must not undo."""
    task.execute(instance)
    task.execute(instance)
    calls = _calls(cloud)
    task.revert(instance, result=None)
    assert _calls(cloud) == calls
    assert fakes.revert_failures(caplog.records) == []


def test_destroy_domain_destroys_it_on_the_instances_host(
        cloud: Cloud, caplog: pytest.LogCaptureFixture) -> None:
    task = teardown.DestroyDomain(cloud.resources)
    _run_twice_then_revert(task, cloud.instance(), cloud, caplog)
    assert list(cloud.compute.domains) == [('host1', 'another-instance')]
    assert cloud.compute.called('destroy_instance') == [
        {'host': 'host1', 'instance_id': cloud.instance_id}] * 2


def test_destroy_domain_of_an_instance_never_scheduled_asks_no_host(cloud: Cloud) -> None:
    cloud.instances.update(cloud.instance_id, host=None)
    teardown.DestroyDomain(cloud.resources).execute(cloud.instance())
    assert cloud.compute.called('destroy_instance') == []


def test_detach_volumes_makes_the_instances_volumes_available(
        cloud: Cloud, caplog: pytest.LogCaptureFixture) -> None:
    task = teardown.DetachVolumes(cloud.resources)
    _run_twice_then_revert(task, cloud.instance(), cloud, caplog)
    assert cloud.volumes.attachments_of(cloud.instance_id) == []
    assert len(cloud.volumes.attachments_of('another-instance')) == 1
    assert (cloud.volumes.volumes['vol-a']['status'],
            cloud.volumes.volumes['vol-other']['status']) == ('available', 'in-use')
    assert len(cloud.volumes.called('detach_volume')) == 1  # the second run found none


def test_deallocate_network_deletes_the_boots_ports_and_unbinds_the_users(
        cloud: Cloud, caplog: pytest.LogCaptureFixture) -> None:
    task = teardown.DeallocateNetwork(cloud.resources)
    _run_twice_then_revert(task, cloud.instance(), cloud, caplog)
    assert cloud.networks.ports_of(cloud.instance_id) == []
    user_port = cloud.networks.ports[cloud.user_port]
    assert (user_port['device_id'], user_port['device_owner'],
            user_port['binding:host_id']) == ('', '', '')
    assert len(cloud.networks.ports_of('another-instance')) == 1
    assert len(cloud.networks.ports) == 2
    assert len(cloud.networks.called('delete_port')) == 1


def test_release_claim_gives_the_hosts_resources_back(
        cloud: Cloud, caplog: pytest.LogCaptureFixture) -> None:
    task = teardown.ReleaseClaim(cloud.resources)
    _run_twice_then_revert(task, cloud.instance(), cloud, caplog)
    assert cloud.scheduler.claims == {'another-instance': 'host1'}


def test_mark_deleted_deletes_the_record_once(cloud: Cloud) -> None:
    task = teardown.MarkDeleted(cloud.instances)
    task.execute(cloud.instance_id)
    deleted = cloud.instances.get(cloud.instance_id, include_deleted=True)
    task.execute(cloud.instance_id)
    assert cloud.instances.get(cloud.instance_id, include_deleted=True) == deleted
    assert (deleted['vm_state'], deleted['host'], deleted['network_info']) == (
        'deleted', None, [])
    assert deleted['deleted_at'] is not None
    with pytest.raises(exception.NotFound):
        cloud.instances.get(cloud.instance_id)
    task.revert(cloud.instance_id)
    assert cloud.instances.get(cloud.instance_id, include_deleted=True) == deleted


def _failures(error: Exception) -> dict[str, tf_failure.Failure]:
    return {'detach-volumes': tf_failure.Failure.from_exception(error)}


def test_delete_to_error_on_revert_changes_nothing_on_execute(cloud: Cloud) -> None:
    before = cloud.instance()
    teardown.DeleteToErrorOnRevert(cloud.instances).execute(cloud.instance_id)
    assert cloud.instance() == before


def test_delete_to_error_on_revert_sets_error_saying_what_was_not_freed(
        cloud: Cloud) -> None:
    error = exception.Conflict(reason='volume vol-a is busy')

    teardown.DeleteToErrorOnRevert(cloud.instances).revert(
        cloud.instance_id, flow_failures=_failures(error))

    instance = cloud.instance()
    assert (instance['vm_state'], instance['task_state'], instance['status']) == (
        'error', None, 'ERROR')
    fault = instance['fault']
    assert fault is not None
    assert (fault['message'], fault['code']) == (
        'Delete failed: Conflict: volume vol-a is busy', 409)
    assert fault['details'].startswith('detach-volumes: ')


def test_delete_to_error_on_revert_that_fails_is_logged_not_raised(
        cloud: Cloud, caplog: pytest.LogCaptureFixture) -> None:
    error = RuntimeError('database went away')
    cloud.instances.fail('set_error', error)
    teardown.DeleteToErrorOnRevert(cloud.instances).revert(
        cloud.instance_id, flow_failures=_failures(RuntimeError('boom')))
    [(message, logged)] = fakes.revert_failures(caplog.records)
    assert logged is error and cloud.instance_id in message
    assert cloud.instance()['vm_state'] == 'active'
