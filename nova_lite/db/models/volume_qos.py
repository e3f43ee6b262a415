"""Block storage: QoS specs, their volume type associations and type encryption."""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class QosSpecs(TimestampMixin, Base):
    __tablename__ = 'volume_qos_specs'
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    # Who applies the limits: front-end (the hypervisor), back-end or both.
    consumer: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    specs: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)


class VolumeTypeQos(Base):
    """The QoS specs of a volume type (a type has at most one)."""

    __tablename__ = 'volume_type_qos'
    volume_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volume_types.id', ondelete='CASCADE'),
        primary_key=True)
    qos_specs_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volume_qos_specs.id', ondelete='CASCADE'), index=True)


class VolumeTypeEncryption(TimestampMixin, Base):
    """How the volumes of a type are encrypted (at most one per type)."""

    __tablename__ = 'volume_type_encryption'
    encryption_id: orm.Mapped[str] = uuid_pk()
    volume_type_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volume_types.id', ondelete='CASCADE'), unique=True)
    provider: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    cipher: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    key_size: orm.Mapped[int | None]
    control_location: orm.Mapped[str] = orm.mapped_column(sa.String(32))
