"""The statements of the database jobboard (:mod:`.impl_database`), built once.

SQLAlchemy caches their compiled form. Their parameters: ``b_board`` (the
board's namespace), ``b_job`` (a job's uuid), ``b_now`` (the board's clock),
``b_who`` (a claimer), ``b_expires`` (a claim's expiry).
"""

from __future__ import annotations

import sqlalchemy as sa

from nova_lite.db.models.jobboard import ConductorJob

JOBS: sa.Table = ConductorJob.__table__  # type: ignore[assignment]

_BOARD = sa.bindparam('b_board', type_=JOBS.c.board.type)
_JOB = sa.bindparam('b_job', type_=JOBS.c.uuid.type)
_NOW = sa.bindparam('b_now', type_=JOBS.c.claim_expires_at.type)
_WHO = sa.bindparam('b_who', type_=JOBS.c.owner.type)
_EXPIRES = sa.bindparam('b_expires', type_=JOBS.c.claim_expires_at.type)
# Rows of the board that are not trashed; one job's.
_ON_BOARD = sa.and_(JOBS.c.board == _BOARD, JOBS.c.trashed_at.is_(None))
_THE_JOB = sa.and_(_ON_BOARD, JOBS.c.uuid == _JOB)
# Nobody holds the job: no owner, or the owner's claim has expired.
_UNHELD = sa.or_(JOBS.c.owner.is_(None),
                 sa.and_(JOBS.c.claim_expires_at.is_not(None), JOBS.c.claim_expires_at <= _NOW))
# b_who holds the job and its claim has not expired.
_HELD_BY = sa.and_(JOBS.c.owner == _WHO,
                   sa.or_(JOBS.c.claim_expires_at.is_(None), JOBS.c.claim_expires_at > _NOW))

PROBE = sa.select(JOBS.c.uuid).limit(1)
BOARD_JOBS = sa.select(JOBS).where(_ON_BOARD)
UNCLAIMED_JOBS = BOARD_JOBS.where(_UNHELD)
COUNT = sa.select(sa.func.count()).select_from(JOBS).where(_ON_BOARD)
CLAIM_OF = sa.select(JOBS.c.owner, JOBS.c.claim_expires_at).where(_THE_JOB)
LAST_MODIFIED = sa.select(JOBS.c.last_modified).where(JOBS.c.board == _BOARD,
                                                       JOBS.c.uuid == _JOB)
TRASHED = (sa.select(JOBS).where(JOBS.c.board == _BOARD, JOBS.c.trashed_at.is_not(None))
            .order_by(JOBS.c.trashed_at, JOBS.c.uuid))
POST = JOBS.insert()
CLAIM = (JOBS.update().where(_THE_JOB, _UNHELD)
          .values(owner=_WHO, claim_expires_at=_EXPIRES, last_modified=_NOW))
EXTEND = JOBS.update().where(_THE_JOB, _HELD_BY).values(claim_expires_at=_EXPIRES)
CONSUME = JOBS.delete().where(_THE_JOB, _HELD_BY)
ABANDON = (JOBS.update().where(_THE_JOB, _HELD_BY)
            .values(owner=None, claim_expires_at=None, last_modified=_NOW))
TRASH = (JOBS.update().where(_THE_JOB, _HELD_BY)
          .values(trashed_at=_NOW, claim_expires_at=None, last_modified=_NOW))
