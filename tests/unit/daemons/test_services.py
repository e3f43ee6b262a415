"""RPCService: builds its endpoint at start, serves it, stops in order."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import oslo_messaging
import pytest
from oslo_config import cfg

from nova_lite import daemons
from nova_lite.common import context as nl_context
from nova_lite.common import rpc
from nova_lite.common import service as nl_service
from nova_lite.db import api as db_api
from nova_lite.scheduler import rpcapi as scheduler_rpcapi


@pytest.fixture
def rpc_conf(conf: cfg.ConfigOpts) -> cfg.ConfigOpts:
    rpc.register_opts(conf)
    conf.set_override('control_exchange', f'nova_lite_test_{uuid.uuid4().hex[:8]}')
    conf.set_override('rpc_response_timeout', 10)
    return conf


class _Echo:
    target = oslo_messaging.Target(version='1.0')

    def __init__(self) -> None:
        self.release = threading.Event()

    def echo(self, ctx: nl_context.RequestContext, value: Any) -> Any:
        return value

    def slow(self, ctx: nl_context.RequestContext) -> str:
        self.release.wait(5)
        return 'done'


def test_rpc_service_lifecycle(rpc_conf: cfg.ConfigOpts) -> None:
    events: list[str] = []
    echo = _Echo()

    def make(conf: cfg.ConfigOpts, transport: oslo_messaging.Transport) -> nl_service.Endpoint:
        events.append('built')
        return nl_service.Endpoint(echo, started=lambda: events.append('started'),
                                   draining=lambda: events.append('draining'),
                                   closed=lambda: events.append('closed'),
                                   periodic=[(0.05, lambda: events.append('tick'))])

    service = nl_service.RPCService(rpc_conf, topic='echo', server='h1', make_endpoint=make)
    assert events == []  # nothing is built before start (the launcher forks first)
    service.start()
    transport = rpc.get_transport(rpc_conf)
    client = rpc.get_client(transport, oslo_messaging.Target(topic='echo', version='1.0'),
                            timeout=10)
    ctx = nl_context.get_admin_context()
    assert client.prepare(server='h1').call(ctx, 'echo', value={'a': 1}) == {'a': 1}
    time.sleep(0.2)
    assert events[:2] == ['built', 'started'] and 'tick' in events

    # A call in flight when stop() starts still gets its answer.
    answer: dict[str, Any] = {}
    caller = threading.Thread(
        target=lambda: answer.update(r=client.prepare(server='h1').call(ctx, 'slow')))
    caller.start()
    time.sleep(0.2)
    stopper = threading.Thread(target=service.stop)
    stopper.start()
    time.sleep(0.2)
    assert stopper.is_alive()  # waiting for the call in flight
    echo.release.set()
    stopper.join(10)
    caller.join(10)
    assert answer == {'r': 'done'}
    tail = [e for e in events if e != 'tick']
    assert tail[-2:] == ['draining', 'closed']
    service.wait()  # returns at once: stopped
    transport.cleanup()


def test_scheduler_and_compute_daemons_register_a_host(rpc_conf: cfg.ConfigOpts,
                                                       db: db_api.Database) -> None:
    rpc_conf.set_override('virt_driver', 'fake', group='compute')
    rpc_conf.set_override('host', 'compute-a')
    scheduler = daemons.scheduler_service(rpc_conf)
    compute = daemons.compute_service(rpc_conf)
    scheduler.start()
    compute.start()  # reports its resources to the scheduler
    try:
        transport = rpc.get_transport(rpc_conf)
        usage = scheduler_rpcapi.SchedulerAPI(transport, timeout=10).get_host_usage(
            nl_context.get_admin_context())
        assert [u['host'] for u in usage] == ['compute-a']
        transport.cleanup()
    finally:
        compute.stop()
        scheduler.stop()


def test_periodic_timers_run_each_task_at_its_interval_and_survive_a_failure() -> None:
    runs: dict[str, int] = {'ok': 0, 'failing': 0}

    def ok() -> None:
        runs['ok'] += 1

    def failing() -> None:
        runs['failing'] += 1
        raise RuntimeError('housekeeping went wrong')

    timers = nl_service.PeriodicTimers([(0.02, ok), (0.02, failing), (3600.0, ok)])
    timers.start()
    deadline = time.monotonic() + 10
    while runs['failing'] < 3:  # a task that raised runs again at its next interval
        assert time.monotonic() < deadline, runs
        time.sleep(0.01)
    started_stop = time.monotonic()
    timers.stop()
    timers.wait()
    # The hour-long timer does not hold the stop up.
    assert time.monotonic() - started_stop < 5
    stopped_at = dict(runs)
    time.sleep(0.1)
    assert runs == stopped_at
    assert runs['ok'] >= 1


_LAUNCH_A_SERVICE = '''
import sys
from oslo_config import cfg
from nova_lite.common import service

class Failing(service.StoppableService):
    def start(self):
        raise RuntimeError('cannot listen')

sys.exit(service.launch(cfg.ConfigOpts(), Failing()))
'''


def test_a_service_that_cannot_start_ends_the_daemon_instead_of_restarting(
        tmp_path: Any) -> None:
    """oslo.service starts a new worker whenever one exits; one that failed to
    start must end the daemon (status 1), not be started again forever."""
    import subprocess
    import sys

    script = tmp_path / 'launch.py'
    script.write_text(_LAUNCH_A_SERVICE)
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(script)], capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 1, result.stderr
    assert time.monotonic() - started < 30
    # One worker started, failed, and was not started again.
    assert result.stderr.count('Failing failed to start; the daemon stops') == 1
