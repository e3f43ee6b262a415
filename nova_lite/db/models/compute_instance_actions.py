"""Compute: instance actions and their events (``os-instance-actions``).

One action per API request that changed a server (create, delete, stop,
pause, ...), keyed by the request id; one event per flow run of it
(``compute_<action>``), with its result.
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models.base import Base


class InstanceAction(Base):
    __tablename__ = 'instance_actions'
    __table_args__ = (
        sa.Index('ix_instance_actions_instance_request', 'instance_uuid', 'request_id'),
        sa.Index('ix_instance_actions_instance_created', 'instance_uuid', 'created_at'),
    )
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    action: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    request_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    start_time: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
    finish_time: orm.Mapped[datetime.datetime | None]
    message: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
    updated_at: orm.Mapped[datetime.datetime | None]


class InstanceActionEvent(Base):
    __tablename__ = 'instance_action_events'
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    action_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('instance_actions.id', ondelete='CASCADE'), index=True)
    event: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    start_time: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
    finish_time: orm.Mapped[datetime.datetime | None]
    result: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    traceback: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    details: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
