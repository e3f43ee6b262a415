"""What the resize and rebuild flow tests share: one host whose compute manager runs
over the fake driver (real disk files), the scheduler's claims in the database, an
instance booted there with the small flavor, and the audit of what a run left."""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Any

from cryptography import fernet
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import manager as compute_manager
from nova_lite.compute import migrations, resize_host
from nova_lite.conductor import faults, token_seal
from nova_lite.conductor.flows import keys, server_action
from nova_lite.db import api as db_api
from nova_lite.scheduler import claims
from nova_lite.scheduler import manager as scheduler_manager
from nova_lite.virt import fake, imagecache
from tests.unit.compute.test_compute_manager import IMAGE_BYTES, ImageClient
from tests.unit.conductor.action_fixtures import HOST, ActionWorld

TOKEN = 'users-token'
SMALL = {'id': '1', 'name': 'small', 'vcpus': 1, 'memory_mb': 512, 'root_gb': 1,
         'ephemeral_gb': 0, 'swap': 0}
BIG = {'id': '2', 'name': 'big', 'vcpus': 2, 'memory_mb': 1024, 'root_gb': 2,
       'ephemeral_gb': 0, 'swap': 0}


def image(image_id: str) -> dict[str, Any]:
    return {'id': image_id, 'name': image_id, 'disk_format': 'raw', 'size': len(IMAGE_BYTES),
            'os_hash_algo': 'sha512', 'os_hash_value': hashlib.sha512(IMAGE_BYTES).hexdigest(),
            'min_disk': 0, 'min_ram': 0, 'properties': {}}


class ManagerHost:
    """The compute RPC API of one host, answered by its ComputeManager in process."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.driver = fake.FakeDriver(conf)
        self.manager = compute_manager.ComputeManager(
            conf, self.driver, imagecache.ImageCache(conf.compute.image_cache_dir,
                                                     ImageClient()), host=HOST)
        self.calls: list[str] = []

    def __getattr__(self, method: str) -> Any:
        if method not in ('resize_instance', 'revert_resize', 'confirm_resize',
                          'rebuild_instance', 'power_off', 'spawn_instance'):
            raise AttributeError(method)

        def call(ctx: Any, host: str, **kwargs: Any) -> Any:
            assert host == HOST
            self.calls.append(method)
            return getattr(self.manager, method)(ctx, **kwargs)

        return call


class Scheduler:
    """The scheduler's RPC API, answered by a SchedulerManager over the database."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database) -> None:
        self.manager = scheduler_manager.SchedulerManager(conf, db)
        self.db = db

    def adjust_claim(self, ctx: Any, instance_id: str, *,
                     expected_flavors: list[dict[str, Any]],
                     target_flavors: list[dict[str, Any]]) -> dict[str, Any]:
        return self.manager.adjust_claim(ctx, instance_id, expected_flavors, target_flavors)

    def claim_of(self, instance_id: str) -> dict[str, int] | None:
        with self.db.reader() as session:
            claim = claims.get_claim(session, instance_id)
        return None if claim is None else {key: claim[key]
                                           for key in ('vcpus', 'memory_mb', 'disk_gb')}

    def usage(self) -> tuple[int, int, int]:
        [node] = self.manager.get_host_usage(nl_context.get_admin_context(), HOST)
        return node['vcpus_used'], node['memory_mb_used'], node['local_gb_used']


def resources(*flavors: dict[str, Any]) -> dict[str, int]:
    total = claims.Resources(0, 0, 0)
    for flavor in flavors:
        total = claims.combined(total, claims.Resources.from_flavor(flavor))
    return total.as_dict()


