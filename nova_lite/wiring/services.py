"""What the REST APIs act through: the service managers and the RPC clients.

``nova-lite-api`` builds one :class:`ApiServices` from its configuration;
``nova-lite-all`` (and the embedded cloud) shares the same objects with the
conductor, scheduler and compute services in its process.
"""

from __future__ import annotations

import dataclasses

import oslo_messaging
from oslo_config import cfg

from nova_lite.clients import local as clients
from nova_lite.compute import admin_stores as compute_admin_stores
from nova_lite.compute import api as compute_api
from nova_lite.compute import flavors as flavor_store
from nova_lite.compute import instance_actions, instance_store
from nova_lite.compute import keypairs as keypair_store
from nova_lite.compute import migrations as migration_store
from nova_lite.compute import quotas as quota_engine
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute import server_groups as server_group_store
from nova_lite.conductor import jobboards
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor import rpcapi as conductor_rpcapi
from nova_lite.db import api as db_api
from nova_lite.identity import manager as identity_manager
from nova_lite.image import manager as image_manager
from nova_lite.image.backends import multi as image_stores
from nova_lite.network import manager as network_manager
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.volume import manager as volume_manager
from nova_lite.volume.backends import base as volume_backend
from nova_lite.volume.flows import rebuild as volume_rebuild
from nova_lite.wiring import volume_flows


@dataclasses.dataclass
class ApiServices:
    conf: cfg.ConfigOpts
    db: db_api.Database
    identity: identity_manager.IdentityManager
    images: image_manager.ImageManager
    networks: network_manager.NetworkManager
    volumes: volume_manager.VolumeManager
    instances: instance_store.InstanceStore
    flavors: flavor_store.FlavorStore
    scheduler_rpcapi: scheduler_rpcapi.SchedulerAPI
    compute_rpcapi: compute_rpcapi.ComputeAPI
    conductor_rpcapi: conductor_rpcapi.ConductorAPI
    compute_api: compute_api.ComputeAPI
    keypairs: keypair_store.KeypairStore
    # The compute API's proxies (pre-2.36 /images, /os-volumes, /os-networks) and its
    # external events act through these, with the caller's token.
    image_proxy: clients.ImageClient
    volume_proxy: clients.VolumeClient
    network_proxy: clients.NetworkClient
    server_groups: server_group_store.ServerGroupStore
    instance_actions: instance_actions.InstanceActionStore
    admin_stores: compute_admin_stores.AdminStores
    quotas: quota_engine.QuotaEngine
    # Resizes' records (os-migrations); None only where nothing resizes.
    migrations: migration_store.MigrationStore | None = None


def build(conf: cfg.ConfigOpts, db: db_api.Database,
          transport: oslo_messaging.Transport) -> ApiServices:
    identity = identity_manager.IdentityManager(conf, db)
    images = image_manager.ImageManager(conf, db, image_stores.load_stores(conf))
    networks = network_manager.NetworkManager(conf, db)
    volume_storage = volume_backend.load_backend(conf)
    volume_flow_persistence = flow_persistence.DatabaseBackend(db)
    # A volume made from an image reads it through the image client, as the caller;
    # the volume flows are held on the jobboard, so a run a dead process left is
    # carried on (the API service takes them over: daemons.api_backend).
    volumes = volume_manager.VolumeManager(
        conf, db, volume_storage,
        images=clients.ImageClient(identity, images, report_steps=False),
        flow_persistence=volume_flow_persistence,
        held_runs=volume_flows.build(
            jobboards.load(conf, db, volume_flow_persistence), volume_flow_persistence,
            lambda name: volume_rebuild.flow_for_resume(name, db, volume_storage),
            host=str(conf.host), claim_expiry=conf.jobboard.claim_expiry,
            poll_interval=conf.jobboard.poll_interval,
            fault_max_delay=(conf.fault_injection.max_delay
                             if conf.fault_injection.enabled else None)))
    instances = instance_store.InstanceStore(db)
    flavors = flavor_store.FlavorStore(db)
    conductor = conductor_rpcapi.ConductorAPI(transport)
    keypairs = keypair_store.KeypairStore(db)
    image_client = clients.ImageClient(identity, images, report_steps=False)
    network_client = clients.NetworkClient(identity, networks, report_steps=False)
    volume_client = clients.VolumeClient(identity, volumes, report_steps=False)
    server_groups = server_group_store.ServerGroupStore(db)
    actions = instance_actions.InstanceActionStore(db)
    scheduler = scheduler_rpcapi.SchedulerAPI(transport)
    admin_stores = compute_admin_stores.build(db, scheduler=scheduler, instances=instances,
                                              host=conf.host)
    quotas = quota_engine.QuotaEngine(db, conf,
                                      server_group_counter=server_group_store.count_usage)
    api = compute_api.ComputeAPI(
        identity=clients.IdentityClient(identity), images=image_client,
        networks=network_client, volumes=volume_client,
        instances=instances, flavors=flavors, conductor=conductor, keypairs=keypairs,
        server_groups=server_groups, instance_actions=actions,
        flavor_access=admin_stores.flavor_access, quotas=quotas,
        max_attempts=conf.scheduler.max_attempts,
        fault_injection_max_delay=(conf.fault_injection.max_delay
                                   if conf.fault_injection.enabled else None))
    return ApiServices(
        conf=conf, db=db, identity=identity, images=images, networks=networks,
        volumes=volumes, instances=instances, flavors=flavors,
        scheduler_rpcapi=scheduler,
        compute_rpcapi=compute_rpcapi.ComputeAPI(
            transport, timeout=conf.conductor.spawn_rpc_timeout),
        conductor_rpcapi=conductor, compute_api=api, keypairs=keypairs, quotas=quotas,
        image_proxy=image_client, volume_proxy=volume_client, network_proxy=network_client,
        server_groups=server_groups, instance_actions=actions, admin_stores=admin_stores,
        migrations=migration_store.MigrationStore(db))
