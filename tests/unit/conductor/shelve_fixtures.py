"""What the shelve flow tests share: the snapshot world plus a host that spawns and
destroys fake domains, an image service with locations, and a scheduler holding
claims in a dict."""

from __future__ import annotations

import os
import shutil
import uuid
from typing import Any

from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys, server_action
from nova_lite.db import api as db_api
from nova_lite.virt import disk, power_state
from tests.unit.conductor.action_fixtures import HOST
from tests.unit.conductor.snapshot_fixtures import (
    DISK_BYTES,
    USER_TOKEN,
    MemoryImages,
    SnapshotHost,
    SnapshotWorld,
)

FLAVOR = {'id': 'f1', 'name': 'tiny', 'vcpus': 1, 'memory_mb': 64, 'root_gb': 1,
          'ephemeral_gb': 0, 'swap': 0}


class LocatedImages(MemoryImages):
    """MemoryImages that also answer an image's location (what a spawn fetches)."""

    def get_location(self, ctx: nl_context.RequestContext, image_id: str) -> str:
        self._image(ctx, image_id)
        return f'memory://{image_id}'


class ShelveHost(SnapshotHost):
    """The snapshot host, which also spawns (from a shelved image) and destroys."""

    def spawn_instance(self, ctx: nl_context.RequestContext, host: str, *,
                       instance: dict[str, Any], flavor: dict[str, Any],
                       image: dict[str, Any], network_info: list[dict[str, Any]],
                       block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        assert host == HOST and image['location'] and flavor == FLAVOR
        self.calls.append('spawn_instance')
        instance_dir = self.driver.instance_dir(instance['id'])
        os.makedirs(instance_dir, exist_ok=True)
        with open(os.path.join(instance_dir, disk.DISK_NAME), 'wb') as f:
            f.write(DISK_BYTES)
        self.add_domain(instance['id'], power_state.RUNNING)
        return {'power_state': power_state.RUNNING, 'host': HOST}

    def destroy_instance(self, ctx: nl_context.RequestContext, host: str, *,
                         instance_id: str) -> None:
        assert host == HOST
        self.calls.append('destroy_instance')
        self.driver.destroy(instance_id)
        shutil.rmtree(self.driver.instance_dir(instance_id), ignore_errors=True)


class DictScheduler:
    """The scheduler's claims: one per instance, always on HOST."""

    def __init__(self) -> None:
        self.claims: dict[str, str] = {}
        self.specs: list[dict[str, Any]] = []

    def select_destinations(self, ctx: nl_context.RequestContext,
                            spec: dict[str, Any]) -> dict[str, Any]:
        self.specs.append(spec)
        self.claims[spec['instance_id']] = HOST
        return {'host': HOST, 'availability_zone': 'nova', 'alternates': []}

    def release_claim(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        self.claims.pop(instance_id, None)


class ShelveWorld(SnapshotWorld):
    """A SnapshotWorld whose instances hold a claim and were booted from a request spec."""

    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts) -> None:
        super().__init__(db, conf)
        self.images = LocatedImages()
        self.host = ShelveHost(conf, self.images)
        self.scheduler = DictScheduler()

    def deps(self, injector: Any = None) -> server_action.ActionDependencies:
        return server_action.ActionDependencies(
            instances=self.instances, events=self.events, compute=self.host,  # type: ignore[arg-type]
            fault_injector=injector or faults.NO_FAULTS, images=self.images,  # type: ignore[arg-type]
            sealer=self.sealer, scheduler=self.scheduler)  # type: ignore[arg-type]

    def instance_in(self, vm_state: str) -> str:
        instance_id = super().instance_in(vm_state)
        self.instances.change_details(instance_id, build_request={
            'request_spec': {'flavor': FLAVOR, 'image': {'id': 'base', 'properties': {}},
                             'availability_zone': None}})
        self.scheduler.claims[instance_id] = HOST
        return instance_id

    def store(self, instance_id: str, action: str, args: dict[str, Any]) -> dict[str, Any]:
        store = self.begin(instance_id, action)
        store[keys.ACTION_REQUEST]['args'] = args
        store[keys.SEALED_TOKEN] = self.sealer.seal(USER_TOKEN)
        if self.instances.get(instance_id)['host'] is None:
            store.pop(keys.HOST, None)
        return store

    def begin_shelve(self, instance_id: str, offload: bool) -> tuple[dict[str, Any], str]:
        """What the compute API does: the queued '<name>-shelved' image, the store."""
        user = nl_context.RequestContext(auth_token=USER_TOKEN, user_id='u1',
                                         project_id='p1')
        image = self.images.create_image(user, name='acted-on-shelved', disk_format='raw',
                                         container_format='bare')
        return self.store(instance_id, 'shelve', {'image_id': image['id'],
                                                  'disk_format': 'raw',
                                                  'offload': offload}), image['id']

    def shelved_instance(self, offloaded: bool) -> tuple[str, str]:
        """An instance as a finished shelve leaves it, and its shelved image's id."""
        instance_id = self.instance_in('active')
        self.host.driver.power_off(instance_id)
        user = nl_context.RequestContext(auth_token=USER_TOKEN)
        image = self.images.create_image(user, name='acted-on-shelved', disk_format='raw')
        self.images.images[image['id']].update(status='active', size=len(DISK_BYTES),
                                               checksum='x')
        self.instances.change_details(instance_id, build_request={
            'shelved_image_id': image['id']})
        values: dict[str, Any] = {'vm_state': 'shelved', 'power_state': power_state.SHUTDOWN}
        if offloaded:
            self.host.destroy_instance(user, HOST, instance_id=instance_id)
            self.scheduler.claims.pop(instance_id)
            values.update(vm_state='shelved_offloaded', host=None, power_state=0)
        self.instances.update(instance_id, **values)
        self.host.calls.clear()
        return instance_id, image['id']

    def state(self, instance_id: str) -> dict[str, Any]:
        """The audit plus the host, claim, shelved image id and images left."""
        instance = self.instances.get(instance_id)
        return {**self.audit(instance_id), 'host': instance['host'],
                'claim': self.scheduler.claims.get(instance_id),
                'shelved_image_id': instance['build_request'].get('shelved_image_id'),
                'images': sorted(self.images.images)}


def new_request_id() -> str:
    return f'req-{uuid.uuid4()}'
