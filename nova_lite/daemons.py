"""What each daemon runs: its endpoint or APIs, built inside the service at start.

- ``nova-lite-scheduler``: the scheduler manager (database) on the scheduler topic.
- ``nova-lite-conductor``: the boot and delete flows (database), talking to the
  image, network and block storage APIs over HTTP with the user's token.
- ``nova-lite-compute``: one hypervisor host, ``[DEFAULT] host``; no database.
  It reports its resources to the scheduler at start and every 60 seconds.
- ``nova-lite-api``: the five REST APIs (database and RPC clients).
- ``nova-lite-all``: the embedded cloud (every service, its boot path over
  loopback HTTP) plus the five REST APIs, in one process.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

import oslo_messaging
from oslo_config import cfg

from nova_lite import embedded
from nova_lite.api import services as api_services
from nova_lite.clients import factory as client_factory
from nova_lite.clients import local as local_clients
from nova_lite.common import context as nl_context
from nova_lite.common import rpc
from nova_lite.common import service as nl_service
from nova_lite.compute import manager as compute_manager
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import manager as conductor_manager
from nova_lite.conductor import resource_cleanup, token_seal
from nova_lite.conductor import rpcapi as conductor_rpcapi
from nova_lite.conductor.flows import boot
from nova_lite.db import api as db_api
from nova_lite.scheduler import manager as scheduler_manager
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.virt import imagecache
from nova_lite.virt import loader as virt_loader

LOG = logging.getLogger(__name__)

# A compute host that starts before the scheduler should not hang its start-up.
RESOURCE_REPORT_TIMEOUT = 10.0

# How often a conductor looks for instances in BUILD past [compute] build_timeout.
STUCK_BUILD_CHECK_INTERVAL = 60.0


def scheduler_endpoint(conf: cfg.ConfigOpts,
                       transport: oslo_messaging.Transport) -> nl_service.Endpoint:
    db = db_api.Database.from_conf(conf)
    return nl_service.Endpoint(scheduler_manager.SchedulerManager(conf, db), closed=db.dispose)


def conductor_endpoint(conf: cfg.ConfigOpts,
                       transport: oslo_messaging.Transport) -> nl_service.Endpoint:
    # First: a conductor with no keys to seal tokens with does not start.
    sealer = token_seal.TokenSealer.from_repository(conf.conductor.token_key_repository)
    db = db_api.Database.from_conf(conf)
    services = api_services.build(conf, db, transport)
    clients = client_factory.flow_clients('http', services.identity, services.images,
                                          services.networks, services.volumes)
    deps = boot.BootDependencies(
        instances=services.instances, flavors=services.flavors,
        identity=local_clients.IdentityClient(services.identity), images=clients.images,
        networks=clients.networks, volumes=clients.volumes,
        scheduler=services.scheduler_rpcapi, compute=services.compute_rpcapi,
        sealer=sealer, max_attempts=conf.scheduler.max_attempts)
    resources = resource_cleanup.InstanceResources(
        local_clients.ServiceNetworkClient(services.networks),
        local_clients.ServiceVolumeClient(services.volumes), services.scheduler_rpcapi,
        services.compute_rpcapi)
    manager = conductor_manager.ConductorManager(
        db, deps, resources, boot_workers=conf.conductor.boot_workers,
        flow_workers=conf.conductor.flow_workers,
        **conductor_manager.options_from_conf(conf, db))
    def fail_stuck_builds() -> None:
        manager.fail_stuck_builds(conf.compute.build_timeout)
        manager.purge_finished_runs()

    return nl_service.Endpoint(manager, started=manager.start_taking_over,
                               draining=manager.stop, closed=db.dispose,
                               periodic=[(STUCK_BUILD_CHECK_INTERVAL, fail_stuck_builds)])


def compute_endpoint(conf: cfg.ConfigOpts,
                     transport: oslo_messaging.Transport) -> nl_service.Endpoint:
    host = str(conf.host)
    cache = imagecache.ImageCache(conf.compute.image_cache_dir,
                                  client_factory.compute_image_client(conf))
    manager = compute_manager.ComputeManager(conf, virt_loader.load_driver(conf), cache,
                                             host=host)
    manager.init_host()
    scheduler = scheduler_rpcapi.SchedulerAPI(transport, timeout=RESOURCE_REPORT_TIMEOUT)
    # Well inside [scheduler] service_down_time, so a live host never looks down.
    interval = compute_manager.report_interval(conf)

    def report_resources() -> None:
        ctx = nl_context.get_admin_context()
        try:
            scheduler.update_compute_node(ctx, host, manager.get_host_resources(ctx))
        except oslo_messaging.MessagingTimeout:
            LOG.warning('The scheduler did not answer the resource report of %s; '
                        'retrying in %ds', host, interval)
            return
        LOG.info('Reported the resources of compute host %s to the scheduler', host)

    return nl_service.Endpoint(manager, started=report_resources,
                               periodic=[(interval, report_resources)])


def scheduler_service(conf: cfg.ConfigOpts) -> nl_service.RPCService:
    return nl_service.RPCService(conf, topic=scheduler_rpcapi.TOPIC, server=str(conf.host),
                                 make_endpoint=scheduler_endpoint)


def conductor_service(conf: cfg.ConfigOpts) -> nl_service.RPCService:
    return nl_service.RPCService(conf, topic=conductor_rpcapi.TOPIC, server=str(conf.host),
                                 make_endpoint=conductor_endpoint)


def compute_service(conf: cfg.ConfigOpts) -> nl_service.RPCService:
    return nl_service.RPCService(conf, topic=compute_rpcapi.TOPIC, server=str(conf.host),
                                 make_endpoint=compute_endpoint)


def api_backend(conf: cfg.ConfigOpts) -> nl_service.ApiBackend:
    db = db_api.Database.from_conf(conf)
    transport = rpc.get_transport(conf)

    def close() -> None:
        transport.cleanup()
        db.dispose()

    return nl_service.ApiBackend(api_services.build(conf, db, transport), close)


def api_service(conf: cfg.ConfigOpts) -> nl_service.APIService:
    return nl_service.APIService(conf, lambda: api_backend(conf))


@dataclasses.dataclass
class _EmbeddedBackend:
    conf: cfg.ConfigOpts

    def __call__(self) -> nl_service.ApiBackend:
        # Migrates the database, sets up the Fernet and conductor keys (idempotent).
        cloud = embedded.EmbeddedCloud(self.conf, service_clients='http').start(
            take_over_boots=False)
        return nl_service.ApiBackend(cloud.services, cloud.stop,
                                     serving=cloud.conductor.start_taking_over)


def prepare_embedded_state(conf: cfg.ConfigOpts) -> None:
    """What nova-lite-all makes for itself before it starts: the schema and the keys.

    Idempotent (the embedded cloud does the same again at start); run before
    the start-up checks, which need the identity tables.
    """
    from nova_lite.db import migration
    from nova_lite.identity import fernet_keys

    db = db_api.Database.from_conf(conf)
    try:
        migration.upgrade(db)
    finally:
        db.dispose()
    fernet_keys.setup(conf.identity.fernet_key_repository)
    fernet_keys.setup(conf.conductor.token_key_repository)


def all_in_one_service(conf: cfg.ConfigOpts, *,
                       ready: Callable[[], None] = lambda: None) -> nl_service.APIService:
    """``ready`` runs once every API listens."""
    return nl_service.APIService(conf, _EmbeddedBackend(conf), ready=ready)
