"""The oslo.service service of the five REST APIs, each on its own WSGI server.

Like every nova_lite service (:mod:`nova_lite.common.service`), it builds what
it serves in :meth:`APIService.start`, in the process oslo.service's launcher
forked, and :meth:`APIService.stop` is the whole graceful shutdown.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable

from oslo_config import cfg

from nova_lite.api import server as wsgi_server
from nova_lite.clients import compute_events as compute_events_client
from nova_lite.common import service as nl_service
from nova_lite.wiring import apps as api_apps
from nova_lite.wiring import compute_events, network_agents
from nova_lite.wiring import services as api_services

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class ApiBackend:
    """What the APIs act through, and how to release it after they stopped."""

    services: api_services.ApiServices
    close: Callable[[], None] = nl_service.noop
    # Called once every API listens (nova-lite-all: boots a dead process left
    # are taken over only then, since they reach the APIs over HTTP).
    serving: Callable[[], None] = nl_service.noop


class APIService(nl_service.StoppableService):
    """The five REST APIs; ``make_backend`` builds their services at start."""

    def __init__(self, conf: cfg.ConfigOpts, make_backend: Callable[[], ApiBackend], *,
                 ready: Callable[[], None] = nl_service.noop) -> None:
        """``ready`` runs once every API listens (nova-lite-all tells the user so)."""
        super().__init__()
        self.conf = conf
        self._make_backend = make_backend
        self._ready = ready
        self._backend: ApiBackend | None = None
        self.servers: list[wsgi_server.WSGIServer] = []
        self._compute_events: compute_events_client.ComputeEventsClient | None = None
        # The network service's DHCP and L3 agent heartbeat (this process serves it).
        self._network_agents: network_agents.AgentReporter | None = None

    def start(self) -> None:
        self._backend = self._make_backend()
        try:
            for built in api_apps.build_apps(self.conf, self._backend.services):
                server = wsgi_server.WSGIServer(
                    built.name, built.app, self.conf.api.listen_host, built.port,
                    self.conf.api.wsgi_threads,
                    shutdown_timeout=self.conf.api.shutdown_timeout,
                    backlog=self.conf.api.listen_backlog,
                    keepalive_connections=self.conf.api.max_keepalive_connections,
                    client_timeout=self.conf.api.client_socket_timeout)
                server.start()
                self.servers.append(server)
            self._backend.serving()
            self._network_agents = network_agents.reporter(self.conf,
                                                           self._backend.services.db)
            self._network_agents.start()
            self._compute_events = compute_events.connect(self.conf,
                                                          self._backend.services.networks)
            self._ready()
        except Exception:
            self.stop()
            raise

    def stop(self, graceful: bool = True) -> None:
        # Every API stops accepting at once; each waits for its requests in flight.
        stoppers = [threading.Thread(target=server.stop, name=f'stop-{server.name}')
                    for server in self.servers]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        self.servers = []
        if self._network_agents is not None:
            self._network_agents.stop()
            self._network_agents = None
        if self._compute_events is not None:
            self._compute_events.close()
            self._compute_events = None
        if self._backend is not None:
            self._backend.close()
            self._backend = None
        LOG.info('REST APIs stopped')
        super().stop(graceful)
        self._stopped.set()