class ResizeWorld(ActionWorld):
    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts) -> None:
        super().__init__(db, conf)
        self.host = ManagerHost(conf)  # type: ignore[assignment]
        self.scheduler = Scheduler(conf, db)
        self.migrations = migrations.MigrationStore(db)
        self.sealer = token_seal.TokenSealer([fernet.Fernet.generate_key()])
        self.scheduler.manager.update_compute_node(nl_context.get_admin_context(), HOST,
                                                   self.host.driver.get_host_resources())

    def deps(self, injector: Any = None) -> server_action.ActionDependencies:
        return server_action.ActionDependencies(
            instances=self.instances, events=self.events, compute=self.host,  # type: ignore[arg-type]
            fault_injector=injector or faults.NO_FAULTS, sealer=self.sealer,
            scheduler=self.scheduler, migrations=self.migrations)  # type: ignore[arg-type]

    def flow(self, action: str, injector: Any = None) -> Any:
        return server_action.get_action_flow(action, self.deps(injector))

    def booted(self, vm_state: str = 'active') -> str:
        """An instance booted on the host with the small flavor, holding its claim."""
        spec = {'flavor': SMALL, 'image': {'id': 'image-1', 'min_disk': 0, 'min_ram': 0,
                                           'properties': {}}}
        instance = self.instances.create(
            name='resized', project_id='p1', user_id='u1', flavor_id=SMALL['id'],
            image_id='image-1', availability_zone=None, metadata={},
            build_request={'request_spec': spec})
        instance_id = str(instance['id'])
        ctx = nl_context.get_admin_context()
        info = self.host.manager.spawn_instance(
            ctx, {'id': instance_id, 'name': 'resized', 'project_id': 'p1', 'user_id': 'u1',
                  'metadata': {}, 'image_id': 'image-1'}, SMALL, image('image-1'), [], [])
        if vm_state == 'stopped':
            self.host.driver.power_off(instance_id)
        self.instances.update(instance_id, vm_state=vm_state, task_state=None, host=HOST,
                              power_state=self.host.driver.get_power_state(instance_id)
                              if vm_state == 'stopped' else info['power_state'])
        [node] = self.scheduler.manager.get_host_usage(ctx, HOST)
        with self.scheduler.db.session() as session:
            claims.claim(session, node['id'], instance_id, claims.Resources.from_flavor(SMALL))
        return instance_id

    def resize_store(self, instance_id: str) -> dict[str, Any]:
        """What the compute API does before it casts a resize."""
        instance = self.instances.get(instance_id)
        migration = self.migrations.create(
            instance_id=instance_id, project_id='p1', user_id='u1', host=HOST,
            old_flavor_id=SMALL['id'], new_flavor_id=BIG['id'])
        store = self.begin(instance_id, 'resize')
        resize = {'old_flavor': SMALL, 'new_flavor': BIG, 'migration_id': migration['id']}
        self.instances.change_details(instance_id, build_request={'resize': resize})
        store[keys.ACTION_REQUEST]['args'] = {
            **resize, 'image': instance['build_request']['request_spec']['image']}
        return store

    def waiting_store(self, instance_id: str, action: str) -> dict[str, Any]:
        """What the compute API does before it casts a confirm or a revert."""
        resize = self.instances.get(instance_id)['build_request']['resize']
        store = self.begin(instance_id, action)
        store[keys.ACTION_REQUEST]['args'] = dict(resize)
        return store

    def rebuild_store(self, instance_id: str, image_id: str) -> dict[str, Any]:
        self.instances.update(instance_id, image_id=image_id)
        store = self.begin(instance_id, 'rebuild')
        store[keys.ACTION_REQUEST]['args'] = {'image': image(image_id), 'flavor': SMALL}
        store[keys.SEALED_TOKEN] = self.sealer.seal(TOKEN)
        return store

    def resized(self) -> tuple[str, int]:
        """An instance waiting in VERIFY_RESIZE (small to big); its id, migration id."""
        from taskflow import engines

        instance_id = self.booted()
        store = self.resize_store(instance_id)
        engines.load(self.flow('resize'), store=store).run()
        self.host.calls.clear()
        return instance_id, int(store[keys.ACTION_REQUEST]['args']['migration_id'])

    def backup_exists(self, instance_id: str) -> bool:
        return os.path.exists(os.path.join(self.host.driver.instance_dir(instance_id),
                                           resize_host.BACKUP_NAME))

    def guest_vcpus(self, instance_id: str) -> int:
        xml = self.host.driver._domains[instance_id].xml
        return int(xml.split('<vcpu>')[1].split('<')[0])

    def audit_resize(self, instance_id: str, migration_id: int) -> dict[str, Any]:
        audit = self.audit(instance_id)
        try:
            vcpus: int | None = self.guest_vcpus(instance_id)
        except (KeyError, exception.NotFound):
            vcpus = None
        return {**audit, 'flavor_id': self.instances.get(instance_id)['flavor_id'],
                'quota_flavor': self.instances.get(instance_id)['build_request']
                ['request_spec']['flavor']['id'],
                'claim': self.scheduler.claim_of(instance_id),
                'migration': self.migrations.get(migration_id)['status'],
                'guest_vcpus': vcpus, 'backup': self.backup_exists(instance_id)}


def new_request_id() -> str:
    return f'req-{uuid.uuid4()}'
