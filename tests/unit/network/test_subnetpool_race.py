"""Concurrent subnet creates from one pool on PostgreSQL never get the same CIDR."""

from __future__ import annotations

import random
import threading

from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.db import api as db_api
from nova_lite.network import manager as network_manager
from nova_lite.network import subnet_allocation

THREADS = 4


def test_concurrent_creates_get_distinct_cidrs(pg_db: db_api.Database,
                                               conf: cfg.ConfigOpts) -> None:
    ctx = nl_context.RequestContext(user_id='user-a', project_id='project-a',
                                    roles=['member', 'reader'])
    networks = network_manager.NetworkManager(conf, pg_db, rng=random.Random(3))
    pool = networks.create_subnetpool(ctx, ['10.60.0.0/16'], default_prefixlen=24,
                                      min_prefixlen=24)
    network_ids = [networks.create_network(ctx, name=f'n{i}')['id'] for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    cidrs: list[str] = []
    errors: list[BaseException] = []

    def create(network_id: str) -> None:
        barrier.wait()
        try:
            created = networks.create_subnet(
                ctx, network_id, None,
                subnetpool=subnet_allocation.PoolRequest(pool["id"], None))
            cidrs.append(created['cidr'])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=create, args=(network_id,))
               for network_id in network_ids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert errors == []
    assert sorted(cidrs) == [f'10.60.{i}.0/24' for i in range(THREADS)]
