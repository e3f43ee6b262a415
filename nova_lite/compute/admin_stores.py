"""The stores of the compute administration APIs, built together from one database."""

from __future__ import annotations

import dataclasses

from nova_lite.compute import flavor_access, flavor_extra_specs
from nova_lite.db import api as db_api


@dataclasses.dataclass(frozen=True)
class AdminStores:
    flavor_access: flavor_access.FlavorAccessStore
    flavor_extra_specs: flavor_extra_specs.FlavorExtraSpecsStore


def build(db: db_api.Database) -> AdminStores:
    return AdminStores(flavor_access=flavor_access.FlavorAccessStore(db),
                       flavor_extra_specs=flavor_extra_specs.FlavorExtraSpecsStore(db))
