"""SIGKILL the conductor at every task boundary of the boot flow and inside every task.

One cloud of separate daemons (the conductor its own process, on RabbitMQ,
PostgreSQL and the Redis jobboard). Each boot is held at one point by fault
injection: ``delay_at=<task>`` holds it after the tasks before it finished and
were saved (a boundary), ``delay_after=<task>`` after the task did its work
but before its result was saved (inside the task, where a re-run would do the
work twice if the task were not idempotent). Once every boot is held at its
point, the conductor is killed with SIGKILL and started again: every boot
must end ACTIVE, with one port, its volume attached once, one domain, and the
audit must find nothing left over.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from nova_lite.conductor.flows import keys
from tests.functional import cluster

# A boot held at a point waits this long; every boot reaches its point well
# before (the conductor runs them all at once), and is killed while it waits.
HOLD_SECONDS = 25.0
POINTS = ([('delay_at', task) for task in keys.BOOT_TASKS]
          + [('delay_after', task) for task in keys.BOOT_TASKS])


def _held(log: str, task: str, server_id: str, where: str) -> bool:
    return bool(re.search(rf'Fault injection: {re.escape(task)} of {server_id} waits '
                          rf'[0-9.]+ s {where}', log))


@pytest.mark.postgresql
@pytest.mark.rabbitmq
def test_sigkill_at_every_boundary_and_inside_every_task(
        tmp_path: Any, pg_url: str, rabbit_url: str, redis_namespace: str) -> None:
    daemons = cluster.Daemons(str(tmp_path), pg_url, rabbit_url,
                              redis_namespace=redis_namespace, extra_config="""
[fault_injection]
enabled = true

[conductor]
boot_workers = 48
flow_workers = 48
""")
    try:
        daemons.start_cloud(['compute-1', 'compute-2'], ['conductor-1'])
        api = cluster.Api(daemons.ports)
        resources = api.boot_resources()
        servers: dict[str, tuple[str, str, str]] = {}
        for kind, task in POINTS:
            volume_id = api.create_volume(f'v-{kind}-{task}')
            server_id = api.create_server(
                f'{kind}-{task}', resources, volume_id=volume_id,
                metadata={f'nova_lite:{kind}': f'{task}:{HOLD_SECONDS}'})
            servers[server_id] = (kind, task, volume_id)

        def all_held() -> bool:
            log = daemons.log('conductor-1')
            return all(_held(log, task, server_id,
                             'before its work' if kind == 'delay_at' else 'after its work')
                       for server_id, (kind, task, _v) in servers.items())

        cluster.wait_until(all_held, HOLD_SECONDS - 5, 'every boot to reach its kill point')
        daemons.kill('conductor-1')
        killed_at = time.monotonic()
        # Only a boot held after mark-active's work is ACTIVE already.
        building = {s['name'] for s in api.servers() if s['status'] == 'BUILD'}
        assert building == {f'{kind}-{task}' for kind, task in POINTS} - {
            f'delay_after-{keys.MARK_ACTIVE}'}
        daemons.run_host('conductor-1', 'conductor')

        settled = api.wait_settled(list(servers), timeout=180)
        print(f'\nall {len(servers)} boots ended {time.monotonic() - killed_at:.1f} s '
              'after the kill')
        for server_id, (kind, task, volume_id) in servers.items():
            server = settled[server_id]
            assert server['status'] == 'ACTIVE', (kind, task, server.get('fault'))
            assert len(api.ports_of(server_id)) == 1, (kind, task)
            attached = api.call('GET', 'compute',
                                f'/v2.1/servers/{server_id}/os-volume_attachments', 200)
            assert [a['volumeId'] for a in attached['volumeAttachments']] == [volume_id]
        log = daemons.log('conductor-1')
        assert log.count('Taking over the boot of') == len(servers)
        audit = daemons.manage('audit', check=False)
        assert audit.returncode == 0, audit.stdout + audit.stderr
        assert '0 orphan(s)' in audit.stdout
    finally:
        daemons.kill_all()
