"""The volume attach and detach flows: contracts, a failure at each task (no dangling
attachment, no disk left on the guest, the instance back as it was) and a kill at a
task boundary resumed by another conductor. Real database, fake driver, the volume
service in memory."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography import fernet
from oslo_config import cfg
from taskflow import engines, states

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.conductor import action_runner, faults, token_seal
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys, server_action
from nova_lite.conductor.tasks import volume_actions
from nova_lite.db import api as db_api
from tests.unit.conductor.action_fixtures import HOST, ActionWorld, DriverHost
from tests.unit.conductor.test_action_runner import _jobs
from tests.unit.conductor.test_boot_jobs import EXPIRY, Cloud

TOKEN = 'users-token'


class MemoryVolumes:
    """Attachments of one volume service, in memory."""

    def __init__(self) -> None:
        self.status: dict[str, str] = {}
        self.attachments: dict[str, dict[str, Any]] = {}

    def _check(self, ctx: nl_context.RequestContext) -> None:
        assert ctx.auth_token == TOKEN

    def reserve_volume(self, ctx: Any, volume_id: str, instance_id: str) -> dict[str, Any]:
        self._check(ctx)
        for attachment in self.attachments.values():
            if (attachment['volume_id'], attachment['instance_id']) == (volume_id,
                                                                         instance_id):
                return dict(attachment)
        attachment = {'id': str(uuid.uuid4()), 'volume_id': volume_id,
                      'instance_id': instance_id, 'mountpoint': None,
                      'connection_info': None}
        self.attachments[attachment['id']] = attachment
        self.status[volume_id] = 'reserved'
        return dict(attachment)

    def attach_volume(self, ctx: Any, attachment_id: str, host: str,
                      mountpoint: str) -> dict[str, Any]:
        self._check(ctx)
        attachment = self.attachments[attachment_id]
        info = {'driver_volume_type': 'file',
                'data': {'device_path': f'/volumes/{attachment["volume_id"]}'}}
        attachment.update(mountpoint=mountpoint, connection_info=info)
        self.status[attachment['volume_id']] = 'in-use'
        return info

    def mark_attached(self, ctx: Any, attachment_id: str, mountpoint: str) -> None:
        self._check(ctx)
        self.attachments[attachment_id]['mountpoint'] = mountpoint
        self.status[self.attachments[attachment_id]['volume_id']] = 'in-use'

    def detach_volume(self, ctx: Any, attachment_id: str) -> None:
        self._check(ctx)
        if attachment_id not in self.attachments:
            raise exception.NotFound(resource='Attachment', id=attachment_id)
        attachment = self.attachments.pop(attachment_id)
        self.status[attachment['volume_id']] = 'available'

    def list_attachments(self, ctx: Any, instance_id: str | None = None,
                         volume_id: str | None = None) -> list[dict[str, Any]]:
        self._check(ctx)
        return [dict(a) for a in self.attachments.values()
                if instance_id in (None, a['instance_id'])]


class VolumeHost(DriverHost):
    def attach_volume(self, ctx: Any, host: str, *, instance_id: str,
                      block_device: dict[str, Any]) -> None:
        self.calls.append('attach_volume')
        self.driver.attach_volume(instance_id, block_device)

    def detach_volume(self, ctx: Any, host: str, *, instance_id: str, volume_id: str) -> None:
        self.calls.append('detach_volume')
        self.driver.detach_volume(instance_id, volume_id)


class VolumeWorld(ActionWorld):
    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts) -> None:
        super().__init__(db, conf)
        self.host = VolumeHost(conf)
        self.volumes = MemoryVolumes()
        self.sealer = token_seal.TokenSealer([fernet.Fernet.generate_key()])

    def deps(self, injector: Any = None) -> server_action.ActionDependencies:
        return server_action.ActionDependencies(
            instances=self.instances, events=self.events, compute=self.host,  # type: ignore[arg-type]
            fault_injector=injector or faults.NO_FAULTS, volumes=self.volumes,  # type: ignore[arg-type]
            sealer=self.sealer)

    def store(self, instance_id: str, action: str, volume_id: str) -> dict[str, Any]:
        store = self.begin(instance_id, action)
        store[keys.ACTION_REQUEST]['args'] = {'volume_id': volume_id,
                                              'mountpoint': '/dev/vdb'}
        store[keys.SEALED_TOKEN] = self.sealer.seal(TOKEN)
        return store

    def guest_has(self, instance_id: str, volume_id: str) -> bool:
        return volume_id in self.host.driver._domains[instance_id].xml

    def attached(self, instance_id: str, volume_id: str) -> str:
        """An instance with the volume attached (on both sides), as after a boot."""
        engines.load(self.flow('attach-volume'),
                     store=self.store(instance_id, 'attach-volume', volume_id)).run()
        self.host.calls.clear()
        return volume_id

    def flow(self, action: str, injector: Any = None) -> Any:
        return server_action.get_action_flow(action, self.deps(injector))


@pytest.fixture
def world(db: db_api.Database, conf: cfg.ConfigOpts) -> VolumeWorld:
    return VolumeWorld(db, conf)


@pytest.fixture
def cloud(db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(db)
    yield made
    made.stop()


@pytest.mark.parametrize('action,tasks', [('attach-volume', keys.ATTACH_VOLUME_TASKS),
                                          ('detach-volume', keys.DETACH_VOLUME_TASKS)])
def test_volume_flow_contracts(world: VolumeWorld, action: str,
                               tasks: tuple[str, ...]) -> None:
    flow = world.flow(action)
    assert [t.name for t in flow] == list(tasks)
    assert set(flow.requires) == {keys.INSTANCE_ID, keys.ACTION_REQUEST, keys.SEALED_TOKEN}
    # The host is optional: a shelved-offloaded server has none.
    [host_task] = [t for t in flow if t.name in (keys.ATTACH_ON_HOST, keys.DETACH_ON_HOST)]
    assert keys.HOST in host_task.optional
    provided = {t.name: set(t.provides) for t in flow}
    assert provided[tasks[1]] == {keys.ATTACHMENT} or tasks[1] == keys.RESERVE_VOLUME
    for cls in (volume_actions.ReserveVolume, volume_actions.AttachOnHost,
                volume_actions.DetachOnHost, volume_actions.ReleaseVolume):
        assert 'Reversion strategy:' in (cls.__doc__ or ''), cls


def test_attach_and_detach(world: VolumeWorld) -> None:
    instance_id = world.instance_in('active')
    volume_id = world.attached(instance_id, 'vol-1')
    assert world.volumes.status[volume_id] == 'in-use' and world.guest_has(instance_id,
                                                                           volume_id)
    engines.load(world.flow('detach-volume'),
                 store=world.store(instance_id, 'detach-volume', volume_id)).run()
    assert world.volumes.status[volume_id] == 'available'
    assert world.volumes.attachments == {}
    assert not world.guest_has(instance_id, volume_id)
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['events'] == [('compute_detach_volume', 'Success')]


@pytest.mark.parametrize('atom', keys.ATTACH_VOLUME_TASKS)
def test_a_failed_attach_leaves_no_attachment(world: VolumeWorld, atom: str) -> None:
    instance_id = world.instance_in('stopped')
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(world.flow('attach-volume', injector),
                     store=world.store(instance_id, 'attach-volume', 'vol-2')).run()
    assert world.volumes.attachments == {}
    assert world.volumes.status.get('vol-2', 'available') == 'available'
    assert not world.guest_has(instance_id, 'vol-2')
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('stopped', None)
    assert audit['events'] == [('compute_attach_volume', 'Error')]


@pytest.mark.parametrize('atom', keys.DETACH_VOLUME_TASKS)
def test_a_failed_detach_leaves_the_volume_attached(world: VolumeWorld, atom: str) -> None:
    instance_id = world.instance_in('active')
    volume_id = world.attached(instance_id, 'vol-3')
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(world.flow('detach-volume', injector),
                     store=world.store(instance_id, 'detach-volume', volume_id)).run()
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['events'] == [('compute_detach_volume', 'Error')]
    if atom == keys.RECORD_STATE:
        # Released before the failure: the volume is free and the guest lost the disk
        # (nothing dangling either way).
        assert world.volumes.attachments == {}
        assert world.volumes.status[volume_id] == 'available'
    else:
        assert world.volumes.status[volume_id] == 'in-use'
        assert world.guest_has(instance_id, volume_id)


def test_an_attach_killed_between_tasks_is_resumed_by_another_conductor(
        cloud: Cloud, world: VolumeWorld) -> None:
    first = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                       cloud.persistence, workers=1)
    instance_id = world.instance_in('active')
    store = world.store(instance_id, 'attach-volume', 'vol-4')
    job = first.post(instance_id, 'attach-volume', HOST, store[keys.ACTION_REQUEST],
                     auth_token=TOKEN)
    claimed = first.jobs.claim(job)
    assert claimed is not None
    book, flow_detail = flow_persistence.load_run(cloud.persistence, claimed.flow_uuid)
    engine = flow_persistence.load_engine(world.flow('attach-volume'), cloud.persistence,
                                          flow_detail, book=book)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(keys.RESERVE_VOLUME) == states.SUCCESS:
            break
    steps.close()
    assert world.volumes.status['vol-4'] == 'reserved'

    cloud.clock.advance(EXPIRY + 1)
    second = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-b'),
                                        cloud.persistence, workers=1)
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    assert world.volumes.status['vol-4'] == 'in-use'
    assert len(world.volumes.attachments) == 1  # reserved once
    assert world.guest_has(instance_id, 'vol-4')
    assert world.host.calls == ['attach_volume']
    assert world.audit(instance_id)['events'] == [('compute_attach_volume', 'Success')]
    second.stop()
    first.stop()


def _offloaded_store(world: VolumeWorld, instance_id: str, action: str,
                     volume_id: str) -> dict[str, Any]:
    store = world.store(instance_id, action, volume_id)
    del store[keys.HOST]  # an offloaded server has no host
    return store


def test_attach_and_detach_on_a_shelved_offloaded_server(world: VolumeWorld) -> None:
    instance_id = world.instance_in('shelved_offloaded')
    engines.load(world.flow('attach-volume'),
                 store=_offloaded_store(world, instance_id, 'attach-volume', 'vol-5')).run()
    [attachment] = world.volumes.attachments.values()
    assert world.volumes.status['vol-5'] == 'in-use'
    assert (attachment['mountpoint'], attachment['connection_info']) == ('/dev/vdb', None)
    assert world.host.calls == []  # no host to call
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('shelved_offloaded', None)
    engines.load(world.flow('detach-volume'),
                 store=_offloaded_store(world, instance_id, 'detach-volume', 'vol-5')).run()
    assert world.volumes.attachments == {}
    assert world.volumes.status['vol-5'] == 'available'
    assert world.host.calls == []
    assert world.audit(instance_id)['events'][-1] == ('compute_detach_volume', 'Success')


@pytest.mark.parametrize('atom', keys.ATTACH_VOLUME_TASKS)
def test_a_failed_offloaded_attach_leaves_no_attachment(world: VolumeWorld,
                                                        atom: str) -> None:
    instance_id = world.instance_in('shelved_offloaded')
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(world.flow('attach-volume', injector),
                     store=_offloaded_store(world, instance_id, 'attach-volume',
                                            'vol-6')).run()
    assert world.volumes.attachments == {}
    assert world.volumes.status.get('vol-6', 'available') == 'available'
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('shelved_offloaded', None)
    assert audit['events'] == [('compute_attach_volume', 'Error')]


@pytest.mark.parametrize('atom', keys.DETACH_VOLUME_TASKS)
def test_a_failed_offloaded_detach_keeps_or_frees_the_volume(world: VolumeWorld,
                                                             atom: str) -> None:
    instance_id = world.instance_in('shelved_offloaded')
    engines.load(world.flow('attach-volume'),
                 store=_offloaded_store(world, instance_id, 'attach-volume', 'vol-7')).run()
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(world.flow('detach-volume', injector),
                     store=_offloaded_store(world, instance_id, 'detach-volume',
                                            'vol-7')).run()
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('shelved_offloaded', None)
    assert world.host.calls == []
    released = atom == keys.RECORD_STATE
    assert world.volumes.status['vol-7'] == ('available' if released else 'in-use')
    assert len(world.volumes.attachments) == (0 if released else 1)
