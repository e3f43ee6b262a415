"""Image members: the projects a ``shared`` image is offered to, and their answers."""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin


class ImageMember(TimestampMixin, Base):
    __tablename__ = 'image_members'
    image_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('images.id', ondelete='CASCADE'), primary_key=True)
    member: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True, index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(20), default='pending')
