"""More concurrent boots than the hosts hold: exactly the capacity goes ACTIVE."""

from __future__ import annotations

import collections

import pytest


@pytest.mark.parametrize('boots', [8, 12])
def test_concurrent_boots_never_overcommit(make_env, boots):
    # Two hosts with two vCPUs each and no overcommit: room for 4 one-vCPU instances.
    env = make_env(hosts=['host1', 'host2'], vcpus=2, cpu_allocation_ratio=1.0)
    created = [env.create(name=f'vm{i}', with_volume=False) for i in range(boots)]
    finished = [env.wait(server['id']) for server in created]
    statuses = collections.Counter(server['status'] for server in finished)
    assert statuses == {'ACTIVE': 4, 'ERROR': boots - 4}
    for server in finished:
        if server['status'] == 'ERROR':
            assert 'No valid host' in server['fault']['message']
            assert env.leftovers(server['id']).total() == 0
    usage = env.host_usage()
    assert usage['host1']['vcpus_used'] == 2 and usage['host2']['vcpus_used'] == 2
    per_host = collections.Counter(s['host'] for s in finished if s['status'] == 'ACTIVE')
    assert per_host == {'host1': 2, 'host2': 2}
