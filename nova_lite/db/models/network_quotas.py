"""Network quotas: a project's own limits.

Usage is never stored: it is counted from the resources themselves (under a
lock on the project's :class:`NetworkQuotaProjectLock` row), so two creates
in one project cannot both pass the check for the last unit.
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models.base import Base


class NetworkProjectQuota(Base):
    """A project's own limit of one network resource (overrides [network_quota])."""

    __tablename__ = 'network_quotas'
    __table_args__ = (sa.UniqueConstraint('project_id', 'resource'),)
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    hard_limit: orm.Mapped[int]
    updated_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)


class NetworkQuotaProjectLock(Base):
    """One row per project, locked (SELECT ... FOR UPDATE) while a check counts
    usage and the new resource is inserted in the same transaction."""

    __tablename__ = 'network_quota_project_locks'
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
