"""Block storage quotas: limits per project and per quota class.

Usage is never stored: it is counted from the volumes and snapshots (under a
lock on the project's :class:`VolumeQuotaProjectLock` row), so two creates in
one project cannot both pass the check for the last unit.
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models.base import Base


class VolumeProjectQuota(Base):
    """A project's own limit of one block storage resource (overrides the class)."""

    __tablename__ = 'volume_quotas'
    __table_args__ = (sa.UniqueConstraint('project_id', 'resource'),)
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(300))
    hard_limit: orm.Mapped[int]
    updated_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)


class VolumeQuotaClass(Base):
    """A quota class's limit of one resource; the 'default' class feeds the defaults."""

    __tablename__ = 'volume_quota_classes'
    __table_args__ = (sa.UniqueConstraint('class_name', 'resource'),)
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    class_name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(300))
    hard_limit: orm.Mapped[int]
    updated_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)


class VolumeQuotaProjectLock(Base):
    """One row per project, locked (SELECT ... FOR UPDATE) while a check counts
    usage and the new volume or snapshot is inserted in the same transaction."""

    __tablename__ = 'volume_quota_project_locks'
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
