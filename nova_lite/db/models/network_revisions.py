"""The ``revision_number`` of neutron's standard-attribute resources (standard-attr-revisions).

Networks, subnets, ports, routers and floating IPs carry it as a column of
their own row (security groups and rules had theirs already); it starts at 0,
as neutron's does, and :mod:`nova_lite.network.revisions` bumps it once per
transaction that changes the resource.
"""

import sqlalchemy as sa
from sqlalchemy import orm


class RevisionMixin:
    revision_number: orm.Mapped[int] = orm.mapped_column(default=0, server_default=sa.text('0'))
