"""Concurrent boots racing for the last slots: the atomic claim lets exactly as many
through as there is room for, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from concurrent import futures
from typing import Any

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import scheduler as models
from nova_lite.scheduler import manager

HOSTS = ('host-a', 'host-b', 'host-c')
THREADS = 12
FLAVOR = {'vcpus': 1, 'memory_mb': 1024, 'root_gb': 5, 'ephemeral_gb': 0, 'swap': 0}
# Room for exactly two FLAVOR instances per host, whichever resource is counted.
HOST_RESOURCES = {'vcpus': 2, 'memory_mb': 2048, 'local_gb': 10, 'cpu_allocation_ratio': 1.0,
                  'ram_allocation_ratio': 1.0, 'disk_allocation_ratio': 1.0,
                  'hypervisor_type': 'test',
                  'capabilities': {'hypervisor_type': 'test', 'architecture': 'x86_64'}}


@pytest.mark.parametrize('db_fixture', ['db', pytest.param('pg_db',
                                                           marks=pytest.mark.postgresql)])
def test_concurrent_boots_never_overcommit(request: pytest.FixtureRequest,
                                           conf: cfg.ConfigOpts, db_fixture: str) -> None:
    database: db_api.Database = request.getfixturevalue(db_fixture)
    scheduler = manager.SchedulerManager(conf, database)
    ctx = nl_context.get_admin_context()
    for host in HOSTS:
        scheduler.update_compute_node(ctx, host, dict(HOST_RESOURCES))
    # The scheduler knows instances only by id (their rows are the compute service's).
    instance_ids = [str(uuid.uuid4()) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)

    def boot(instance_id: str) -> dict[str, Any] | None:
        start.wait()
        spec = {'instance_id': instance_id, 'flavor': dict(FLAVOR),
                'image': {'id': 'img', 'properties': {}}, 'availability_zone': None,
                'ignore_hosts': [], 'num_alternates': 2}
        try:
            return scheduler.select_destinations(ctx, spec)
        except exception.NoValidHost:
            return None

    with futures.ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = dict(zip(instance_ids, pool.map(boot, instance_ids), strict=True))

    chosen = {iid: result['host'] for iid, result in outcomes.items() if result is not None}
    assert len(chosen) == 6
    assert sum(1 for result in outcomes.values() if result is None) == 6

    with database.reader() as session:
        nodes = {node.host: node for node in session.scalars(sa.select(models.ComputeNode))}
        claims = session.scalars(sa.select(models.ResourceClaim)).all()
    for node in nodes.values():
        assert node.vcpus_used <= node.vcpus * node.cpu_allocation_ratio
        assert node.memory_mb_used <= node.memory_mb * node.ram_allocation_ratio
        assert node.local_gb_used <= node.local_gb * node.disk_allocation_ratio
        # Every host is full: two instances each, counted exactly once.
        assert (node.vcpus_used, node.memory_mb_used, node.local_gb_used) == (2, 2048, 10)
    assert {claim.instance_id for claim in claims} == set(chosen)
    # Each selection names the node its claim is on.
    for claim in claims:
        assert nodes[chosen[claim.instance_id]].id == claim.compute_node_id
        assert outcomes[claim.instance_id]['compute_node_id'] == claim.compute_node_id

    # Releasing every claim returns every host to zero.
    for instance_id in chosen:
        scheduler.release_claim(ctx, instance_id)
    usage = scheduler.get_host_usage(ctx)
    assert [(n['vcpus_used'], n['memory_mb_used'], n['local_gb_used']) for n in usage] == [
        (0, 0, 0)] * len(HOSTS)
