"""Block storage: generic volume groups, their group types and group snapshots."""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class GroupType(TimestampMixin, Base):
    """A kind of volume group (cinder's group type); ``group_specs`` are free keys."""

    __tablename__ = 'volume_group_types'
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    is_public: orm.Mapped[bool] = orm.mapped_column(default=True)


class GroupTypeSpec(Base):
    """One ``group_specs`` key of a group type."""

    __tablename__ = 'volume_group_type_specs'
    group_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volume_group_types.id', ondelete='CASCADE'),
        primary_key=True)
    key: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
    value: orm.Mapped[str] = orm.mapped_column(sa.String(255))


class VolumeGroup(TimestampMixin, Base):
    """A group of volumes of one project (cinder's generic volume group)."""

    __tablename__ = 'volume_groups'
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    availability_zone: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    group_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volume_group_types.id'), index=True)
    # What the group was made from (create-from-src), if anything.
    group_snapshot_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36), default=None)
    source_group_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36), default=None)


class GroupVolumeType(Base):
    """A volume type the volumes of a group may have."""

    __tablename__ = 'volume_group_volume_types'
    group_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volume_groups.id', ondelete='CASCADE'),
        primary_key=True)
    volume_type_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    position: orm.Mapped[int] = orm.mapped_column(default=0)


class GroupSnapshot(TimestampMixin, Base):
    """A snapshot of every volume of a group, taken together."""

    __tablename__ = 'volume_group_snapshots'
    id: orm.Mapped[str] = uuid_pk()
    group_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volume_groups.id'), index=True)
    group_type_id: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
