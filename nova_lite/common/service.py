"""oslo.service services of the nova_lite daemons (threading backend).

oslo.service's launcher forks its worker process after the service object is
made, so a service builds everything with threads, sockets or connections
(database engines, transports, WSGI servers) in :meth:`start`, in the worker.
On SIGTERM the launcher calls :meth:`stop` and exits when it returns, so
``stop`` is the whole graceful shutdown: no new work is accepted, work in
flight finishes, then connections are closed.

- :class:`RPCService`: one RPC server for one endpoint on a topic and server
  (the scheduler, the conductor, a compute host), plus periodic tasks
  (:class:`PeriodicTimers`).
- The REST APIs' service is :class:`nova_lite.wiring.api_service.APIService`,
  a :class:`StoppableService` too.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import multiprocessing.synchronize
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

import oslo_messaging
from oslo_config import cfg
from oslo_service import loopingcall
from oslo_service import service as oslo_service

from nova_lite.common import rpc

LOG = logging.getLogger(__name__)


def noop() -> None:
    """Nothing to do (the default of every hook)."""
    return None


# (interval seconds, task): a task its service runs every interval (its result unused).
PeriodicTask = tuple[float, Callable[[], object]]


@dataclasses.dataclass
class Endpoint:
    """An RPC endpoint and what its service does around the RPC server's life.

    ``started`` runs once the server listens, ``draining`` after it stopped
    taking messages (finish the work in flight), ``closed`` last (release
    connections). ``periodic`` holds (interval seconds, task) pairs.
    """

    manager: Any
    started: Callable[[], None] = noop
    draining: Callable[[], None] = noop
    closed: Callable[[], None] = noop
    periodic: list[PeriodicTask] = dataclasses.field(default_factory=list)


EndpointFactory = Callable[[cfg.ConfigOpts, oslo_messaging.Transport], Endpoint]


class StoppableService(oslo_service.Service):
    """A service whose :meth:`wait` returns once :meth:`stop` has run."""

    def __init__(self) -> None:
        super().__init__()
        self._stopped = threading.Event()

    def wait(self) -> None:
        self._stopped.wait()

    def reset(self) -> None:
        """SIGHUP: the launcher mutated the configuration; nothing is rebuilt."""
        LOG.info('%s: configuration reloaded', type(self).__name__)


class RPCService(StoppableService):
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
        self._timers: PeriodicTimers | None = None

    def start(self) -> None:
        self._transport = rpc.get_transport(self.conf)
        self._endpoint = self._make_endpoint(self.conf, self._transport)
        target = oslo_messaging.Target(topic=self.topic, server=self.server)
        self._rpc_server = rpc.get_server(self._transport, target, [self._endpoint.manager])
        self._rpc_server.start()
        LOG.info('Serving %s as %s', self.topic, self.server)
        self._endpoint.started()
        self._timers = PeriodicTimers(self._endpoint.periodic)
        self._timers.start()

    def stop(self, graceful: bool = True) -> None:
        timers, self._timers = self._timers, None
        if timers is not None:
            timers.stop()
        if self._rpc_server is not None:
            self._rpc_server.stop()
        if self._endpoint is not None:
            self._endpoint.draining()
        if self._rpc_server is not None:
            self._rpc_server.wait()
            self._rpc_server = None
        if timers is not None:
            timers.wait()
        if self._endpoint is not None:
            self._endpoint.closed()
            self._endpoint = None
        if self._transport is not None:
            self._transport.cleanup()
            self._transport = None
        LOG.info('Stopped serving %s as %s', self.topic, self.server)
        super().stop(graceful)
        self._stopped.set()


class PeriodicTimers:
    """Runs (interval seconds, task) pairs on oslo.service looping calls.

    Each task first runs one interval after :meth:`start`; a task that raises
    is logged and runs again at its next interval.
    """

    def __init__(self, tasks: list[PeriodicTask]) -> None:
        self._tasks = list(tasks)
        self._timers: list[loopingcall.FixedIntervalLoopingCall] = []

    def start(self) -> None:
        for interval, task in self._tasks:
            timer = loopingcall.FixedIntervalLoopingCall(_logged(task))
            timer.start(interval=interval, initial_delay=interval)
            self._timers.append(timer)

    def stop(self) -> None:
        """Tell every timer to stop (a task running now finishes): see :meth:`wait`."""
        for timer in self._timers:
            timer.stop()

    def wait(self) -> None:
        """Wait until every stopped timer's task has returned."""
        for timer in self._timers:
            timer.wait()
        self._timers = []


def _logged(task: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            task()
        except Exception:
            LOG.exception('Periodic task %s failed', getattr(task, '__name__', task))

    return run


class _FailFast(oslo_service.ServiceBase):
    """Runs ``service``; a start that raises stops the whole daemon, exit status 1.

    oslo.service's launcher runs the service in a worker process and starts a
    new worker whenever one exits, so a service that cannot start (a port
    taken since the pre-flight checks, a database gone) would be started
    again and again, forever, without the daemon ever answering or exiting.
    Here the worker that failed to start sets ``failed`` and sends SIGTERM
    to the launcher's process, which then shuts down like on any SIGTERM.
    """

    def __init__(self, service: oslo_service.ServiceBase,
                 failed: multiprocessing.synchronize.Event) -> None:
        self.service = service
        self._failed = failed

    def start(self) -> None:
        try:
            self.service.start()
        except Exception:
            LOG.exception('%s failed to start; the daemon stops', type(self.service).__name__)
            self._failed.set()
            os.kill(os.getppid(), signal.SIGTERM)
            raise

    def stop(self, graceful: bool = False) -> None:
        self.service.stop(graceful)

    def wait(self) -> None:
        self.service.wait()

    def reset(self) -> None:
        self.service.reset()


def launch(conf: cfg.ConfigOpts, service: oslo_service.ServiceBase) -> int:
    """Run ``service`` under oslo.service's launcher until SIGTERM; the exit status.

    1 when the service failed to start (see :class:`_FailFast`).
    """
    failed = multiprocessing.get_context('fork').Event()
    launcher = oslo_service.launch(conf, _FailFast(service, failed), restart_method='mutate')
    status = int(launcher.wait() or 0)
    return 1 if failed.is_set() else status
