"""Networking attributes of neutron's API extensions, kept beside the core tables.

``resource_descriptions`` holds the ``description`` (standard-attr-description)
of networks, subnets and ports, keyed by the resource's id; a resource without
a row has the empty description. ``port_extras`` holds a port's allowed
address pairs and extra DHCP options.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base


class ResourceDescription(Base):
    __tablename__ = 'resource_descriptions'
    resource_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')


class PortExtras(Base):
    """A port's allowed address pairs and extra DHCP options (a row only when it has some).

    ``allowed_address_pairs``: ``[{"ip_address": ip-or-cidr, "mac_address": mac}]``;
    ``extra_dhcp_opts``: ``[{"opt_name", "opt_value", "ip_version"}]``.
    """

    __tablename__ = 'port_extras'
    port_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('ports.id', ondelete='CASCADE'), primary_key=True)
    allowed_address_pairs: orm.Mapped[list] = orm.mapped_column(default=list)
    extra_dhcp_opts: orm.Mapped[list] = orm.mapped_column(default=list)
