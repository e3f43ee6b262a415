"""Two conductors on the Redis jobboard: a dead or stopped holder's boots are taken over.

Each test starts conductor-1 alone, so that it claims the boots, holds them at
a point by fault injection, and only then starts conductor-2.

- SIGKILL conductor-1: conductor-2 claims each boot once its claim has expired
  (``claim_expiry``) and it has looked at the board (every ``poll_interval``),
  and finishes it.
- SIGSTOP conductor-1 past the expiry, then SIGCONT: conductor-2 has finished
  the boots; the continued conductor-1 finds its claims lost and stops where it
  is: no second spawn, no second port, no revert of the finished boot.
"""

from __future__ import annotations

import datetime
import re
import signal
import time
from typing import Any

import pytest

from tests.functional import cluster

LOG_TIME = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})', re.MULTILINE)


def _logged_at(log: str, text: str) -> float:
    """Wall-clock time (epoch seconds) of the first log line containing ``text``."""
    for line in log.splitlines():
        if text in line and (match := LOG_TIME.match(line)):
            return datetime.datetime.strptime(match.group(1),
                                              '%Y-%m-%d %H:%M:%S.%f').timestamp()
    raise AssertionError(f'no log line with {text!r}')


def _start(tmp_path: Any, pg_url: str, rabbit_url: str,
           redis_namespace: str) -> tuple[cluster.Daemons, cluster.Api, dict[str, str]]:
    daemons = cluster.Daemons(str(tmp_path), pg_url, rabbit_url,
                              redis_namespace=redis_namespace,
                              extra_config='[fault_injection]\nenabled = true\n')
    daemons.start_cloud(['compute-1', 'compute-2'], ['conductor-1'])
    api = cluster.Api(daemons.ports)
    return daemons, api, api.boot_resources()


def _build_requests(daemons: cluster.Daemons, server_id: str) -> int:
    return sum(daemons.log(host).count(f'received the build request for instance {server_id}')
               for host in ('compute-1', 'compute-2'))


def _start_second_conductor(daemons: cluster.Daemons) -> None:
    daemons.run_host('conductor-2', 'conductor')
    cluster.wait_until(lambda: 'Serving nova_lite-conductor' in daemons.log('conductor-2'),
                       120, 'conductor-2 to start')


@pytest.mark.postgresql
@pytest.mark.rabbitmq
def test_sigkill_of_the_holder_hands_the_boot_to_the_other_conductor(
        tmp_path: Any, pg_url: str, rabbit_url: str, redis_namespace: str) -> None:
    daemons, api, resources = _start(tmp_path, pg_url, rabbit_url, redis_namespace)
    try:
        server_id = api.create_server('vm', resources,
                                      metadata={'nova_lite:delay_at': 'spawn:120'})
        cluster.wait_until(lambda: f'spawn of {server_id} waits' in daemons.log('conductor-1'),
                           60, 'conductor-1 to hold the boot before spawn')
        _start_second_conductor(daemons)
        daemons.kill('conductor-1')
        killed_at = time.time()
        server = api.wait_settled([server_id], timeout=60)[server_id]
        active_at = time.time()
        assert server['status'] == 'ACTIVE', server.get('fault')
        log = daemons.log('conductor-2')
        taken_at = _logged_at(log, f'Taking over the boot of {server_id}')
        bound = cluster.CLAIM_EXPIRY + cluster.POLL_INTERVAL
        print(f'\ntakeover {taken_at - killed_at:.2f} s after the SIGKILL, ACTIVE seen '
              f'{active_at - killed_at:.2f} s after it (claim expiry {cluster.CLAIM_EXPIRY} s '
              f'+ poll {cluster.POLL_INTERVAL} s = {bound} s)')
        # Log lines have millisecond stamps; the API poll adds up to half a second.
        assert taken_at - killed_at <= bound + 0.25
        assert len(api.ports_of(server_id)) == 1
        assert _build_requests(daemons, server_id) == 1
        audit = daemons.manage('audit', check=False)
        assert audit.returncode == 0, audit.stdout + audit.stderr
    finally:
        daemons.kill_all()


@pytest.mark.postgresql
@pytest.mark.rabbitmq
def test_a_conductor_stopped_past_its_claim_does_no_duplicate_work(
        tmp_path: Any, pg_url: str, rabbit_url: str, redis_namespace: str) -> None:
    daemons, api, resources = _start(tmp_path, pg_url, rabbit_url, redis_namespace)
    try:
        # One boot held before spawn's work, one after the network task's work
        # (its port made, its result not saved yet).
        before_spawn = api.create_server('before-spawn', resources,
                                         metadata={'nova_lite:delay_at': 'spawn:6'})
        after_network = api.create_server('after-network', resources,
                                          metadata={'nova_lite:delay_after': 'network:6'})
        cluster.wait_until(
            lambda: all(f'{task} of {sid} waits' in daemons.log('conductor-1')
                        for task, sid in (('spawn', before_spawn),
                                          ('network', after_network))),
            60, 'conductor-1 to hold both boots')
        daemons.signal('conductor-1', signal.SIGSTOP)
        _start_second_conductor(daemons)
        servers = api.wait_settled([before_spawn, after_network], timeout=60)
        assert {s['status'] for s in servers.values()} == {'ACTIVE'}
        # conductor-1 was stopped inside its waits; past them it finds its claims lost.
        daemons.signal('conductor-1', signal.SIGCONT)
        cluster.wait_until(
            lambda: all(f'Stopped the boot of {sid} where it was' in daemons.log('conductor-1')
                        for sid in (before_spawn, after_network)),
            30, 'conductor-1 to give up both boots')
        for server_id in (before_spawn, after_network):
            assert api.server(server_id)['status'] == 'ACTIVE'
            assert len(api.ports_of(server_id)) == 1
            assert _build_requests(daemons, server_id) == 1
        log = daemons.log('conductor-1')
        assert f'instance {before_spawn} is ACTIVE' not in log
        assert 'Traceback' not in log
        audit = daemons.manage('audit', check=False)
        assert audit.returncode == 0, audit.stdout + audit.stderr
    finally:
        daemons.kill_all()
