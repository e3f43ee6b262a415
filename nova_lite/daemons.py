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
from nova_lite.common import rpc
from nova_lite.common import service as nl_service
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import rpcapi as conductor_rpcapi
from nova_lite.db import api as db_api
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.wiring import api_service as rest_service
from nova_lite.wiring import process
from nova_lite.wiring import services as api_services

LOG = logging.getLogger(__name__)

# A compute host that starts before the scheduler should not hang its start-up.
RESOURCE_REPORT_TIMEOUT = 10.0


def scheduler_endpoint(conf: cfg.ConfigOpts,
                       transport: oslo_messaging.Transport) -> nl_service.Endpoint:
    db = db_api.Database.from_conf(conf)
    return nl_service.Endpoint(process.build_scheduler(conf, db), closed=db.dispose)


def conductor_endpoint(conf: cfg.ConfigOpts,
                       transport: oslo_messaging.Transport) -> nl_service.Endpoint:
    # First: a conductor with no keys to seal tokens with does not start.
    sealer = process.conductor_sealer(conf)
    db = db_api.Database.from_conf(conf)
    conductor = process.build_conductor(conf, db, api_services.build(conf, db, transport),
                                        service_clients='http', sealer=sealer)
    return nl_service.Endpoint(conductor.manager, started=conductor.start_taking_over,
                               draining=conductor.stop, closed=db.dispose,
                               periodic=conductor.periodic_tasks())


def compute_endpoint(conf: cfg.ConfigOpts,
                     transport: oslo_messaging.Transport) -> nl_service.Endpoint:
    scheduler = scheduler_rpcapi.SchedulerAPI(transport, timeout=RESOURCE_REPORT_TIMEOUT)
    compute = process.build_compute_host(
        conf, str(conf.host), process.compute_image_client(conf, 'http'), scheduler)
    compute.manager.init_host()
    return nl_service.Endpoint(compute.manager, started=compute.report_resources,
                               periodic=compute.periodic_tasks())


def scheduler_service(conf: cfg.ConfigOpts) -> nl_service.RPCService:
    return nl_service.RPCService(conf, topic=scheduler_rpcapi.TOPIC, server=str(conf.host),
                                 make_endpoint=scheduler_endpoint)


def conductor_service(conf: cfg.ConfigOpts) -> nl_service.RPCService:
    return nl_service.RPCService(conf, topic=conductor_rpcapi.TOPIC, server=str(conf.host),
                                 make_endpoint=conductor_endpoint)


def compute_service(conf: cfg.ConfigOpts) -> nl_service.RPCService:
    return nl_service.RPCService(conf, topic=compute_rpcapi.TOPIC, server=str(conf.host),
                                 make_endpoint=compute_endpoint)


def api_backend(conf: cfg.ConfigOpts) -> rest_service.ApiBackend:
    db = db_api.Database.from_conf(conf)
    transport = rpc.get_transport(conf)

    services = api_services.build(conf, db, transport)

    def close() -> None:
        services.volumes.flows.stop()
        services.images.close()
        transport.cleanup()
        db.dispose()

    # Once the APIs listen, the volume flows a dead API process left are carried on.
    return rest_service.ApiBackend(services, close,
                                   serving=services.volumes.flows.start_taking_over)


def api_service(conf: cfg.ConfigOpts) -> rest_service.APIService:
    return rest_service.APIService(conf, lambda: api_backend(conf))


@dataclasses.dataclass
class _EmbeddedBackend:
    conf: cfg.ConfigOpts

    def __call__(self) -> rest_service.ApiBackend:
        # Migrates the database, sets up the Fernet and conductor keys (idempotent).
        cloud = embedded.EmbeddedCloud(self.conf, service_clients='http').start(
            take_over_boots=False)

        def serving() -> None:
            cloud.conductor.start_taking_over()
            cloud.volumes.flows.start_taking_over()

        return rest_service.ApiBackend(cloud.services, cloud.stop, serving=serving)


def prepare_embedded_state(conf: cfg.ConfigOpts) -> None:
    """What nova-lite-all makes for itself before it starts: the schema and the keys.

    Idempotent (the embedded cloud does the same again at start); run before
    the start-up checks, which need the identity tables.
    """
    from nova_lite.common import fernet_keys
    from nova_lite.db import migration

    db = db_api.Database.from_conf(conf)
    try:
        migration.upgrade(db)
    finally:
        db.dispose()
    fernet_keys.setup(conf.identity.fernet_key_repository)
    fernet_keys.setup(conf.conductor.token_key_repository)


def all_in_one_service(conf: cfg.ConfigOpts, *,
                       ready: Callable[[], None] = lambda: None) -> rest_service.APIService:
    """``ready`` runs once every API listens."""
    return rest_service.APIService(conf, _EmbeddedBackend(conf), ready=ready)
