"""Networking: networks, subnets, allocation pools, ports and IP allocations.

``ip_allocations`` has the subnet and address as its primary key, so the
database itself makes a double allocation of one IP impossible.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common.states import NetworkStatus, PortStatus
from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk
from nova_lite.db.models.network_revisions import RevisionMixin


class Network(RevisionMixin, TimestampMixin, Base):
    __tablename__ = 'networks'
    # Lists are read a page at a time in (created_at, id) order.
    __table_args__ = (sa.Index('ix_networks_listing', 'created_at', 'id'),)
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='', index=True)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    admin_state_up: orm.Mapped[bool] = orm.mapped_column(default=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16), default=NetworkStatus.ACTIVE)
    shared: orm.Mapped[bool] = orm.mapped_column(default=False)
    mtu: orm.Mapped[int] = orm.mapped_column(default=1500)


class Subnet(RevisionMixin, TimestampMixin, Base):
    __tablename__ = 'subnets'
    __table_args__ = (sa.Index('ix_subnets_listing', 'created_at', 'id'),)
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    network_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('networks.id', ondelete='CASCADE'), index=True)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    ip_version: orm.Mapped[int] = orm.mapped_column(default=4)
    cidr: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    gateway_ip: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    enable_dhcp: orm.Mapped[bool] = orm.mapped_column(default=True)
    dns_nameservers: orm.Mapped[list] = orm.mapped_column(default=list)
    # [{"destination": cidr, "nexthop": ip}, ...] in the order given.
    host_routes: orm.Mapped[list] = orm.mapped_column(default=list)
    # The subnet pool it was allocated from (network_subnetpools), if any.
    subnetpool_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36), index=True,
                                                              default=None)
    # IPv6 only: slaac, dhcpv6-stateful, dhcpv6-stateless or None.
    ipv6_ra_mode: orm.Mapped[str | None] = orm.mapped_column(sa.String(16))
    ipv6_address_mode: orm.Mapped[str | None] = orm.mapped_column(sa.String(16))


class AllocationPool(Base):
    __tablename__ = 'allocation_pools'
    id: orm.Mapped[str] = uuid_pk()
    subnet_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('subnets.id', ondelete='CASCADE'), index=True)
    first_ip: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    last_ip: orm.Mapped[str] = orm.mapped_column(sa.String(64))


class Port(RevisionMixin, TimestampMixin, Base):
    __tablename__ = 'ports'
    __table_args__ = (
        sa.UniqueConstraint('network_id', 'mac_address'),
        # A page of a list (all, a project's, a network's) in (created_at, id) order.
        sa.Index('ix_ports_listing', 'created_at', 'id'),
        sa.Index('ix_ports_project_listing', 'project_id', 'created_at', 'id'),
        sa.Index('ix_ports_network_listing', 'network_id', 'created_at', 'id'),
    )
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    network_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('networks.id'), index=True)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    mac_address: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    admin_state_up: orm.Mapped[bool] = orm.mapped_column(default=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16), default=PortStatus.DOWN)
    device_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='', index=True)
    device_owner: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    binding_host_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')


class IPAllocation(Base):
    __tablename__ = 'ip_allocations'
    subnet_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('subnets.id'), primary_key=True)
    ip_address: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    port_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('ports.id', ondelete='CASCADE'), index=True)
    network_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), index=True)
