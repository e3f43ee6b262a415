"""Every nova_lite service in one process: the embedded default.

SQLite under ``state_path``, oslo.messaging on ``kombu+memory:////`` (or the
configured transport), one RPC server per service (scheduler, conductor, one
compute service per host) and the service managers behind in-process clients.
``nova-lite demo``, the functional tests and ``nova-lite-all`` assemble the
cloud through :class:`EmbeddedCloud`.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from typing import Any

import oslo_messaging
from oslo_config import cfg

from nova_lite.api import services as api_services
from nova_lite.clients import local as clients
from nova_lite.common import context as nl_context
from nova_lite.common import rpc
from nova_lite.compute import manager as compute_manager
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import faults, resource_cleanup
from nova_lite.conductor import manager as conductor_manager
from nova_lite.conductor import rpcapi as conductor_rpcapi
from nova_lite.conductor.flows import boot
from nova_lite.db import api as db_api
from nova_lite.db import migration
from nova_lite.identity import fernet_keys
from nova_lite.scheduler import manager as scheduler_manager
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.virt import imagecache
from nova_lite.virt import loader as virt_loader

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class ComputeHost:
    """One compute service: its manager (with its virt driver) and RPC server."""

    host: str
    manager: compute_manager.ComputeManager
    server: oslo_messaging.MessageHandlingServer


class EmbeddedCloud:
    """Builds, starts and stops every service of nova_lite in this process."""

    def __init__(self, conf: cfg.ConfigOpts, *, hosts: list[str] | None = None,
                 fault_injector: faults.FaultInjector = faults.NO_FAULTS) -> None:
        self.conf = conf
        self.db = db_api.Database.from_conf(conf)
        migration.upgrade(self.db)
        fernet_keys.setup(conf.identity.fernet_key_repository)
        self.transport = rpc.get_transport(conf)

        self.services = api_services.build(conf, self.db, self.transport)
        self.identity = self.services.identity
        self.images = self.services.images
        self.networks = self.services.networks
        self.volumes = self.services.volumes
        self.instances = self.services.instances
        self.flavors = self.services.flavors
        self.scheduler_rpcapi = self.services.scheduler_rpcapi
        self.compute_rpcapi = self.services.compute_rpcapi
        self.conductor_rpcapi = self.services.conductor_rpcapi
        self.compute_api = self.services.compute_api

        identity_client = clients.IdentityClient(self.identity)
        self.boot_deps = boot.BootDependencies(
            instances=self.instances, flavors=self.flavors, identity=identity_client,
            images=clients.ImageClient(self.identity, self.images),
            networks=clients.NetworkClient(self.identity, self.networks),
            volumes=clients.VolumeClient(self.identity, self.volumes),
            scheduler=self.scheduler_rpcapi, compute=self.compute_rpcapi,
            max_attempts=conf.scheduler.max_attempts, fault_injector=fault_injector)
        self.resources = resource_cleanup.InstanceResources(
            self.networks, self.volumes, self.scheduler_rpcapi, self.compute_rpcapi)
        self.scheduler = scheduler_manager.SchedulerManager(conf, self.db)
        self.conductor = conductor_manager.ConductorManager(
            self.db, self.boot_deps, self.resources,
            boot_workers=conf.conductor.boot_workers, flow_workers=conf.conductor.flow_workers)
        self._servers: list[oslo_messaging.MessageHandlingServer] = [
            rpc.get_server(self.transport,
                           oslo_messaging.Target(topic=scheduler_rpcapi.TOPIC,
                                                 server=conf.host),
                           [self.scheduler]),
            rpc.get_server(self.transport,
                           oslo_messaging.Target(topic=conductor_rpcapi.TOPIC,
                                                 server=conf.host),
                           [self.conductor]),
        ]
        self.compute_hosts = [self._make_compute_host(host) for host in (hosts or [conf.host])]
        self._started = False

    def _make_compute_host(self, host: str) -> ComputeHost:
        host_conf = copy.copy(self.conf)
        image_client = clients.ImageClient(self.identity, self.images)
        driver = virt_loader.load_driver(self.conf)
        cache = imagecache.ImageCache(self.conf.compute.image_cache_dir, image_client)
        manager = compute_manager.ComputeManager(host_conf, driver, cache, host=host)
        server = rpc.get_server(
            self.transport,
            oslo_messaging.Target(topic=compute_rpcapi.TOPIC, server=host), [manager])
        return ComputeHost(host=host, manager=manager, server=server)

    def start(self) -> EmbeddedCloud:
        for server in self._servers:
            server.start()
        ctx = nl_context.get_admin_context()
        for compute in self.compute_hosts:
            compute.manager.init_host()
            compute.server.start()
            self.scheduler_rpcapi.update_compute_node(
                ctx, compute.host, compute.manager.get_host_resources(ctx))
        self._started = True
        return self

    def stop(self) -> None:
        servers = self._servers + [c.server for c in self.compute_hosts]
        if self._started:
            for server in servers:
                server.stop()
            self.conductor.stop()
            for server in servers:
                server.wait()
        self.transport.cleanup()
        self.db.dispose()
        self._started = False

    def __enter__(self) -> EmbeddedCloud:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()
