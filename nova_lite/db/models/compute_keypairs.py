"""Compute: keypairs, the public keys users boot servers with (by name, per user)."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models.base import Base


class KeyPair(Base):
    __tablename__ = 'key_pairs'
    __table_args__ = (sa.UniqueConstraint('user_id', 'name'),)
    # Nova's keypair ids are integers (GET /os-keypairs/{name} shows one).
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    user_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    fingerprint: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    public_key: orm.Mapped[str] = orm.mapped_column(sa.Text)
    type: orm.Mapped[str] = orm.mapped_column(sa.String(16), default='ssh')
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
    updated_at: orm.Mapped[datetime.datetime | None]
