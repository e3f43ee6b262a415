"""The interface attach and detach flows: contracts, a failure at each task (no orphan
port, no NIC left on the guest, network_info and the instance back as they were) and a
kill at a task boundary resumed by another conductor. Real database, fake driver, the
network service in memory."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from oslo_config import cfg
from taskflow import engines, states

from nova_lite.common import exception
from nova_lite.conductor import action_runner, faults
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys, server_action
from nova_lite.conductor.tasks import interface_actions
from nova_lite.db import api as db_api
from tests.unit.conductor.action_fixtures import HOST, ActionWorld, DriverHost
from tests.unit.conductor.test_action_runner import _jobs
from tests.unit.conductor.test_boot_jobs import EXPIRY, Cloud

NETWORK = 'net-1'


class MemoryNetworks:
    """The ports of one network service, in memory (as the conductor sees them)."""

    def __init__(self) -> None:
        self.ports: dict[str, dict[str, Any]] = {}

    def make_port(self, device_id: str = '') -> str:
        port_id = str(uuid.uuid4())
        index = len(self.ports) + 1
        self.ports[port_id] = {
            'id': port_id, 'network_id': NETWORK, 'mac_address': f'fa:16:3e:00:00:{index:02x}',
            'fixed_ips': [{'subnet_id': 'sub-1', 'ip_address': f'10.0.0.{index + 10}'}],
            'device_id': device_id, 'device_owner': 'compute:nova' if device_id else '',
            'binding_host_id': '', 'status': 'DOWN'}
        return port_id

    def get_network(self, ctx: Any, network_id: str) -> dict[str, Any]:
        return {'id': network_id, 'name': 'private'}

    def get_port(self, ctx: Any, port_id: str) -> dict[str, Any]:
        if port_id not in self.ports:
            raise exception.NotFound(resource='Port', id=port_id)
        return dict(self.ports[port_id])

    def update_port(self, ctx: Any, port_id: str, **changes: Any) -> dict[str, Any]:
        assert ctx.is_admin  # the conductor's own context, never the user's token
        self.get_port(ctx, port_id)
        self.ports[port_id].update(changes)
        return dict(self.ports[port_id])

    def delete_port(self, ctx: Any, port_id: str) -> None:
        self.get_port(ctx, port_id)
        del self.ports[port_id]


class InterfaceHost(DriverHost):
    def attach_interface(self, ctx: Any, host: str, *, instance_id: str,
                         vif: dict[str, Any]) -> None:
        self.calls.append('attach_interface')
        self.driver.attach_interface(instance_id, vif)

    def detach_interface(self, ctx: Any, host: str, *, instance_id: str,
                         mac_address: str) -> None:
        self.calls.append('detach_interface')
        self.driver.detach_interface(instance_id, mac_address)


class InterfaceWorld(ActionWorld):
    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts) -> None:
        super().__init__(db, conf)
        self.host = InterfaceHost(conf)
        self.networks = MemoryNetworks()

    def deps(self, injector: Any = None) -> server_action.ActionDependencies:
        return server_action.ActionDependencies(
            instances=self.instances, events=self.events, compute=self.host,  # type: ignore[arg-type]
            fault_injector=injector or faults.NO_FAULTS, networks=self.networks)  # type: ignore[arg-type]

    def store(self, instance_id: str, action: str, port_id: str,
              created: bool = True) -> dict[str, Any]:
        store = self.begin(instance_id, action)
        store[keys.ACTION_REQUEST]['args'] = {'port_id': port_id, 'created': created,
                                              'tag': 'nic1'}
        return store

    def guest_has(self, instance_id: str, port_id: str) -> bool:
        mac = self.networks.ports[port_id]['mac_address'] if port_id in self.networks.ports \
            else None
        xml = self.host.driver._domains[instance_id].xml
        return mac is not None and mac in xml

    def vif_ports(self, instance_id: str) -> list[str]:
        return [vif['port_id'] for vif in self.instances.get(instance_id)['network_info']]

    def attached(self, instance_id: str, created: bool = True) -> str:
        """An instance with a port attached (bound, plugged, recorded)."""
        port_id = self.networks.make_port(device_id=instance_id)
        engines.load(self.flow('attach-interface'),
                     store=self.store(instance_id, 'attach-interface', port_id,
                                      created)).run()
        self.host.calls.clear()
        return port_id

    def flow(self, action: str, injector: Any = None) -> Any:
        return server_action.get_action_flow(action, self.deps(injector))


@pytest.fixture
def world(db: db_api.Database, conf: cfg.ConfigOpts) -> InterfaceWorld:
    return InterfaceWorld(db, conf)


@pytest.fixture
def cloud(db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(db)
    yield made
    made.stop()


@pytest.mark.parametrize('action,tasks', [('attach-interface', keys.ATTACH_INTERFACE_TASKS),
                                          ('detach-interface', keys.DETACH_INTERFACE_TASKS)])
def test_interface_flow_contracts(world: InterfaceWorld, action: str,
                                  tasks: tuple[str, ...]) -> None:
    flow = world.flow(action)
    assert [t.name for t in flow] == list(tasks)
    assert set(flow.requires) == {keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST}
    provided = {t.name: set(t.provides) for t in flow}
    assert provided[tasks[1]] == {keys.VIF}
    assert keys.POWER_STATE in provided[keys.PLUG_ON_HOST if action == 'attach-interface'
                                        else keys.RELEASE_PORT]
    for cls in (interface_actions.InterfaceToErrorOnRevert, interface_actions.BindPort,
                interface_actions.PlugOnHost, interface_actions.RecordInterface,
                interface_actions.UnplugOnHost, interface_actions.ForgetInterface,
                interface_actions.ReleasePort):
        assert 'Reversion strategy:' in (cls.__doc__ or ''), cls


def test_attach_then_detach_a_port_nova_made(world: InterfaceWorld) -> None:
    instance_id = world.instance_in('active')
    port_id = world.attached(instance_id)
    port = world.networks.ports[port_id]
    assert (port['binding_host_id'], port['status']) == (HOST, 'ACTIVE')
    assert world.guest_has(instance_id, port_id)
    [vif] = world.instances.get(instance_id)['network_info']
    assert (vif['port_id'], vif['tag'], vif['preserve_on_delete']) == (port_id, 'nic1', False)
    assert vif['network_name'] == 'private'
    mac = port['mac_address']

    engines.load(world.flow('detach-interface'),
                 store=world.store(instance_id, 'detach-interface', port_id)).run()
    assert port_id not in world.networks.ports  # nova made it: deleted
    assert mac not in world.host.driver._domains[instance_id].xml
    assert world.vif_ports(instance_id) == []
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['events'] == [('compute_detach_interface', 'Success')]


def test_detaching_a_users_port_only_unbinds_it(world: InterfaceWorld) -> None:
    instance_id = world.instance_in('stopped')
    port_id = world.attached(instance_id, created=False)
    assert world.instances.get(instance_id)['network_info'][0]['preserve_on_delete'] is True
    engines.load(world.flow('detach-interface'),
                 store=world.store(instance_id, 'detach-interface', port_id, False)).run()
    port = world.networks.ports[port_id]
    assert (port['device_id'], port['device_owner'], port['binding_host_id']) == ('', '', '')
    assert port['status'] == 'DOWN'
    assert world.audit(instance_id)['vm_state'] == 'stopped'


@pytest.mark.parametrize('created', [True, False])
@pytest.mark.parametrize('atom', keys.ATTACH_INTERFACE_TASKS)
def test_a_failed_attach_leaves_no_port_behind(world: InterfaceWorld, atom: str,
                                               created: bool) -> None:
    instance_id = world.instance_in('paused')
    port_id = world.networks.make_port(device_id=instance_id)
    mac = world.networks.ports[port_id]['mac_address']
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(world.flow('attach-interface', injector),
                     store=world.store(instance_id, 'attach-interface', port_id,
                                       created)).run()
    if created:
        assert port_id not in world.networks.ports  # no orphan port
    else:
        port = world.networks.ports[port_id]  # the user's port: free again
        assert (port['device_id'], port['binding_host_id'], port['status']) == ('', '', 'DOWN')
    assert mac not in world.host.driver._domains[instance_id].xml
    assert world.vif_ports(instance_id) == []
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('paused', None)
    assert audit['events'] == [('compute_attach_interface', 'Error')]


@pytest.mark.parametrize('atom', keys.DETACH_INTERFACE_TASKS)
def test_a_failed_detach_leaves_the_interface_attached(world: InterfaceWorld,
                                                       atom: str) -> None:
    instance_id = world.instance_in('active')
    port_id = world.attached(instance_id)
    injector = faults.FaultInjector(fail_at=frozenset({atom}), subject=instance_id)
    with pytest.raises(faults.InjectedFault):
        engines.load(world.flow('detach-interface', injector),
                     store=world.store(instance_id, 'detach-interface', port_id)).run()
    audit = world.audit(instance_id)
    assert (audit['vm_state'], audit['task_state']) == ('active', None)
    assert audit['events'] == [('compute_detach_interface', 'Error')]
    if atom == keys.RECORD_STATE:
        # Released before the failure: the port is gone with its NIC and record entry.
        assert port_id not in world.networks.ports
        assert world.vif_ports(instance_id) == []
    else:
        assert world.networks.ports[port_id]['binding_host_id'] == HOST
        assert world.guest_has(instance_id, port_id)
        assert world.vif_ports(instance_id) == [port_id]


def test_detaching_a_port_that_is_not_attached_fails_and_changes_nothing(
        world: InterfaceWorld) -> None:
    instance_id = world.instance_in('active')
    stranger = world.networks.make_port()
    with pytest.raises(exception.NotFound):
        engines.load(world.flow('detach-interface'),
                     store=world.store(instance_id, 'detach-interface', stranger)).run()
    assert stranger in world.networks.ports
    assert world.audit(instance_id)['vm_state'] == 'active'


def test_an_attach_killed_between_tasks_is_resumed_by_another_conductor(
        cloud: Cloud, world: InterfaceWorld) -> None:
    first = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-a'),
                                       cloud.persistence, workers=1)
    instance_id = world.instance_in('active')
    port_id = world.networks.make_port(device_id=instance_id)
    store = world.store(instance_id, 'attach-interface', port_id)
    job = first.post(instance_id, 'attach-interface', HOST, store[keys.ACTION_REQUEST])
    claimed = first.jobs.claim(job)
    assert claimed is not None
    book, flow_detail = flow_persistence.load_run(cloud.persistence, claimed.flow_uuid)
    engine = flow_persistence.load_engine(world.flow('attach-interface'), cloud.persistence,
                                          flow_detail, book=book)
    steps = engine.run_iter()
    for _state in steps:
        if engine.storage.get_atom_state(keys.BIND_PORT) == states.SUCCESS:
            break
    steps.close()
    assert world.networks.ports[port_id]['binding_host_id'] == HOST
    assert world.host.calls == []

    cloud.clock.advance(EXPIRY + 1)
    second = action_runner.ActionRunner(world.deps(), _jobs(cloud, 'conductor-b'),
                                        cloud.persistence, workers=1)
    [unclaimed] = second.jobs.unclaimed_jobs()
    assert second.claim_and_run(unclaimed) is True
    assert world.networks.ports[port_id]['status'] == 'ACTIVE'
    assert world.guest_has(instance_id, port_id)
    assert world.vif_ports(instance_id) == [port_id]
    assert world.host.calls == ['attach_interface']
    assert world.audit(instance_id)['events'] == [('compute_attach_interface', 'Success')]
    second.stop()
    first.stop()
