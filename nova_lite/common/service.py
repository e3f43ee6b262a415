"""oslo.service services of the nova_lite daemons (threading backend).

oslo.service's launcher forks its worker process after the service object is
made, so a service builds everything with threads, sockets or connections
(database engines, transports, WSGI servers) in :meth:`start`, in the worker.
On SIGTERM the launcher calls :meth:`stop` and exits when it returns, so
``stop`` is the whole graceful shutdown: no new work is accepted, work in
flight finishes, then connections are closed.

- :class:`RPCService`: one RPC server for one endpoint on a topic and server
  (the scheduler, the conductor, a compute host), plus periodic tasks.
- :class:`APIService`: the five REST APIs, each on its own WSGI server.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import Any

import oslo_messaging
from oslo_config import cfg
from oslo_service import loopingcall
from oslo_service import service as oslo_service

from nova_lite.api import apps as api_apps
from nova_lite.api import server as wsgi_server
from nova_lite.api import services as api_services
from nova_lite.common import rpc

LOG = logging.getLogger(__name__)


def _noop() -> None:
    return None


@dataclasses.dataclass
class Endpoint:
    """An RPC endpoint and what its service does around the RPC server's life.

    ``started`` runs once the server listens, ``draining`` after it stopped
    taking messages (finish the work in flight), ``closed`` last (release
    connections). ``periodic`` holds (interval seconds, task) pairs.
    """

    manager: Any
    started: Callable[[], None] = _noop
    draining: Callable[[], None] = _noop
    closed: Callable[[], None] = _noop
    periodic: list[tuple[float, Callable[[], None]]] = dataclasses.field(default_factory=list)


EndpointFactory = Callable[[cfg.ConfigOpts, oslo_messaging.Transport], Endpoint]


class _StoppableService(oslo_service.Service):
    def __init__(self) -> None:
        super().__init__()
        self._stopped = threading.Event()

    def wait(self) -> None:
        self._stopped.wait()

    def reset(self) -> None:
        """SIGHUP: the launcher mutated the configuration; nothing is rebuilt."""
        LOG.info('%s: configuration reloaded', type(self).__name__)


class RPCService(_StoppableService):
    """Serves one endpoint on ``topic`` as ``server``; the endpoint is made at start."""

    def __init__(self, conf: cfg.ConfigOpts, *, topic: str, server: str,
                 make_endpoint: EndpointFactory) -> None:
        super().__init__()
        self.conf = conf
        self.topic = topic
        self.server = server
        self._make_endpoint = make_endpoint
        self._transport: oslo_messaging.Transport | None = None
        self._rpc_server: oslo_messaging.MessageHandlingServer | None = None
        self._endpoint: Endpoint | None = None
        self._timers: list[loopingcall.FixedIntervalLoopingCall] = []

    def start(self) -> None:
        self._transport = rpc.get_transport(self.conf)
        self._endpoint = self._make_endpoint(self.conf, self._transport)
        target = oslo_messaging.Target(topic=self.topic, server=self.server)
        self._rpc_server = rpc.get_server(self._transport, target, [self._endpoint.manager])
        self._rpc_server.start()
        LOG.info('Serving %s as %s', self.topic, self.server)
        self._endpoint.started()
        for interval, task in self._endpoint.periodic:
            timer = loopingcall.FixedIntervalLoopingCall(_logged(task))
            timer.start(interval=interval, initial_delay=interval)
            self._timers.append(timer)

    def stop(self, graceful: bool = True) -> None:
        for timer in self._timers:
            timer.stop()
        if self._rpc_server is not None:
            self._rpc_server.stop()
        if self._endpoint is not None:
            self._endpoint.draining()
        if self._rpc_server is not None:
            self._rpc_server.wait()
            self._rpc_server = None
        for timer in self._timers:
            timer.wait()
        self._timers = []
        if self._endpoint is not None:
            self._endpoint.closed()
            self._endpoint = None
        if self._transport is not None:
            self._transport.cleanup()
            self._transport = None
        LOG.info('Stopped serving %s as %s', self.topic, self.server)
        super().stop(graceful)
        self._stopped.set()


@dataclasses.dataclass
class ApiBackend:
    """What the APIs act through, and how to release it after they stopped."""

    services: api_services.ApiServices
    close: Callable[[], None] = _noop
    # Called once every API listens (nova-lite-all: boots a dead process left
    # are taken over only then, since they reach the APIs over HTTP).
    serving: Callable[[], None] = _noop


class APIService(_StoppableService):
    """The five REST APIs; ``make_backend`` builds their services at start."""

    def __init__(self, conf: cfg.ConfigOpts, make_backend: Callable[[], ApiBackend], *,
                 ready: Callable[[], None] = _noop) -> None:
        """``ready`` runs once every API listens (nova-lite-all tells the user so)."""
        super().__init__()
        self.conf = conf
        self._make_backend = make_backend
        self._ready = ready
        self._backend: ApiBackend | None = None
        self.servers: list[wsgi_server.WSGIServer] = []

    def start(self) -> None:
        self._backend = self._make_backend()
        try:
            for built in api_apps.build_apps(self.conf, self._backend.services):
                server = wsgi_server.WSGIServer(
                    built.name, built.app, self.conf.api.listen_host, built.port,
                    self.conf.api.wsgi_threads,
                    shutdown_timeout=self.conf.api.shutdown_timeout)
                server.start()
                self.servers.append(server)
            self._backend.serving()
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
        if self._backend is not None:
            self._backend.close()
            self._backend = None
        LOG.info('REST APIs stopped')
        super().stop(graceful)
        self._stopped.set()


def _logged(task: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            task()
        except Exception:
            LOG.exception('Periodic task %s failed', getattr(task, '__name__', task))

    return run


def launch(conf: cfg.ConfigOpts, service: oslo_service.ServiceBase) -> int:
    """Run ``service`` under oslo.service's launcher until SIGTERM; the exit status."""
    launcher = oslo_service.launch(conf, service, restart_method='mutate')
    return int(launcher.wait() or 0)
