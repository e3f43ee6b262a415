"""64 concurrent boots onto 4 hosts of 8 slots, through 2 conductors on the Redis jobboard.

Exactly 32 boots fit: they end ACTIVE, never more than 8 on a host, and the
other 32 end in ERROR (no valid host) holding nothing. Each seed changes the
order of the requests, how many are in flight at once, and a short wait
injected at a random task of each boot; after each round every server is
deleted and the next round must again fit exactly 32.
"""

from __future__ import annotations

import collections
import concurrent.futures
import random
from typing import Any

import pytest

from nova_lite.conductor.flows import keys
from tests.functional import cluster

HOSTS = [f'compute-{i}' for i in range(1, 5)]
SLOTS_PER_HOST = 8
FLAVOR_RAM_MB = 512
BOOTS = 64
SEEDS = (1, 7, 42)


def _round(api: cluster.Api, daemons: cluster.Daemons, resources: dict[str, str],
           seed: int) -> None:
    rng = random.Random(seed)
    names = [f's{seed}-{i}' for i in range(BOOTS)]
    rng.shuffle(names)
    metadata = {name: {'nova_lite:delay_at':
                       f'{rng.choice(keys.BOOT_TASKS)}:{rng.uniform(0, 0.3):.3f}'}
                for name in names}
    with concurrent.futures.ThreadPoolExecutor(max_workers=rng.choice((4, 8, 16))) as pool:
        server_ids = list(pool.map(
            lambda name: api.create_server(name, resources, metadata=metadata[name]), names))
    servers = api.wait_settled(server_ids, timeout=300)
    by_status = collections.Counter(s['status'] for s in servers.values())
    assert by_status == {'ACTIVE': BOOTS // 2, 'ERROR': BOOTS // 2}, (seed, by_status)
    per_host = collections.Counter(s['OS-EXT-SRV-ATTR:host'] for s in servers.values()
                                   if s['status'] == 'ACTIVE')
    assert max(per_host.values()) <= SLOTS_PER_HOST, (seed, per_host)
    assert sum(per_host.values()) == len(HOSTS) * SLOTS_PER_HOST
    for server in servers.values():
        ports = api.ports_of(server['id'])
        if server['status'] == 'ACTIVE':
            assert len(ports) == 1, (seed, server['name'])
        else:
            assert 'No valid host' in server['fault']['message'], (seed, server['fault'])
            assert ports == [], (seed, server['name'])
    audit = daemons.manage('audit', check=False)
    assert audit.returncode == 0, (seed, audit.stdout + audit.stderr)
    # Both conductors ran boots of this round.
    for conductor in ('conductor-1', 'conductor-2'):
        log = daemons.log(conductor)
        assert any(f'Boot of {sid} ' in log or f'instance {sid} is ACTIVE' in log
                   for sid in server_ids), (seed, conductor)
    for server_id in server_ids:
        api.call('DELETE', 'compute', f'/v2.1/servers/{server_id}', 204)
    cluster.wait_until(lambda: not api.servers(), 180, 'the servers to be deleted',
                       interval=0.5)


@pytest.mark.postgresql
@pytest.mark.rabbitmq
def test_64_boots_onto_32_slots_through_2_conductors(
        tmp_path: Any, pg_url: str, rabbit_url: str, redis_namespace: str) -> None:
    daemons = cluster.Daemons(str(tmp_path), pg_url, rabbit_url,
                              redis_namespace=redis_namespace, extra_config=f"""
[fault_injection]
enabled = true

[compute]
memory_mb = {SLOTS_PER_HOST * FLAVOR_RAM_MB}
vcpus = {SLOTS_PER_HOST}
""")
    try:
        daemons.start_cloud(HOSTS, ['conductor-1', 'conductor-2'])
        api = cluster.Api(daemons.ports)
        resources = api.boot_resources(ram=FLAVOR_RAM_MB)
        for seed in SEEDS:
            _round(api, daemons, resources, seed)
    finally:
        daemons.kill_all()
