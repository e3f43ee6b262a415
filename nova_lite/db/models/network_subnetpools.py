"""Subnet pools and address scopes (neutron's subnet_allocation and address-scope).

A pool's prefixes are rows of ``subnetpool_prefixes``; a subnet allocated from
a pool names it in ``subnets.subnetpool_id``. The pool row is locked while a
subnet is allocated from it, so two concurrent creates never get one CIDR.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class AddressScope(TimestampMixin, Base):
    __tablename__ = 'address_scopes'
    __table_args__ = (sa.Index('ix_address_scopes_listing', 'created_at', 'id'),)
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    ip_version: orm.Mapped[int] = orm.mapped_column(default=4)
    shared: orm.Mapped[bool] = orm.mapped_column(default=False)


class SubnetPool(TimestampMixin, Base):
    __tablename__ = 'subnetpools'
    __table_args__ = (sa.Index('ix_subnetpools_listing', 'created_at', 'id'),)
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    ip_version: orm.Mapped[int] = orm.mapped_column(default=4)
    default_prefixlen: orm.Mapped[int] = orm.mapped_column()
    min_prefixlen: orm.Mapped[int] = orm.mapped_column()
    max_prefixlen: orm.Mapped[int] = orm.mapped_column()
    default_quota: orm.Mapped[int | None] = orm.mapped_column(default=None)
    shared: orm.Mapped[bool] = orm.mapped_column(default=False)
    is_default: orm.Mapped[bool] = orm.mapped_column(default=False)
    address_scope_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey('address_scopes.id'), index=True)


class SubnetPoolPrefix(Base):
    __tablename__ = 'subnetpool_prefixes'
    subnetpool_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('subnetpools.id', ondelete='CASCADE'), primary_key=True)
    cidr: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
