"""What the server action flow tests share: a fake host over the fake driver, an
instance in a given state with its domain, and the audit of what a run left."""

from __future__ import annotations

import uuid
from typing import Any

from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.compute import instance_actions, instance_store
from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys, server_action
from nova_lite.db import api as db_api
from nova_lite.virt import fake, power_state
from nova_lite.virt.libvirt import config as guest_config

HOST = 'host1'
# The power state a domain has in each vm state the actions start from or end in.
POWER_OF_VM_STATE = {'active': power_state.RUNNING, 'stopped': power_state.SHUTDOWN,
                     'paused': power_state.PAUSED, 'suspended': power_state.SUSPENDED}


class DriverHost:
    """The compute RPC API of one host, answered by a FakeDriver in process."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.driver = fake.FakeDriver(conf)
        self.calls: list[str] = []

    def add_domain(self, instance_id: str, state: int) -> None:
        self.driver._domains[instance_id] = fake.FakeDomain(
            name=guest_config.domain_name(instance_id), xml='<domain/>', state=state)

    def __getattr__(self, method: str) -> Any:
        driver_method = {'power_on': 'power_on', 'power_off': 'power_off',
                         'reboot': 'reboot', 'pause': 'pause', 'unpause': 'unpause',
                         'suspend': 'suspend', 'resume': 'resume'}.get(method)
        if driver_method is None:
            raise AttributeError(method)

        def call(ctx: Any, host: str, *, instance_id: str) -> int:
            assert host == HOST
            self.calls.append(method)
            getattr(self.driver, driver_method)(instance_id)
            return self.driver.get_power_state(instance_id)

        return call


class ActionWorld:
    """A database with one instance per test, and the host its domain is on."""

    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts) -> None:
        self.instances = instance_store.InstanceStore(db)
        self.events = instance_actions.InstanceActionStore(db)
        self.host = DriverHost(conf)

    def deps(self, injector: Any = None) -> server_action.ActionDependencies:
        return server_action.ActionDependencies(
            instances=self.instances, events=self.events, compute=self.host,  # type: ignore[arg-type]
            fault_injector=injector or faults.NO_FAULTS)

    def instance_in(self, vm_state: str) -> str:
        instance = self.instances.create(
            name='acted-on', project_id='p1', user_id='u1', flavor_id='f1', image_id=None,
            availability_zone=None, metadata={}, build_request={})
        self.instances.update(instance['id'], vm_state=vm_state, task_state=None, host=HOST,
                              power_state=POWER_OF_VM_STATE.get(vm_state, 0))
        self.host.add_domain(instance['id'], POWER_OF_VM_STATE.get(vm_state,
                                                                   power_state.RUNNING))
        return str(instance['id'])

    def begin(self, instance_id: str, action: str) -> dict[str, Any]:
        """What the compute API does before the cast: task state, instance action; the
        flow's store."""
        spec = server_action.ACTIONS[action]
        instance = self.instances.get(instance_id)
        if spec.task_state is not None:
            self.instances.update(instance_id, task_state=spec.task_state)
        request_id = f'req-{uuid.uuid4()}'
        self.events.start_action(instance_id=instance_id, action=spec.instance_action,
                                 request_id=request_id, user_id='u1', project_id='p1')
        request = {'action': action, 'request_id': request_id, 'global_request_id': None,
                   'prior_vm_state': instance['vm_state'], 'task_state': spec.task_state,
                   'user_id': 'u1', 'project_id': 'p1', 'args': {}}
        store = {keys.INSTANCE_ID: instance_id, keys.ACTION_REQUEST: request}
        if spec.host_method is not None:
            store[keys.HOST] = HOST
        return store

    def audit(self, instance_id: str) -> dict[str, Any]:
        """The instance's record, its domain's state and the action's last event."""
        instance = self.instances.get(instance_id)
        try:
            domain = self.host.driver.get_power_state(instance_id)
        except exception.NotFound:
            domain = None
        [action] = self.events.list_actions(instance_id, limit=1)
        detail = self.events.get_action(instance_id, action['request_id'])
        return {'vm_state': instance['vm_state'], 'task_state': instance['task_state'],
                'power_state': instance['power_state'], 'domain': domain,
                'events': [(e['event'], e['result']) for e in detail['events']],
                'finished': detail['finish_time'] is not None}
