"""Block storage: pending volume transfers and the volume services' admin state."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class VolumeTransfer(TimestampMixin, Base):
    """A volume offered to whichever project presents the auth key (kept hashed)."""

    __tablename__ = 'volume_transfers'
    id: orm.Mapped[str] = uuid_pk()
    volume_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('volumes.id'), index=True)
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    source_project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), index=True)
    salt: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    key_hash: orm.Mapped[str] = orm.mapped_column(sa.String(128))
    # 3.55: the volume's snapshots stay behind when accepted.
    no_snapshots: orm.Mapped[bool] = orm.mapped_column(default=False,
                                                       server_default=sa.false())


class VolumeServiceState(Base):
    """What an admin set on a volume service (no row: enabled, not frozen)."""

    __tablename__ = 'volume_service_states'
    __table_args__ = (sa.UniqueConstraint('binary', 'host'),)
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    binary: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    disabled: orm.Mapped[bool] = orm.mapped_column(default=False)
    disabled_reason: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    frozen: orm.Mapped[bool] = orm.mapped_column(default=False)
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(default=None)
