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
from nova_lite.db.models import compute as models
from nova_lite.scheduler import manager

HOSTS = ('host-a', 'host-b', 'host-c')
THREADS = 12
FLAVOR = {'vcpus': 1, 'memory_mb': 1024, 'root_gb': 5, 'ephemeral_gb': 0, 'swap': 0}
# Room for exactly two FLAVOR instances per host, whichever resource is counted.
HOST_RESOURCES = {'vcpus': 2, 'memory_mb': 2048, 'local_gb': 10, 'cpu_allocation_ratio': 1.0,
                  'ram_allocation_ratio': 1.0, 'disk_allocation_ratio': 1.0,
                  'hypervisor_type': 'test',
                  'capabilities': {'hypervisor_type': 'test', 'architecture': 'x86_64'}}


def _new_instance(database: db_api.Database, index: int) -> str:
    instance_id = str(uuid.uuid4())
    with database.session() as session:
        session.add(models.Instance(id=instance_id, name=f'vm-{index}', project_id='p',
                                    user_id='u', flavor_id='f', vm_state='building'))
    return instance_id


@pytest.mark.parametrize('db_fixture', ['db', pytest.param('pg_db',
                                                           marks=pytest.mark.postgresql)])
def test_concurrent_boots_never_overcommit(request: pytest.FixtureRequest,
                                           conf: cfg.ConfigOpts, db_fixture: str) -> None:
    database: db_api.Database = request.getfixturevalue(db_fixture)
    scheduler = manager.SchedulerManager(conf, database)
    ctx = nl_context.get_admin_context()
    for host in HOSTS:
        scheduler.update_compute_node(ctx, host, dict(HOST_RESOURCES))
    instance_ids = [_new_instance(database, index) for index in range(THREADS)]
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
        hosts_of = {row.id: row.host for row in session.execute(
            sa.select(models.Instance.id, models.Instance.host))}
    for node in nodes.values():
        assert node.vcpus_used <= node.vcpus * node.cpu_allocation_ratio
        assert node.memory_mb_used <= node.memory_mb * node.ram_allocation_ratio
        assert node.local_gb_used <= node.local_gb * node.disk_allocation_ratio
        # Every host is full: two instances each, counted exactly once.
        assert (node.vcpus_used, node.memory_mb_used, node.local_gb_used) == (2, 2048, 10)
    assert {claim.instance_id for claim in claims} == set(chosen)
    for claim in claims:
        assert nodes[chosen[claim.instance_id]].id == claim.compute_node_id
    # The host is recorded for exactly the instances that got one.
    assert {iid: host for iid, host in hosts_of.items() if host is not None} == chosen

    # Releasing every claim returns every host to zero.
    for instance_id in chosen:
        scheduler.release_claim(ctx, instance_id)
    usage = scheduler.get_host_usage(ctx)
    assert [(n['vcpus_used'], n['memory_mb_used'], n['local_gb_used']) for n in usage] == [
        (0, 0, 0)] * len(HOSTS)
