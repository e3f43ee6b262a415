"""Fixtures of the scheduler tests: a scheduler on a migrated database, hosts, instances."""

from __future__ import annotations

from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.db import api as db_api
from nova_lite.scheduler import manager
from tests.unit.scheduler.helpers import AddHost, MakeInstance, insert_instance


@pytest.fixture
def scheduler(conf: cfg.ConfigOpts, db: db_api.Database) -> manager.SchedulerManager:
    return manager.SchedulerManager(conf, db)


@pytest.fixture
def ctx() -> nl_context.RequestContext:
    return nl_context.get_admin_context()


@pytest.fixture
def add_host(scheduler: manager.SchedulerManager,
             ctx: nl_context.RequestContext) -> AddHost:
    """Register a compute host the way a compute service does (through the manager)."""

    def _add(host: str, **resources: Any) -> dict[str, Any]:
        values: dict[str, Any] = {'vcpus': 4, 'memory_mb': 4096, 'local_gb': 100,
                                  'cpu_allocation_ratio': 1.0, 'hypervisor_type': 'test',
                                  'capabilities': {'hypervisor_type': 'test',
                                                   'architecture': 'x86_64'}}
        values.update(resources)
        return scheduler.update_compute_node(ctx, host, values)

    return _add


@pytest.fixture
def make_instance(db: db_api.Database) -> MakeInstance:
    return lambda name='vm': insert_instance(db, name)
