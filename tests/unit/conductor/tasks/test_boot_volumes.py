"""CreateVolumes: the image and blank volumes of a boot from volume, made, recorded,
waited for, and deleted again by the revert (as the conductor)."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.conductor import resource_cleanup, token_seal
from nova_lite.conductor.tasks import boot_volumes
from tests.unit.conductor.tasks import fake_services, fakes

IMAGE = 'img1'


def _spec(*mappings: dict[str, Any]) -> dict[str, Any]:
    base = {'uuid': None, 'boot_index': None, 'volume_size': None,
            'delete_on_termination': False, 'device_name': None, 'volume_type': None,
            'tag': None, 'disk_bus': None, 'device_type': None}
    full = [{**base, **m} for m in mappings]
    return {'block_device_mapping': full,
            'volume_ids': [m['uuid'] for m in full if m['source_type'] == 'volume']}


BFV_SPEC = _spec({'source_type': 'image', 'uuid': IMAGE, 'boot_index': 0, 'volume_size': 1,
                  'delete_on_termination': True},
                 {'source_type': 'blank', 'volume_size': 2},
                 {'source_type': 'volume', 'uuid': 'vol-a'})


@pytest.fixture
def volumes() -> fakes.FakeVolumes:
    fake = fakes.FakeVolumes()
    fake.add_volume('vol-a')
    return fake


def _task(volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
          sealer: token_seal.TokenSealer) -> boot_volumes.CreateVolumes:
    cleanup = resource_cleanup.InstanceResources(fakes.FakeNetwork(), volumes, None, None)
    return boot_volumes.CreateVolumes(volumes, instances, sealer, cleanup,
                                      poll_interval=0, sleep=lambda _s: None)


def test_image_and_blank_volumes_are_made_waited_for_and_recorded(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    result = _task(volumes, instances, sealer).execute(context, instance_id, BFV_SPEC)

    assert [(m['source_type'], m['volume_id'], m['created']) for m in result] == [
        ('image', 'made-1', True), ('blank', 'made-2', True), ('volume', 'vol-a', False)]
    assert [c['image_id'] for c in volumes.called('create_volume')] == [IMAGE, None]
    assert [c['size'] for c in volumes.called('create_volume')] == [1, 2]
    assert {volumes.volumes[v]['status'] for v in ('made-1', 'made-2')} == {'available'}
    recorded = instances.get(instance_id)['build_request']['block_device_mapping']
    assert recorded == result
    assert boot_volumes.created_volume_ids(instances.get(instance_id)) == ['made-1', 'made-2']
    assert {call.token for call in volumes.calls} == {fakes.TOKEN}  # as the user


def test_a_resumed_run_reuses_the_volumes_already_made(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(volumes, instances, sealer)
    first = task.execute(context, instance_id, BFV_SPEC)
    again = task.execute(context, instance_id, BFV_SPEC)
    assert again == first
    assert len(volumes.called('create_volume')) == 2


def test_only_existing_volumes_touch_nothing(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    spec = _spec({'source_type': 'volume', 'uuid': 'vol-a', 'boot_index': 0})
    result = _task(volumes, instances, sealer).execute(context, instance_id, spec)
    assert [(m['volume_id'], m['boot_index'], m['created']) for m in result] == [
        ('vol-a', 0, False)]
    assert volumes.calls == [] and instances.called('update') == []


def test_a_request_saved_before_boot_from_volume_maps_its_volume_ids(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    result = _task(volumes, instances, sealer).execute(context, instance_id,
                                                       {'volume_ids': ['vol-a']})
    assert [(m['volume_id'], m['boot_index']) for m in result] == [('vol-a', None)]


def test_a_volume_that_ends_in_error_fails_the_task_and_the_revert_deletes_it(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    volumes.final_status = 'error'
    task = _task(volumes, instances, sealer)
    with pytest.raises(boot_volumes.VolumeCreateFailed):
        task.execute(context, instance_id, BFV_SPEC)
    task.revert(context, instance_id, result=None)
    assert sorted(volumes.volumes) == ['vol-a']  # both made volumes deleted, not the user's
    assert boot_volumes.created_volume_ids(instances.get(instance_id)) == []


@pytest.mark.parametrize(('skip', 'after_effect'), [(0, False), (1, False), (1, True)])
def test_a_failed_create_leaves_nothing_after_the_revert(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        skip: int, after_effect: bool) -> None:
    """The first or the second create fails (before it made its volume, or after:
    its answer lost); the revert deletes every volume recorded as made."""
    task = _task(volumes, instances, sealer)
    volumes.fail('create_volume', exception.InvalidInput(field='volume.size', reason='x'),
                 skip=skip, after_effect=after_effect)
    with pytest.raises(exception.InvalidInput):
        task.execute(context, instance_id, BFV_SPEC)
    task.revert(context, instance_id, result=None)
    made = sorted(v for v in volumes.volumes if v.startswith('made-'))
    # A volume whose create answer was lost was never recorded: the conductor's
    # orphan audit is what finds it (as for a port whose answer was lost).
    assert made == (['made-2'] if after_effect else [])
    assert volumes.attachments == {}
    assert volumes.volumes['vol-a']['status'] == 'available'


def test_the_revert_detaches_a_made_volume_still_attached_and_works_as_the_conductor(
        volumes: fakes.FakeVolumes, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(volumes, instances, sealer)
    task.execute(context, instance_id, BFV_SPEC)
    attachment = volumes.reserve_volume(fakes.user_request_context(), 'made-1', instance_id)
    volumes.attach_volume(fakes.user_request_context(), attachment['id'], 'host1', '/dev/vda')
    volumes.calls.clear()
    task.revert(context, instance_id, result=None)
    assert sorted(volumes.volumes) == ['vol-a']
    assert {call.token for call in volumes.calls} == {None}  # the service's context
