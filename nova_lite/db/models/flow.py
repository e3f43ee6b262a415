"""TaskFlow persistence: one logbook per boot, its flow detail and atom details.

The three tables mirror TaskFlow's own models (LogBook, FlowDetail,
AtomDetail) column for column, so a run saved here loads back exactly; they
are written by :mod:`nova_lite.conductor.persistence`. Deleting a logbook
deletes its flow details and their atom details (ON DELETE CASCADE).
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base


class FlowLogBook(Base):
    """A TaskFlow logbook: nova_lite keeps one per instance boot."""

    __tablename__ = 'logbooks'
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    meta: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    created_at: orm.Mapped[datetime.datetime | None]
    updated_at: orm.Mapped[datetime.datetime | None]


class FlowDetailRecord(Base):
    """A TaskFlow flow detail: the state of one run of a flow."""

    __tablename__ = 'flowdetails'
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    parent_uuid: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('logbooks.uuid', ondelete='CASCADE'), index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    state: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    meta: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)


class AtomDetailRecord(Base):
    """A TaskFlow atom detail: one task's or retry's state, results and failures."""

    __tablename__ = 'atomdetails'
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    parent_uuid: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('flowdetails.uuid', ondelete='CASCADE'), index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    atom_type: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    state: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    intention: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    results: orm.Mapped[dict | list | None] = orm.mapped_column(sa.JSON)
    failure: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    revert_results: orm.Mapped[dict | list | None] = orm.mapped_column(sa.JSON)
    revert_failure: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    version: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    meta: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
