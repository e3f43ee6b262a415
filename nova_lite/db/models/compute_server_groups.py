"""Compute: server groups, the policy (affinity, anti-affinity...) a set of servers shares.

A member row records its instance and, once the spawn's host recheck has
confirmed it (under the group row's lock), the host the instance was placed on.
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class ServerGroup(TimestampMixin, Base):
    __tablename__ = 'server_groups'
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), index=True)
    user_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    policy: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    # {"max_server_per_host": N} for anti-affinity (2.64); {} otherwise.
    rules: orm.Mapped[dict] = orm.mapped_column(default=dict)


class ServerGroupMember(Base):
    __tablename__ = 'server_group_members'
    # An instance belongs to at most one group (nova's rule).
    instance_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    group_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('server_groups.id', ondelete='CASCADE'), index=True)
    # Set by the host recheck before the spawn; None until then.
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    created_at: orm.Mapped[datetime.datetime]
