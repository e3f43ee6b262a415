"""Block storage: user messages, what went wrong with a request, for its project."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, uuid_pk


class VolumeMessage(Base):
    """One user message about a resource; kept until ``expires_at``."""

    __tablename__ = 'volume_messages'
    id: orm.Mapped[str] = uuid_pk()
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), index=True)
    request_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    resource_type: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    resource_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36), index=True)
    event_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    message_level: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    detail: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column()
    expires_at: orm.Mapped[datetime.datetime] = orm.mapped_column(index=True)
