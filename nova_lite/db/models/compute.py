"""Compute: flavors, instances, faults (compute nodes and claims are the scheduler's)."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common.states import VmState
from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class Flavor(TimestampMixin, Base):
    __tablename__ = 'flavors'
    id: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    vcpus: orm.Mapped[int]
    memory_mb: orm.Mapped[int]
    root_gb: orm.Mapped[int]
    ephemeral_gb: orm.Mapped[int] = orm.mapped_column(default=0)
    swap: orm.Mapped[int] = orm.mapped_column(default=0)
    rxtx_factor: orm.Mapped[float] = orm.mapped_column(default=1.0)
    is_public: orm.Mapped[bool] = orm.mapped_column(default=True)
    disabled: orm.Mapped[bool] = orm.mapped_column(default=False)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    extra_specs: orm.Mapped[dict] = orm.mapped_column(default=dict)


class Instance(TimestampMixin, Base):
    __tablename__ = 'instances'
    # GET /servers reads a page of the live instances (all, or a project's) by creation time.
    __table_args__ = (
        sa.Index('ix_instances_listing', 'deleted_at', 'created_at', 'id'),
        sa.Index('ix_instances_project_listing', 'project_id', 'deleted_at', 'created_at',
                 'id'),
    )
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), index=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), index=True)
    user_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    image_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    flavor_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255), index=True)
    availability_zone: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    vm_state: orm.Mapped[str] = orm.mapped_column(sa.String(32), default=VmState.BUILDING)
    task_state: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    power_state: orm.Mapped[int] = orm.mapped_column(default=0)
    key_name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    # The public key of ``key_name`` when the server was booted (for the guest).
    key_data: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    instance_metadata: orm.Mapped[dict] = orm.mapped_column('metadata', default=dict)
    build_request: orm.Mapped[dict] = orm.mapped_column(default=dict)
    network_info: orm.Mapped[list] = orm.mapped_column(default=list)
    launched_at: orm.Mapped[datetime.datetime | None]
    terminated_at: orm.Mapped[datetime.datetime | None]
    deleted_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(index=True)
    # Who locked the server ('owner' or 'admin'; None: unlocked) and why (2.73).
    locked_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(16))
    locked_reason: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


class InstanceFault(Base):
    __tablename__ = 'instance_faults'
    id: orm.Mapped[str] = uuid_pk()
    instance_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), index=True)
    code: orm.Mapped[int] = orm.mapped_column(default=500)
    message: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    details: orm.Mapped[str] = orm.mapped_column(sa.Text, default='')
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    created_at: orm.Mapped[datetime.datetime]

