"""AttachVolumes: reserve and attach each requested volume; the same attachment on a re-run."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.conductor import resource_cleanup, token_seal
from nova_lite.conductor.tasks import volume
from tests.unit.conductor.tasks import fake_services, fakes

REQUEST_SPEC = {'volume_ids': ['vol-a', 'vol-b']}


@pytest.fixture
def volumes() -> fakes.FakeVolumes:
    fake = fakes.FakeVolumes()
    for volume_id in ('vol-a', 'vol-b', 'vol-other'):
        fake.add_volume(volume_id)
    return fake


def _task(volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
          sealer: token_seal.TokenSealer) -> volume.AttachVolumes:
    cleanup = resource_cleanup.InstanceResources(fakes.FakeNetwork(), volumes, None, None)
    return volume.AttachVolumes(volumes, instances, sealer, cleanup)


def _held(volumes: fakes.FakeVolumes, instance_id: str) -> list[tuple[str, str, str | None]]:
    """(volume, attachment status, mountpoint) of each attachment of the instance."""
    return sorted((a['volume_id'], a['attach_status'], a['mountpoint'])
                  for a in volumes.attachments_of(instance_id))


def _connection_info(volume_id: str) -> dict[str, Any]:
    return {'driver_volume_type': 'iscsi',
            'data': {'device_path': f'/dev/disk/by-id/{volume_id}', 'target_lun': 1}}


def test_execute_attaches_each_volume_on_the_next_device(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    block_devices = _task(volumes, instances, sealer).execute(
        context, instance_id, REQUEST_SPEC, 'host1')

    assert block_devices == [
        {'volume_id': 'vol-a', 'attachment_id': 'attachment-1', 'mountpoint': '/dev/vdb',
         'connection_info': _connection_info('vol-a')},
        {'volume_id': 'vol-b', 'attachment_id': 'attachment-2', 'mountpoint': '/dev/vdc',
         'connection_info': _connection_info('vol-b')}]
    assert _held(volumes, instance_id) == [('vol-a', 'attached', '/dev/vdb'),
                                           ('vol-b', 'attached', '/dev/vdc')]
    assert {a['attached_host'] for a in volumes.attachments.values()} == {'host1'}
    assert [volumes.volumes[v]['status'] for v in ('vol-a', 'vol-b', 'vol-other')] == [
        'in-use', 'in-use', 'available']
    assert instances.get(instance_id)['task_state'] == 'block_device_mapping'
    assert {call.token for call in volumes.calls} == {fakes.TOKEN}


def test_no_volume_requested_provides_none_and_touches_nothing(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task_state = instances.get(instance_id)['task_state']
    assert _task(volumes, instances, sealer).execute(context, instance_id, {}, 'host1') == []
    assert volumes.calls == []
    assert instances.get(instance_id)['task_state'] == task_state


def test_a_volume_in_use_elsewhere_fails_the_task(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    volumes.reserve_volume(fakes.user_request_context(), 'vol-b', 'another-instance')
    with pytest.raises(exception.InvalidState):
        _task(volumes, instances, sealer).execute(context, instance_id, REQUEST_SPEC,
                                                  'host1')
    assert [a['instance_id'] for a in volumes.attachments.values()
            if a['volume_id'] == 'vol-b'] == ['another-instance']


def test_a_rerun_after_a_crash_provides_the_same_attachments(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(volumes, instances, sealer)
    first = task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    again = task.execute(context, instance_id, REQUEST_SPEC, 'host1')

    assert again == first
    assert len(volumes.attachments) == 2
    assert _held(volumes, instance_id) == [('vol-a', 'attached', '/dev/vdb'),
                                           ('vol-b', 'attached', '/dev/vdc')]


def test_a_rerun_after_a_crash_between_reserve_and_attach_attaches_once(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(volumes, instances, sealer)
    # vol-a attached; vol-b reserved, then the conductor died before attaching it.
    volumes.fail('attach_volume', TimeoutError('conductor killed'), skip=1)
    with pytest.raises(TimeoutError):
        task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    assert _held(volumes, instance_id) == [('vol-a', 'attached', '/dev/vdb'),
                                           ('vol-b', 'reserved', None)]

    block_devices = task.execute(context, instance_id, REQUEST_SPEC, 'host1')

    assert [(d['volume_id'], d['attachment_id'], d['mountpoint']) for d in block_devices] == [
        ('vol-a', 'attachment-1', '/dev/vdb'), ('vol-b', 'attachment-2', '/dev/vdc')]
    assert _held(volumes, instance_id) == [('vol-a', 'attached', '/dev/vdb'),
                                           ('vol-b', 'attached', '/dev/vdc')]


def test_revert_detaches_every_attachment_of_the_instance(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    other = volumes.reserve_volume(fakes.user_request_context(), 'vol-other', 'another')
    task = _task(volumes, instances, sealer)
    result = task.execute(context, instance_id, REQUEST_SPEC, 'host1')

    task.revert(context, instance_id, result=result)

    assert volumes.attachments_of(instance_id) == []
    assert list(volumes.attachments) == [other['id']]
    assert [volumes.volumes[v]['status'] for v in ('vol-a', 'vol-b', 'vol-other')] == [
        'available', 'available', 'reserved']
    # The revert acts as the conductor, not with the user's token.
    assert {call.token for call in volumes.calls[-3:]} == {None}


def test_revert_detaches_after_the_user_was_deleted_mid_boot(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _task(volumes, instances, sealer)
    result = task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    volumes.refused_tokens.add(fakes.TOKEN)

    task.revert(context, instance_id, result=result)

    assert volumes.attachments_of(instance_id) == []
    assert fakes.revert_failures(caplog.records) == []


def test_revert_after_an_execute_that_failed_half_way_frees_what_it_reserved(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(volumes, instances, sealer)
    volumes.fail('attach_volume', TimeoutError('answer lost'), after_effect=True)
    with pytest.raises(TimeoutError):
        task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    assert _held(volumes, instance_id) == [('vol-a', 'attached', '/dev/vdb')]

    task.revert(context, instance_id, result=None)

    assert volumes.attachments == {}
    assert volumes.volumes['vol-a']['status'] == 'available'


def test_a_revert_that_fails_is_logged_not_raised(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _task(volumes, instances, sealer)
    result = task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    error = ConnectionError('block storage API unreachable')
    volumes.fail('list_attachments', error)

    task.revert(context, instance_id, result=result)

    [(message, logged)] = fakes.revert_failures(caplog.records)
    assert logged is error and instance_id in message
    assert len(volumes.attachments_of(instance_id)) == 2
