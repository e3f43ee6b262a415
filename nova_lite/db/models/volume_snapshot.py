"""Block storage: volume snapshots (point-in-time copies of a volume)."""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class VolumeSnapshot(TimestampMixin, Base):
    __tablename__ = 'volume_snapshots'
    id: orm.Mapped[str] = uuid_pk()
    volume_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey('volumes.id'), index=True)
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    size: orm.Mapped[int]
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    provider_location: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    # Set by os-update_snapshot_status; else derived from the status.
    progress: orm.Mapped[str | None] = orm.mapped_column(sa.String(255), default=None)
    snapshot_metadata: orm.Mapped[dict] = orm.mapped_column('metadata', default=dict)
    # The group snapshot this snapshot was taken for, if any.
    group_snapshot_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36),
                                                                  default=None)
