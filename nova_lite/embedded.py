"""Every nova_lite service in one process: the embedded default.

SQLite under ``state_path``, oslo.messaging on kombu's in-process memory transport (or the
configured transport), one RPC server per service (scheduler, conductor, one
compute service per host) and the service managers behind in-process clients.
Every part is made by the process builder the daemons use too
(:mod:`nova_lite.wiring.process`); the boots are saved and posted on the
``[jobboard]`` (the database board by default) as in the daemons.
``nova-lite demo``, the functional tests and ``nova-lite-all`` assemble the
cloud through :class:`EmbeddedCloud`.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import oslo_messaging
from oslo_config import cfg

from nova_lite.clients import factory as client_factory
from nova_lite.common import fernet_keys, rpc
from nova_lite.common import service as nl_service
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import faults
from nova_lite.conductor import rpcapi as conductor_rpcapi
from nova_lite.db import api as db_api
from nova_lite.db import migration
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.wiring import process
from nova_lite.wiring import services as api_services

LOG = logging.getLogger(__name__)


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

        self.scheduler = process.build_scheduler(conf, self.db)
        self.conductor = process.build_conductor(
            conf, self.db, self.services, service_clients=service_clients,
            sealer=process.conductor_sealer(conf), fault_injector=fault_injector)
        self.boot_deps = self.conductor.boot_deps
        self.resources = self.conductor.resources
        self._servers: list[oslo_messaging.MessageHandlingServer] = [
            self._rpc_server(scheduler_rpcapi.TOPIC, conf.host, self.scheduler),
            self._rpc_server(conductor_rpcapi.TOPIC, conf.host, self.conductor.manager),
        ]
        self.compute_hosts = [self._make_compute_host(host) for host in (hosts or [conf.host])]
        self._compute_servers = [self._rpc_server(compute_rpcapi.TOPIC, compute.host,
                                                  compute.manager)
                                 for compute in self.compute_hosts]
        self._started = False
        self._timers: nl_service.PeriodicTimers | None = None

    def _rpc_server(self, topic: str, server: str,
                    endpoint: Any) -> oslo_messaging.MessageHandlingServer:
        return rpc.get_server(self.transport,
                              oslo_messaging.Target(topic=topic, server=server), [endpoint])

    def _make_compute_host(self, host: str) -> process.ComputeParts:
        image_client = process.compute_image_client(self.conf, self.service_clients,
                                                    self.services)
        return process.build_compute_host(copy.copy(self.conf), host, image_client,
                                          self.scheduler_rpcapi)

    def periodic_tasks(self) -> list[nl_service.PeriodicTask]:
        """Each compute host's resource report, then the conductor's housekeeping."""
        tasks = [task for compute in self.compute_hosts for task in compute.periodic_tasks()]
        return tasks + self.conductor.periodic_tasks()

    def start(self, take_over_boots: bool = True) -> EmbeddedCloud:
        """Start every service; with ``take_over_boots``, the conductor then takes
        over the boots nobody holds (pass False and call
        ``conductor.start_taking_over()`` when the flow's HTTP clients can only
        reach the APIs later)."""
        for server in self._servers:
            server.start()
        for compute, server in zip(self.compute_hosts, self._compute_servers, strict=True):
            compute.manager.init_host()
            server.start()
        # Every compute host tells the scheduler its resources (and that it is up).
        for compute in self.compute_hosts:
            compute.report_resources()
        self._timers = nl_service.PeriodicTimers(self.periodic_tasks())
        self._timers.start()
        self._started = True
        if take_over_boots:
            self.conductor.start_taking_over()
        return self

    def stop(self) -> None:
        """Stop taking boots, let the boots in flight finish (they still need the
        scheduler and the compute hosts), then stop the other services."""
        self.volumes.flows.stop()
        timers, self._timers = self._timers, None
        if timers is not None:
            timers.stop()
            timers.wait()
        if self._started:
            conductor_server = self._servers[1]
            conductor_server.stop()
            self.conductor.stop()
            conductor_server.wait()
            others = [self._servers[0], *self._compute_servers]
            for server in others:
                server.stop()
            for server in others:
                server.wait()
        self.images.close()
        self.transport.cleanup()
        self.db.dispose()
        self._started = False

    def __enter__(self) -> EmbeddedCloud:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()
