"""Layer 3 networking: external networks, routers and floating IPs.

A router's interfaces and gateway are ordinary ports (``device_id`` the
router, ``device_owner`` ``network:router_interface`` or
``network:router_gateway``); a floating IP holds a port on its external
network (``network:floatingip``) whose fixed IP is the floating address, so
IPAM hands out floating addresses as it hands out any other.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk
from nova_lite.db.models.network_revisions import RevisionMixin


class ExternalNetwork(Base):
    """A network with ``router:external`` true (neutron keeps the flag in its own table)."""

    __tablename__ = 'external_networks'
    network_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('networks.id', ondelete='CASCADE'), primary_key=True)


class Router(RevisionMixin, TimestampMixin, Base):
    __tablename__ = 'routers'
    __table_args__ = (sa.Index('ix_routers_listing', 'created_at', 'id'),)
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    admin_state_up: orm.Mapped[bool] = orm.mapped_column(default=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16), default='ACTIVE')
    gw_port_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey('ports.id'), default=None)
    enable_snat: orm.Mapped[bool] = orm.mapped_column(default=True)
    routes: orm.Mapped[list] = orm.mapped_column(default=list)


class FloatingIP(RevisionMixin, TimestampMixin, Base):
    __tablename__ = 'floatingips'
    __table_args__ = (sa.Index('ix_floatingips_listing', 'created_at', 'id'),)
    id: orm.Mapped[str] = uuid_pk()
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    floating_network_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('networks.id'), index=True)
    floating_port_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('ports.id'), unique=True)
    floating_ip_address: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    fixed_port_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey('ports.id'), default=None, index=True)
    fixed_ip_address: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), default=None)
    router_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey('routers.id'), default=None, index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16), default='DOWN')
