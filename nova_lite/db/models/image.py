"""Image registry: metadata only; bytes live in an image store plugin."""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common.states import ImageStatus
from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class Image(TimestampMixin, Base):
    __tablename__ = 'images'
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255), index=True)
    owner: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32), default=ImageStatus.QUEUED)
    visibility: orm.Mapped[str] = orm.mapped_column(sa.String(16), default='shared')
    disk_format: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    container_format: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    size: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    virtual_size: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    checksum: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    os_hash_algo: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    os_hash_value: orm.Mapped[str | None] = orm.mapped_column(sa.String(128))
    min_disk: orm.Mapped[int] = orm.mapped_column(default=0)
    min_ram: orm.Mapped[int] = orm.mapped_column(default=0)
    protected: orm.Mapped[bool] = orm.mapped_column(default=False)
    os_hidden: orm.Mapped[bool] = orm.mapped_column(default=False)
    location: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    properties: orm.Mapped[dict] = orm.mapped_column(default=dict)
    tags: orm.Mapped[list] = orm.mapped_column(default=list)


class ImageMember(TimestampMixin, Base):
    """A project a ``shared`` image is offered to, and its answer (pending/accepted/rejected)."""

    __tablename__ = 'image_members'
    image_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('images.id', ondelete='CASCADE'), primary_key=True)
    member: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True, index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(20), default='pending')
