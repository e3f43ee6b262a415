"""Compute: migrations (``os-migrations``): one row per resize of a server.

A resize records where it moves the server (on one host: from the host to
itself), the flavors it moves between and how far it got (``status``:
pre-migrating, finished, confirmed, reverted, error).
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models.base import Base


class Migration(Base):
    __tablename__ = 'migrations'
    __table_args__ = (
        sa.Index('ix_migrations_instance_status', 'instance_uuid', 'status'),
    )
    # The integer id the API shows; ``uuid`` is shown from 2.59 and is the
    # consumer of the old flavor's claim while the resize waits.
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    migration_type: orm.Mapped[str] = orm.mapped_column(sa.String(32), default='resize')
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    source_compute: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    dest_compute: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    old_flavor_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    new_flavor_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
    updated_at: orm.Mapped[datetime.datetime | None]
