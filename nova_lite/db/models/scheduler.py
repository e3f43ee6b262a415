"""Scheduler: compute nodes and the resource claims instances hold on them."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class ComputeNode(TimestampMixin, Base):
    """A hypervisor host and its usage; claims update the *_used columns atomically."""

    __tablename__ = 'compute_nodes'
    id: orm.Mapped[str] = uuid_pk()
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    hypervisor_type: orm.Mapped[str] = orm.mapped_column(sa.String(64), default='')
    hypervisor_hostname: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    availability_zone: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='nova')
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True)
    disabled_reason: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    # An admin's forced_down (os-services 2.11): the host counts as down whatever it reports.
    forced_down: orm.Mapped[bool] = orm.mapped_column(default=False, server_default=sa.false())
    # The zone and merged metadata of the host's aggregates, pushed by the compute API.
    aggregate_zone: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    aggregate_metadata: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    vcpus: orm.Mapped[int]
    memory_mb: orm.Mapped[int]
    local_gb: orm.Mapped[int]
    vcpus_used: orm.Mapped[int] = orm.mapped_column(default=0)
    memory_mb_used: orm.Mapped[int] = orm.mapped_column(default=0)
    local_gb_used: orm.Mapped[int] = orm.mapped_column(default=0)
    cpu_allocation_ratio: orm.Mapped[float] = orm.mapped_column(default=4.0)
    ram_allocation_ratio: orm.Mapped[float] = orm.mapped_column(default=1.0)
    disk_allocation_ratio: orm.Mapped[float] = orm.mapped_column(default=1.0)
    reserved_memory_mb: orm.Mapped[int] = orm.mapped_column(default=0)
    capabilities: orm.Mapped[dict] = orm.mapped_column(default=dict)
    last_seen_at: orm.Mapped[datetime.datetime | None]


class ResourceClaim(TimestampMixin, Base):
    """What an instance holds on a compute node; one per instance."""

    __tablename__ = 'resource_claims'
    instance_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    compute_node_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('compute_nodes.id'), index=True)
    vcpus: orm.Mapped[int]
    memory_mb: orm.Mapped[int]
    disk_gb: orm.Mapped[int]
