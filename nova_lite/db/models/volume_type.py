"""Block storage: volume types (admin-defined, with extra specs and project access)."""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class VolumeType(TimestampMixin, Base):
    __tablename__ = 'volume_types'
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    is_public: orm.Mapped[bool] = orm.mapped_column(default=True)
    extra_specs: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    # Projects given access to a private type.
    projects: orm.Mapped[list] = orm.mapped_column(sa.JSON, default=list)
