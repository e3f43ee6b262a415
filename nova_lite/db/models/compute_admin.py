"""Compute administration: services, host aggregates and private flavors' projects."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models.base import Base, new_uuid


class Service(Base):
    """One nova service (binary) on one host, as ``/os-services`` shows it.

    Integer ids before microversion 2.53, the uuid from 2.53 on.
    """

    __tablename__ = 'services'
    __table_args__ = (sa.UniqueConstraint('host', 'binary'),)
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True, default=new_uuid)
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    binary: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    disabled: orm.Mapped[bool] = orm.mapped_column(default=False)
    disabled_reason: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    forced_down: orm.Mapped[bool] = orm.mapped_column(default=False)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
    updated_at: orm.Mapped[datetime.datetime | None]


class Aggregate(Base):
    """A named group of compute hosts with metadata (and maybe an availability zone)."""

    __tablename__ = 'aggregates'
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True, default=new_uuid)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
    updated_at: orm.Mapped[datetime.datetime | None]


class AggregateHost(Base):
    __tablename__ = 'aggregate_hosts'
    aggregate_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('aggregates.id', ondelete='CASCADE'), primary_key=True)
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)


class AggregateMetadata(Base):
    """One metadata key of an aggregate; ``availability_zone`` names its zone."""

    __tablename__ = 'aggregate_metadata'
    aggregate_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('aggregates.id', ondelete='CASCADE'), primary_key=True)
    key: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
    value: orm.Mapped[str] = orm.mapped_column(sa.String(255))


class FlavorProject(Base):
    """A project granted a private flavor (``os-flavor-access``)."""

    __tablename__ = 'flavor_projects'
    flavor_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('flavors.id', ondelete='CASCADE'), primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
