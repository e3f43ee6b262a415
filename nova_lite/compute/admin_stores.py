"""The stores of the compute administration APIs, built together from one database."""

from __future__ import annotations

import dataclasses

from nova_lite.compute import (
    aggregates,
    flavor_access,
    flavor_extra_specs,
    instance_store,
    services,
)
from nova_lite.db import api as db_api
from nova_lite.scheduler import rpcapi as scheduler_rpcapi


@dataclasses.dataclass(frozen=True)
class AdminStores:
    flavor_access: flavor_access.FlavorAccessStore
    flavor_extra_specs: flavor_extra_specs.FlavorExtraSpecsStore
    services: services.ServiceStore
    aggregates: aggregates.AggregateStore


def build(db: db_api.Database, *, scheduler: scheduler_rpcapi.SchedulerAPI,
          instances: instance_store.InstanceStore, host: str) -> AdminStores:
    """``host``: where this cloud's scheduler runs (``[DEFAULT] host``)."""
    aggregate_store = aggregates.AggregateStore(db, scheduler)
    return AdminStores(flavor_access=flavor_access.FlavorAccessStore(db),
                       flavor_extra_specs=flavor_extra_specs.FlavorExtraSpecsStore(db),
                       services=services.ServiceStore(db, scheduler, instances, host,
                                                      aggregates=aggregate_store),
                       aggregates=aggregate_store)
