"""Compute quotas: limits per project, per user in a project, and per quota class.

Usage is never stored: it is counted from the instances and key pairs (as
nova counts it), under a lock on the project's :class:`QuotaProjectLock` row
so that two boots of one project cannot both pass the check.
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models.base import Base


class ProjectQuota(Base):
    """A project's own limit of one resource (overrides the class default)."""

    __tablename__ = 'quotas'
    __table_args__ = (sa.UniqueConstraint('project_id', 'resource'),)
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    hard_limit: orm.Mapped[int]
    updated_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)


class ProjectUserQuota(Base):
    """One user's limit of one resource in a project (at most the project's)."""

    __tablename__ = 'project_user_quotas'
    __table_args__ = (sa.UniqueConstraint('project_id', 'user_id', 'resource'),)
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    user_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    hard_limit: orm.Mapped[int]
    updated_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)


class QuotaClass(Base):
    """A quota class's limit of one resource; the 'default' class feeds the defaults."""

    __tablename__ = 'quota_classes'
    __table_args__ = (sa.UniqueConstraint('class_name', 'resource'),)
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    class_name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    hard_limit: orm.Mapped[int]
    updated_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)


class QuotaProjectLock(Base):
    """One row per project, locked (SELECT ... FOR UPDATE) while a check counts
    usage and the new instance or key pair is inserted in the same transaction."""

    __tablename__ = 'quota_project_locks'
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
