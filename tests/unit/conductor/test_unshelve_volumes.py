"""Unshelve of an offloaded server with volumes: the ones attached while it had no
host are connected on the new host, and every attached volume is handed to the
spawn as a block device; a failure at any task leaves them attached and the
server offloaded. Real database, fake driver, the volume service in memory."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest
from oslo_config import cfg
from taskflow import engines

from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys, server_action
from nova_lite.conductor.tasks import unshelve as unshelve_tasks
from nova_lite.db import api as db_api
from tests.unit.conductor.action_fixtures import HOST
from tests.unit.conductor.shelve_fixtures import ShelveWorld

INFO = {'driver_volume_type': 'file', 'data': {'device_path': '/volumes/v'}}


class HostlessVolumes:
    """One instance's attachments: marked attached with no host until connected."""

    def __init__(self) -> None:
        self.attachments: dict[str, dict[str, Any]] = {}
        self.connected: list[tuple[str, str]] = []

    def add(self, instance_id: str, volume_id: str, mountpoint: str,
            host: str | None = None) -> None:
        attachment_id = str(uuid.uuid4())
        self.attachments[attachment_id] = {
            'id': attachment_id, 'volume_id': volume_id, 'instance_id': instance_id,
            'attached_host': host, 'mountpoint': mountpoint,
            'connection_info': dict(INFO) if host else None}

    def list_attachments(self, ctx: Any, instance_id: str | None = None,
                         volume_id: str | None = None) -> list[dict[str, Any]]:
        return [dict(a) for a in self.attachments.values()
                if instance_id in (None, a['instance_id'])]

    def attach_volume(self, ctx: Any, attachment_id: str, host: str,
                      mountpoint: str) -> dict[str, Any]:
        self.connected.append((attachment_id, host))
        self.attachments[attachment_id].update(attached_host=host, mountpoint=mountpoint,
                                               connection_info=dict(INFO))
        return dict(INFO)


class VolumeShelveWorld(ShelveWorld):
    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts) -> None:
        super().__init__(db, conf)
        self.volumes = HostlessVolumes()
        self.spawned_with: list[list[dict[str, Any]]] = []
        spawn = self.host.spawn_instance

        def recording_spawn(ctx: Any, host: str, **kwargs: Any) -> dict[str, Any]:
            self.spawned_with.append(kwargs['block_devices'])
            return spawn(ctx, host, **kwargs)

        self.host.spawn_instance = recording_spawn  # type: ignore[method-assign]

    def deps(self, injector: Any = None) -> server_action.ActionDependencies:
        return dataclasses.replace(super().deps(injector), volumes=self.volumes)  # type: ignore[arg-type]


@pytest.fixture
def world(db: db_api.Database, conf: cfg.ConfigOpts) -> VolumeShelveWorld:
    return VolumeShelveWorld(db, conf)


def _unshelve(world: VolumeShelveWorld, instance_id: str, injector: Any = None) -> None:
    engines.load(server_action.get_action_flow('unshelve', world.deps(injector)),
                 store=world.store(instance_id, 'unshelve', {})).run()


def test_the_spawn_gets_the_volumes_connected_on_its_host(world: VolumeShelveWorld) -> None:
    instance_id, _image_id = world.shelved_instance(offloaded=True)
    world.volumes.add(instance_id, 'vol-hostless', '/dev/vdb')
    world.volumes.add(instance_id, 'vol-before', '/dev/vdc', host=HOST)
    world.volumes.add('another-instance', 'vol-other', '/dev/vdb')
    _unshelve(world, instance_id)
    assert world.state(instance_id)['vm_state'] == 'active'
    [devices] = world.spawned_with
    assert sorted((d['volume_id'], d['mountpoint']) for d in devices) == [
        ('vol-before', '/dev/vdc'), ('vol-hostless', '/dev/vdb')]
    assert all(d['connection_info'] == INFO and d['attachment_id'] for d in devices)
    # Only the hostless one was connected, and to the scheduled host.
    assert [host for _id, host in world.volumes.connected] == [HOST]


def test_connected_volumes_without_a_volume_service_is_empty() -> None:
    assert unshelve_tasks.connected_volumes(None, object(), 'i', HOST) == []


@pytest.mark.parametrize('atom', keys.UNSHELVE_TASKS)
def test_an_unshelve_failing_at_each_task_keeps_the_volumes_attached(
        world: VolumeShelveWorld, atom: str) -> None:
    instance_id, _image_id = world.shelved_instance(offloaded=True)
    world.volumes.add(instance_id, 'vol-kept', '/dev/vdb')
    with pytest.raises(faults.InjectedFault):
        _unshelve(world, instance_id,
                  faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id))
    state = world.state(instance_id)
    assert (state['vm_state'], state['domain'], state['host']) == ('shelved_offloaded',
                                                                  None, None)
    [attachment] = world.volumes.attachments.values()
    assert attachment['volume_id'] == 'vol-kept'  # still the server's volume
