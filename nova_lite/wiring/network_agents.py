"""The network service's heartbeat as neutron's DHCP and L3 agent.

The process that serves the network API (``nova-lite-api``, or
``nova-lite-all`` with every service in one process) is where addresses are
handed out and routers kept, so it reports as the ``DHCP agent`` and the
``L3 agent`` of ``[DEFAULT] host``: once when its APIs start, then every
``[network] agent_report_interval`` seconds (see :mod:`nova_lite.network.agents`).
"""

from __future__ import annotations

import logging

from oslo_config import cfg

from nova_lite.common import service as nl_service
from nova_lite.db import api as db_api
from nova_lite.network import agents

LOG = logging.getLogger(__name__)


class AgentReporter:
    """Reports ``host``'s agents at start and then every ``interval`` seconds."""

    def __init__(self, store: agents.AgentStore, host: str, availability_zone: str,
                 interval: float) -> None:
        self._store = store
        self._host = host
        self._zone = availability_zone
        self._interval = interval
        self._timers: nl_service.PeriodicTimers | None = None

    def report(self, starting: bool = False) -> None:
        """One heartbeat; a failure is logged and the next one tries again."""
        try:
            self._store.report(self._host, self._zone, starting=starting)
        except Exception:
            LOG.exception('The network agents of %s could not report; retrying in %ds',
                          self._host, self._interval)

    def start(self) -> None:
        self.report(starting=True)
        LOG.info('The network service reports as the DHCP and L3 agent of %s every %ds',
                 self._host, self._interval)
        self._timers = nl_service.PeriodicTimers([(self._interval, self.report)])
        self._timers.start()

    def stop(self) -> None:
        timers, self._timers = self._timers, None
        if timers is not None:
            timers.stop()
            timers.wait()


def reporter(conf: cfg.ConfigOpts, db: db_api.Database) -> AgentReporter:
    """The reporter of this process's agents, from ``[network]`` and ``[DEFAULT] host``."""
    store = agents.AgentStore(db, conf.network.agent_down_time)
    return AgentReporter(store, conf.host, conf.network.agent_availability_zone,
                         conf.network.agent_report_interval)
