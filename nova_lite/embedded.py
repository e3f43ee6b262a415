"""Every nova_lite service in one process: the embedded default.

SQLite under ``state_path``, oslo.messaging on kombu's in-process memory transport (or the
configured transport), one RPC server per service (scheduler, conductor, one
compute service per host) and the service managers behind in-process clients.
``nova-lite demo``, the functional tests and ``nova-lite-all`` assemble the
cloud through :class:`EmbeddedCloud`.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import threading
from typing import Any

import oslo_messaging
from oslo_config import cfg

from nova_lite.api import services as api_services
from nova_lite.clients import factory as client_factory
from nova_lite.clients import local as clients
from nova_lite.common import context as nl_context
from nova_lite.common import rpc
from nova_lite.compute import manager as compute_manager
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import faults, resource_cleanup, token_seal
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
                 fault_injector: faults.FaultInjector = faults.NO_FAULTS,
                 service_clients: str = 'local') -> None:
        """``service_clients`` 'local' calls the image, network and volume managers
        in-process; 'http' goes through their REST APIs (which must be served:
        nova-lite-all serves them), the compute hosts' image caches included."""
        client_factory.check_kind(service_clients)
        self.conf = conf
        self.service_clients = service_clients
        self.db = db_api.Database.from_conf(conf)
        migration.upgrade(self.db)
        fernet_keys.setup(conf.identity.fernet_key_repository)
        # The conductor's keys, which seal users' tokens in saved boots.
        fernet_keys.setup(conf.conductor.token_key_repository)
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
        flow_clients = client_factory.flow_clients(service_clients, self.identity,
                                                   self.images, self.networks, self.volumes)
        self.boot_deps = boot.BootDependencies(
            instances=self.instances, flavors=self.flavors, identity=identity_client,
            images=flow_clients.images, networks=flow_clients.networks,
            volumes=flow_clients.volumes,
            scheduler=self.scheduler_rpcapi, compute=self.compute_rpcapi,
            sealer=token_seal.TokenSealer.from_repository(conf.conductor.token_key_repository),
            max_attempts=conf.scheduler.max_attempts, fault_injector=fault_injector)
        self.resources = resource_cleanup.InstanceResources(
            clients.ServiceNetworkClient(self.networks), clients.ServiceVolumeClient(self.volumes),
            self.scheduler_rpcapi, self.compute_rpcapi)
        self.scheduler = scheduler_manager.SchedulerManager(conf, self.db)
        self.conductor = conductor_manager.ConductorManager(
            self.db, self.boot_deps, self.resources,
            boot_workers=conf.conductor.boot_workers, flow_workers=conf.conductor.flow_workers,
            **conductor_manager.options_from_conf(conf, self.db))
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
        self._stopping = threading.Event()
        self._reporter: threading.Thread | None = None

    def _make_compute_host(self, host: str) -> ComputeHost:
        host_conf = copy.copy(self.conf)
        image_client: imagecache.ImageDownloader = (
            clients.ImageClient(self.identity, self.images) if self.service_clients == 'local'
            else client_factory.compute_image_client(self.conf))
        driver = virt_loader.load_driver(self.conf)
        cache = imagecache.ImageCache(self.conf.compute.image_cache_dir, image_client)
        manager = compute_manager.ComputeManager(host_conf, driver, cache, host=host)
        server = rpc.get_server(
            self.transport,
            oslo_messaging.Target(topic=compute_rpcapi.TOPIC, server=host), [manager])
        return ComputeHost(host=host, manager=manager, server=server)

    def _report_resources(self) -> None:
        """Every compute host tells the scheduler its resources (and that it is up)."""
        ctx = nl_context.get_admin_context()
        for compute in self.compute_hosts:
            self.scheduler_rpcapi.update_compute_node(
                ctx, compute.host, compute.manager.get_host_resources(ctx))

    def _report_loop(self) -> None:
        interval = compute_manager.report_interval(self.conf)
        while not self._stopping.wait(interval):
            try:
                self._report_resources()
            except Exception:
                LOG.exception('Reporting compute resources failed; retrying')
            try:
                self.conductor.fail_stuck_builds(self.conf.compute.build_timeout)
                self.conductor.purge_finished_runs()
            except Exception:
                LOG.exception('Conductor housekeeping failed; retrying')

    def start(self, take_over_boots: bool = True) -> EmbeddedCloud:
        """Start every service; with ``take_over_boots``, the conductor then takes
        over the boots nobody holds (pass False and call
        ``conductor.start_taking_over()`` when the flow's HTTP clients can only
        reach the APIs later)."""
        for server in self._servers:
            server.start()
        for compute in self.compute_hosts:
            compute.manager.init_host()
            compute.server.start()
        self._report_resources()
        self._stopping.clear()
        self._reporter = threading.Thread(target=self._report_loop, daemon=True,
                                          name='compute-resource-report')
        self._reporter.start()
        self._started = True
        if take_over_boots:
            self.conductor.start_taking_over()
        return self

    def stop(self) -> None:
        """Stop taking boots, let the boots in flight finish (they still need the
        scheduler and the compute hosts), then stop the other services."""
        servers = self._servers + [c.server for c in self.compute_hosts]
        self._stopping.set()
        if self._reporter is not None:
            self._reporter.join()
            self._reporter = None
        if self._started:
            conductor_server = self._servers[1]
            conductor_server.stop()
            self.conductor.stop()
            conductor_server.wait()
            others = [server for server in servers if server is not conductor_server]
            for server in others:
                server.stop()
            for server in others:
                server.wait()
        self.transport.cleanup()
        self.db.dispose()
        self._started = False

    def __enter__(self) -> EmbeddedCloud:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()
