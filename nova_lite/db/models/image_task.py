"""Image tasks: glance's asynchronous ``import`` work, one row per import request."""

import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class ImageTask(TimestampMixin, Base):
    """An image task (``/v2/tasks``); ``image_id`` ties an import to its image."""

    __tablename__ = 'image_tasks'
    id: orm.Mapped[str] = uuid_pk()
    type: orm.Mapped[str] = orm.mapped_column(sa.String(30))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(30), index=True)
    owner: orm.Mapped[str | None] = orm.mapped_column(sa.String(255), index=True)
    image_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36), index=True)
    request_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    input: orm.Mapped[dict[str, Any]] = orm.mapped_column(sa.JSON, default=dict)
    result: orm.Mapped[dict[str, Any] | None] = orm.mapped_column(sa.JSON, default=None)
    message: orm.Mapped[str] = orm.mapped_column(sa.Text, default='')
    expires_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(default=None)
