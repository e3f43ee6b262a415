"""The account of a real boot that was rescheduled: which host failed, which served."""

from __future__ import annotations

import time
from typing import Any

from nova_lite.common import exception
from nova_lite.conductor.flows import keys
from nova_lite.flowviz import account as run_account
from nova_lite.flowviz import boot_flow as drawing


def _break_spawn_on(env, host: str) -> None:
    [compute] = [c for c in env.cloud.compute_hosts if c.host == host]

    def failing_spawn(instance: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        raise exception.VirtDriverError(host=host, reason='hypervisor refused the domain')

    compute.manager.driver.spawn = failing_spawn  # type: ignore[method-assign]


def test_rescheduled_boot_names_the_failed_and_the_serving_host(make_env):
    env = make_env(hosts=['host1', 'host2'])
    _break_spawn_on(env, 'host1')  # host1 is weighed first (ties go by name)
    server = env.boot()
    assert server['status'] == 'ACTIVE', server['fault']
    assert server['host'] == 'host2'

    # The flow's end is recorded a moment after the instance is ACTIVE.
    deadline = time.monotonic() + 30
    while (account := run_account.load_account(env.cloud.db, server['id'], keys.BOOT_FLOW)
           ).flow_state not in run_account.FLOW_END_STATES:
        assert time.monotonic() < deadline, account.lines()
        time.sleep(0.02)
    described = [attempt.describe() for attempt in account.attempts]
    assert len(described) == 2
    assert described[0].startswith('attempt 1 on host1')
    assert described[0].endswith(': spawn FAILED, reverted')
    assert described[1].startswith('attempt 2 on host2')
    assert described[1].endswith(': spawn SUCCESS')
    assert account.lines()[-1] == f'{keys.BOOT_FLOW} ended SUCCESS'
    assert account.ran_twice == ()

    text = drawing.boot_account_text(env.cloud.db, server['id'])
    assert text.startswith(f'boot of instance {server["id"]}\n')
    assert 'spawn FAILED, reverted' in text and 'spawn SUCCESS' in text
    graph = drawing.boot_graph(env.cloud.db, server['id']).to_string()
    assert 'attempt 1 on host1: REVERTED' in graph
    assert 'attempt 2 on host2: SUCCESS' in graph
