"""In-memory fakes of the tasks' other collaborators: the instance and flavor
stores and the scheduler and compute RPC APIs.

These are concrete classes, not Protocols; each fake subclasses the real class
and replaces every method a task uses (without its database or transport), so
that a checker still holds the fakes to the real signatures. Calls are recorded
and can be made to fail like the client fakes' (:class:`fakes.Recorder`).
"""

from __future__ import annotations

import copy
from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import flavors, instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from tests.unit.conductor.tasks.fakes import Recorder, not_found


class FakeInstanceStore(instance_store.InstanceStore, Recorder):
    """Instance records in a dict, with the store's state checks."""

    def __init__(self) -> None:
        Recorder.__init__(self)
        self.records: dict[str, dict[str, Any]] = {}
        self.faults: dict[str, list[dict[str, Any]]] = {}

    def create(self, *, name: str, project_id: str, user_id: str, flavor_id: str,
               image_id: str | None, availability_zone: str | None,
               metadata: dict[str, str], build_request: dict[str, Any],
               key_name: str | None = None) -> dict[str, Any]:
        instance_id = f'instance-{len(self.records) + 1}'
        self.records[instance_id] = {
            'id': instance_id, 'name': name, 'project_id': project_id, 'user_id': user_id,
            'image_id': image_id, 'flavor_id': flavor_id, 'host': None,
            'availability_zone': availability_zone, 'vm_state': 'building',
            'task_state': 'scheduling', 'power_state': 0, 'key_name': key_name,
            'metadata': dict(metadata), 'network_info': [],
            'build_request': copy.deepcopy(build_request), 'launched_at': None,
            'terminated_at': None, 'deleted_at': None}
        return self.get(instance_id)

    def get(self, instance_id: str, *, include_deleted: bool = False) -> dict[str, Any]:
        record = self.records.get(instance_id)
        if record is None or (record['deleted_at'] is not None and not include_deleted):
            raise not_found('Instance', instance_id)
        faults = self.faults.get(instance_id, [])
        return {**copy.deepcopy(record),
                'status': instance_store.status_of(record['vm_state']),
                'fault': dict(faults[-1]) if faults and record['vm_state'] == 'error'
                else None}

    def change_details(self, instance_id: str, *,
                       build_request: dict[str, Any] | None = None,
                       **kwargs: Any) -> dict[str, Any]:
        """Only what boot from volume records: build request keys."""
        assert not kwargs, kwargs
        self._enter('change_details', instance_id=instance_id)
        record = self.records[instance_id]
        record['build_request'] = {**record['build_request'],
                                   **copy.deepcopy(build_request or {})}
        return self.get(instance_id)

    def update(self, instance_id: str, *, expected_vm_states: tuple[str, ...] | None = None,
               **values: Any) -> dict[str, Any]:
        self._enter('update', instance_id=instance_id, expected_vm_states=expected_vm_states,
                    **values)
        unknown = set(values) - instance_store._UPDATABLE
        if unknown:
            raise exception.Invalid(reason=f'cannot update {sorted(unknown)}')
        record = self.get(instance_id)
        if expected_vm_states is not None and record['vm_state'] not in expected_vm_states:
            raise exception.InvalidState(resource='Instance', id=instance_id,
                                         state=record['vm_state'], action='this update',
                                         needed=' or '.join(expected_vm_states))
        self.records[instance_id].update(copy.deepcopy(values))
        self._leave('update')
        return self.get(instance_id)

    def set_error(self, instance_id: str, *, message: str, code: int = 500,
                  details: str = '', host: str | None = None) -> None:
        self._enter('set_error', instance_id=instance_id, message=message, code=code)
        record = self.records.get(instance_id)
        if record is None or record['deleted_at'] is not None:
            return
        record.update(vm_state='error', task_state=None, power_state=0)
        self.faults.setdefault(instance_id, []).append(
            {'code': code, 'message': message[:255], 'details': details, 'host': host})

    def mark_deleted(self, instance_id: str) -> None:
        self._enter('mark_deleted', instance_id=instance_id)
        record = self.records.get(instance_id)
        if record is None or record['deleted_at'] is not None:
            return
        record.update(vm_state='deleted', task_state=None, power_state=0, host=None,
                      network_info=[], deleted_at='2026-01-01T00:00:00Z',
                      terminated_at='2026-01-01T00:00:00Z')


