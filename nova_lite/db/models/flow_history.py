"""The history of flow runs (the conductor's tables).

``flow_atom_states`` (:class:`FlowAtomState`) keeps the last state of each
atom; ``flow_atom_events`` (:class:`FlowAtomEvent`) keeps every state change,
in order, so a resumed or rescheduled run can be told as it happened: which
attempt ran on which host, which conductor ran which part, which tasks ran
again after a crash. Events are only ever appended.
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base


class FlowAtomEvent(Base):
    """One state change of one atom of an instance's flow run.

    Events of the flow itself (its run starting, resumed or not, and ending)
    have the flow's name as ``atom_name``.
    """

    __tablename__ = 'flow_atom_events'
    # Order of the events of one run (parallel atoms: the order they were written).
    seq: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    instance_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), index=True)
    flow_name: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    atom_name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    state: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    # Which try of the retried subflow (the retry controller's run count); NULL
    # for atoms outside it.
    attempt: orm.Mapped[int | None]
    # The host that try runs on, once its schedule task chose one.
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    # Who ran the engine that changed the state (a conductor's identity).
    runner: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    at: orm.Mapped[datetime.datetime]
    # Where the atom's time went (nova_lite.common.hop_timer totals), on the event
    # that ends its execution or revert; on the flow's end event, its engine's
    # thread's (job post and claim, saves, events). NULL when not measured.
    hops: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)


class FlowAtomState(Base):
    """The state each atom of an instance's boot flow run reached (for drawings)."""

    __tablename__ = 'flow_atom_states'
    instance_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    flow_name: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    atom_name: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
    state: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    runs: orm.Mapped[int] = orm.mapped_column(default=1)
    updated_at: orm.Mapped[datetime.datetime]
