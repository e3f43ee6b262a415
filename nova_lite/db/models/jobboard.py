"""The conductors' jobboard in nova_lite's own database (``[jobboard] backend = database``).

One row per job posted on a board (:mod:`nova_lite.conductor.jobboards.backends.impl_database`).
Several boards can share the table: ``board`` is the board's namespace. A job
is claimed while ``owner`` is set and ``claim_expires_at`` is NULL (no expiry)
or still in the future; a trashed job keeps its row (``trashed_at`` set, ``owner``
the conductor that trashed it) so operators can see it; a consumed job's row is
deleted.
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base


class ConductorJob(Base):
    """A job on a conductors' jobboard: a boot to run, and who holds it until when."""

    __tablename__ = 'conductor_jobs'
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    board: orm.Mapped[str] = orm.mapped_column(sa.String(255), index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    priority: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    book_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    book_name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    details: orm.Mapped[dict] = orm.mapped_column(sa.JSON)
    owner: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    claim_expires_at: orm.Mapped[datetime.datetime | None]
    created_at: orm.Mapped[datetime.datetime]
    last_modified: orm.Mapped[datetime.datetime]
    trashed_at: orm.Mapped[datetime.datetime | None]