class FakeFlavorStore(flavors.FlavorStore):
    def __init__(self) -> None:
        self.flavors: dict[str, dict[str, Any]] = {}

    def add(self, flavor_id: str, *, disabled: bool = False) -> dict[str, Any]:
        self.flavors[flavor_id] = {
            'id': flavor_id, 'name': f'm1.{flavor_id}', 'vcpus': 2, 'memory_mb': 2048,
            'root_gb': 20, 'ephemeral_gb': 0, 'swap': 0, 'rxtx_factor': 1.0,
            'is_public': True, 'disabled': disabled, 'description': None,
            'extra_specs': {}, 'created_at': None}
        return dict(self.flavors[flavor_id])

    def get(self, flavor_id: str, *, include_disabled: bool = False) -> dict[str, Any]:
        flavor = self.flavors.get(flavor_id)
        if flavor is None or (flavor['disabled'] and not include_disabled):
            raise not_found('Flavor', flavor_id)
        return copy.deepcopy(flavor)


class FakeScheduler(scheduler_rpcapi.SchedulerAPI, Recorder):
    """Claims on the first host not ignored; an instance keeps the claim it holds."""

    def __init__(self, hosts: list[str]) -> None:
        Recorder.__init__(self)
        self.hosts = list(hosts)
        self.claims: dict[str, str] = {}

    def select_destinations(self, ctx: nl_context.RequestContext,
                            request_spec: dict[str, Any]) -> dict[str, Any]:
        self._enter('select_destinations', ctx, request_spec=copy.deepcopy(request_spec))
        instance_id = request_spec['instance_id']
        candidates = [host for host in self.hosts
                      if host not in request_spec.get('ignore_hosts', [])]
        if not candidates:
            raise exception.NovaLiteError('No valid host was found.')
        held = self.claims.get(instance_id)
        host = held if held in candidates else candidates[0]
        self.claims[instance_id] = host
        self._leave('select_destinations')
        return {'host': host, 'compute_node_id': f'node-{host}', 'availability_zone': 'nova',
                'alternates': [other for other in candidates if other != host]}

    def release_claim(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self._enter('release_claim', ctx, instance_id=instance_id)
        self.claims.pop(instance_id, None)

    def list_claims(self, ctx: nl_context.RequestContext,
                    instance_id: str | None = None) -> list[dict[str, Any]]:
        return [{'instance_id': claimed, 'host': host} for claimed, host in self.claims.items()
                if instance_id in (None, claimed)]


class FakeCompute(compute_rpcapi.ComputeAPI, Recorder):
    """Domains by (host, instance id); a spawn of a running domain reports it again."""

    def __init__(self) -> None:
        Recorder.__init__(self)
        self.domains: dict[tuple[str, str], dict[str, Any]] = {}

    def spawn_instance(self, ctx: nl_context.RequestContext, host: str, *,
                       instance: dict[str, Any], flavor: dict[str, Any],
                       image: dict[str, Any], network_info: list[dict[str, Any]],
                       block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        self._enter('spawn_instance', ctx, host=host, instance=instance, flavor=flavor,
                    image=image, network_info=network_info, block_devices=block_devices)
        key = (host, instance['id'])
        if key not in self.domains:
            self.domains[key] = {'domain_name': f'instance-{len(self.domains) + 1:08x}',
                                 'xml_path': f'/var/lib/nova_lite/{instance["id"]}/libvirt.xml',
                                 'power_state': 1, 'host': host}
        self._leave('spawn_instance')
        return dict(self.domains[key])

    def destroy_instance(self, ctx: nl_context.RequestContext, host: str, *,
                         instance_id: str) -> None:
        self._enter('destroy_instance', ctx, host=host, instance_id=instance_id)
        self.domains.pop((host, instance_id), None)
