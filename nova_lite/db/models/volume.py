"""Block storage: volumes and their attachments."""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common.states import AttachStatus, VolumeStatus
from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class Volume(TimestampMixin, Base):
    __tablename__ = 'volumes'
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255), index=True)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    size: orm.Mapped[int]
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32), default=VolumeStatus.CREATING)
    volume_type: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    availability_zone: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='nova')
    bootable: orm.Mapped[bool] = orm.mapped_column(default=False)
    provider_location: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    volume_metadata: orm.Mapped[dict] = orm.mapped_column('metadata', default=dict)
    # What the volume was made from (cinder's snapshot_id / source_volid), if anything.
    snapshot_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36), default=None)
    source_volid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36), default=None)
    # The image properties a volume carries (cinder's volume_image_metadata).
    image_metadata: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON, default=None)
    # An admin's os-reset_status migration_status (nothing migrates volumes here).
    migration_status: orm.Mapped[str | None] = orm.mapped_column(sa.String(32),
                                                                 default=None)
    # Cinder's admin metadata: 'readonly' ('True'/'False'), 'attached_mode' ('rw'/'ro').
    admin_metadata: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON, default=dict)
    # The generic volume group the volume belongs to (cinder's group_id), if any.
    group_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36), default=None)


class VolumeAttachment(TimestampMixin, Base):
    __tablename__ = 'volume_attachments'
    __table_args__ = (sa.UniqueConstraint('volume_id', 'instance_id'),)
    id: orm.Mapped[str] = uuid_pk()
    volume_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('volumes.id'), index=True)
    instance_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), index=True)
    attach_status: orm.Mapped[str] = orm.mapped_column(sa.String(32),
                                                        default=AttachStatus.RESERVED)
    attached_host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    mountpoint: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    connection_info: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
