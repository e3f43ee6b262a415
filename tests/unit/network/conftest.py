"""Fixtures for the network service tests: a manager over the migrated SQLite db."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.db import api as db_api
from nova_lite.db.models import network as models
from nova_lite.network import manager as network_manager


@pytest.fixture
def networks(conf: cfg.ConfigOpts, db: db_api.Database) -> network_manager.NetworkManager:
    return network_manager.NetworkManager(conf, db, rng=random.Random(1234))


@pytest.fixture
def other_ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='other-user', project_id='project-b',
                                     roles=['member', 'reader'])


def count_rows(db: db_api.Database) -> dict[str, int]:
    """How many rows each network table holds (to prove a failed call wrote nothing)."""
    counts = {}
    with db.reader() as session:
        for model in (models.Network, models.Subnet, models.AllocationPool, models.Port,
                      models.IPAllocation):
            counts[model.__tablename__] = session.scalar(
                sa.select(sa.func.count()).select_from(model))
    return counts


@pytest.fixture
def row_counts(db: db_api.Database) -> Callable[[], dict[str, int]]:
    """Row counts of the network tables of the ``db`` fixture, on each call."""
    return lambda: count_rows(db)
