"""Declarative base and shared column helpers."""

import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils

NAMING_CONVENTION = {
    'ix': 'ix_%(column_0_label)s',
    'uq': 'uq_%(table_name)s_%(column_0_N_name)s',
    'ck': 'ck_%(table_name)s_%(constraint_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
}


class Base(orm.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict: sa.JSON, list: sa.JSON}


def new_uuid() -> str:
    return str(uuid.uuid4())


class TimestampMixin:
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=timeutils.utcnow)
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        default=None, onupdate=timeutils.utcnow)


def uuid_pk() -> orm.Mapped[str]:
    return orm.mapped_column(sa.String(36), primary_key=True, default=new_uuid)
