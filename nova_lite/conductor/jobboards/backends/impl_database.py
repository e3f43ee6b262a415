"""A jobboard in nova_lite's own database (``[jobboard] backend = database``).

Jobs are rows of ``conductor_jobs`` (:mod:`nova_lite.db.models.jobboard`,
migration 0003); ``board`` is the board's namespace, so clouds sharing one
database keep apart. Every change of ownership is ONE conditional statement,
so two conductors racing for a job cannot both win:

- claim: ``UPDATE ... WHERE owner IS NULL OR claim_expires_at <= now``;
- extend_claim, abandon, trash: ``UPDATE ... WHERE owner = who AND`` the claim
  has not expired; consume: ``DELETE`` with the same condition.

On PostgreSQL the second of two concurrent UPDATEs waits for the first's row
lock and then re-checks its WHERE against the new row; SQLite runs writers one
at a time (``BEGIN IMMEDIATE``, see :mod:`nova_lite.db.api`).

Expiry times come from the conductor's clock (:func:`nova_lite.common.timeutils.utcnow`,
microseconds kept on both databases), so conductors sharing a board need
synchronised clocks, as they do for every other timestamp.

A trashed job keeps its row (``trashed_at`` set, ``owner`` who trashed it) for
operators; :meth:`DatabaseJobBoard.trashed_jobs` lists them.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from taskflow import exceptions as tf_exc
from taskflow import states
from taskflow.jobs import base as jobs_base
from taskflow.persistence import models as tf_models

from nova_lite.common import hop_timer, timeutils
from nova_lite.conductor.jobboards.backends import database_statements as statements
from nova_lite.conductor.jobboards.base import ClaimingJobBoard
from nova_lite.db import api as db_api

_MAX_TEXT = 255
_PRIORITY_RANK = {priority.value: rank for rank, priority in enumerate((
    jobs_base.JobPriority.VERY_HIGH, jobs_base.JobPriority.HIGH,
    jobs_base.JobPriority.NORMAL, jobs_base.JobPriority.LOW,
    jobs_base.JobPriority.VERY_LOW))}


@contextlib.contextmanager
def _job_failures(what: str) -> Iterator[None]:
    """Database errors become TaskFlow's JobFailure, as the Redis board's do."""
    try:
        yield
    except sa.exc.SQLAlchemyError:
        tf_exc.raise_with_cause(tf_exc.JobFailure,
                                f'Failed {what} on the database jobboard')


def _text(field: str, value: Any) -> str:
    """``value`` if it is a non-empty string that fits the column, else ValueError."""
    if not isinstance(value, str) or not value:
        raise ValueError(f'{field} must be a non-empty string, not {value!r}')
    if len(value) > _MAX_TEXT:
        raise ValueError(f'{field} must be at most {_MAX_TEXT} characters')
    return value


def _claim_duration(expiry: Any, *, required: bool) -> datetime.timedelta | None:
    """``expiry`` seconds as a timedelta (None: no expiry), or ValueError naming it."""
    if expiry is None and not required:
        return None
    if (isinstance(expiry, bool) or not isinstance(expiry, int | float)
            or not math.isfinite(expiry) or expiry <= 0):
        raise ValueError(f'expiry must be a positive number of seconds, not {expiry!r}')
    return datetime.timedelta(seconds=expiry)


def _is_held(owner: str | None, expires_at: datetime.datetime | None,
             now: datetime.datetime) -> bool:
    """Whether a claim (owner, expiry) is in force at ``now``."""
    return owner is not None and (expires_at is None or expires_at > now)


class DatabaseJob(jobs_base.Job):
    """A job on a :class:`DatabaseJobBoard`; ``state`` and ``last_modified`` are read live."""

    def __init__(self, board: DatabaseJobBoard, row: Mapping[Any, Any], *,
                 backend: Any = None, book: tf_models.LogBook | None = None) -> None:
        book_data = ({'uuid': row['book_uuid'], 'name': row['book_name']}
                     if row['book_uuid'] is not None else None)
        super().__init__(board, row['name'], uuid=row['uuid'], details=row['details'],
                         backend=backend, book=book, book_data=book_data)
        self._db_board = board
        self._created_on: datetime.datetime = row['created_at']
        self._priority = jobs_base.JobPriority.convert(row['priority'])

    @property
    def created_on(self) -> datetime.datetime:
        return self._created_on

    @property
    def last_modified(self) -> datetime.datetime | None:
        return self._db_board.job_last_modified(self)

    @property
    def state(self) -> str:
        return self._db_board.job_state(self)

    @property
    def priority(self) -> jobs_base.JobPriority:
        return self._priority

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DatabaseJob):
            return NotImplemented
        return (self._db_board.namespace, self.uuid) == (other._db_board.namespace, other.uuid)

    def __hash__(self) -> int:
        return hash((self._db_board.namespace, self.uuid))


class DatabaseJobIterator:
    """The jobs of one look at the board, oldest first within each priority.

    The look happens at the first ``next()``; a job listed as unclaimed may be
    claimed by someone else by the time the caller tries (claim then raises
    UnclaimableJob, as on every TaskFlow board).
    """

    def __init__(self, board: DatabaseJobBoard, *, only_unclaimed: bool = False,
                 ensure_fresh: bool = False,
                 jobs: list[DatabaseJob] | None = None) -> None:
        self.board = board
        self.only_unclaimed = only_unclaimed
        self.ensure_fresh = ensure_fresh  # every look reads the table: always fresh
        self._jobs = jobs

    def __iter__(self) -> DatabaseJobIterator:
        return self

    def __next__(self) -> DatabaseJob:
        if self._jobs is None:
            self._jobs = self.board.fetch_jobs(only_unclaimed=self.only_unclaimed)
            self._jobs.reverse()
        if not self._jobs:
            raise StopIteration
        return self._jobs.pop()


class DatabaseJobBoard(ClaimingJobBoard):
    """TaskFlow's jobboard contract on the ``conductor_jobs`` table of ``db``."""

    def __init__(self, name: str, conf: Mapping[str, Any], persistence: Any = None,
                 db: db_api.Database | None = None,
                 clock: Callable[[], datetime.datetime] = timeutils.utcnow) -> None:
        super().__init__(name, dict(conf))
        if db is None:
            raise ValueError('the database jobboard needs db= (nova_lite\'s Database)')
        self._namespace = _text('[jobboard] namespace', conf.get('namespace') or name)
        self._db = db
        self._persistence = persistence
        self._clock = clock
        # Reads must not take SQLite's write lock (see nova_lite.db.api).
        self._read_engine = db.engine.execution_options(sqlite_begin='DEFERRED')
        self._connected = False

    @property
    def namespace(self) -> str:
        """The board's name in the ``board`` column."""
        return self._namespace

    # -- connection ----------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._connected

    def connect(self) -> None:
        """Check that the table is there (``nova-lite-manage db sync`` creates it)."""
        with self._reader('opening the board (is the database migrated?)') as conn:
            conn.execute(statements.PROBE).all()
        self._connected = True

    def close(self) -> None:
        """Nothing to release: the Database belongs to whoever created it."""
        self._connected = False

    def register_entity(self, entity: Any) -> None:
        """Conductors are not registered on this board."""

    @contextlib.contextmanager
    def _writer(self, what: str) -> Iterator[sa.Connection]:
        with hop_timer.hop(hop_timer.PERSIST), _job_failures(what), \
                self._db.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def _reader(self, what: str) -> Iterator[sa.Connection]:
        with hop_timer.hop(hop_timer.PERSIST), _job_failures(what), \
                self._read_engine.connect() as conn:
            yield conn

    def _claim_of(self, conn: sa.Connection, job_uuid: str) -> sa.Row[Any, Any] | None:
        return conn.execute(statements.CLAIM_OF,
                            {'b_board': self._namespace, 'b_job': job_uuid}).first()

    # -- reading -------------------------------------------------------------

    def fetch_jobs(self, *, only_unclaimed: bool = False) -> list[DatabaseJob]:
        """The board's jobs now: higher priority first, then oldest first."""
        params: dict[str, Any] = {'b_board': self._namespace}
        query = statements.BOARD_JOBS
        if only_unclaimed:
            query = statements.UNCLAIMED_JOBS
            params['b_now'] = self._clock()
        with self._reader('listing jobs') as conn:
            rows = conn.execute(query, params).mappings().all()
        ordered = sorted(rows, key=lambda row: (_PRIORITY_RANK.get(row['priority'], 2),
                                                row['created_at'], row['uuid']))
        return [DatabaseJob(self, row, backend=self._persistence) for row in ordered]

    def iterjobs(self, only_unclaimed: bool = False,
                 ensure_fresh: bool = False) -> DatabaseJobIterator:
        return DatabaseJobIterator(self, only_unclaimed=only_unclaimed,
                                   ensure_fresh=ensure_fresh)

    def wait(self, timeout: float | None = None, initial_delay: float = 0.005,
             max_delay: float = 1.0,
             sleep_func: Callable[[float], None] = time.sleep) -> DatabaseJobIterator:
        """Poll until the board holds a job; NotFound after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = initial_delay
        while True:
            jobs = self.fetch_jobs()
            if jobs:
                return DatabaseJobIterator(self, jobs=jobs)
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise tf_exc.NotFound(
                        f'Expired waiting for jobs to arrive; waited {timeout} seconds')
                delay = min(delay * 2, max_delay, remaining)
            else:
                delay = min(delay * 2, max_delay)
            sleep_func(delay)

    @property
    def job_count(self) -> int:
        with self._reader('counting jobs') as conn:
            return conn.execute(statements.COUNT, {'b_board': self._namespace}).scalar_one()

    def find_owner(self, job: jobs_base.Job) -> str | None:
        """Who holds ``job`` now (None if nobody, or its claim has expired)."""
        with self._reader('finding a job\'s owner') as conn:
            row = self._claim_of(conn, job.uuid)
        if row is None or not _is_held(row.owner, row.claim_expires_at, self._clock()):
            return None
        return row.owner

    def job_state(self, job: jobs_base.Job) -> str:
        """UNCLAIMED, CLAIMED, or COMPLETE once consumed or trashed."""
        with self._reader('reading a job\'s state') as conn:
            row = self._claim_of(conn, job.uuid)
        if row is None:
            return states.COMPLETE
        if _is_held(row.owner, row.claim_expires_at, self._clock()):
            return states.CLAIMED
        return states.UNCLAIMED

    def job_last_modified(self, job: jobs_base.Job) -> datetime.datetime | None:
        """When ``job`` was last posted, claimed, abandoned or trashed (None once consumed)."""
        with self._reader('reading when a job changed') as conn:
            return conn.execute(statements.LAST_MODIFIED, {'b_board': self._namespace,
                                                 'b_job': job.uuid}).scalar()

    def trashed_jobs(self) -> list[DatabaseJob]:
        """The jobs trashed on this board, oldest trashing first (for the audit)."""
        with self._reader('listing trashed jobs') as conn:
            rows = conn.execute(statements.TRASHED, {'b_board': self._namespace}).mappings().all()
        return [DatabaseJob(self, row, backend=self._persistence) for row in rows]

    # -- changing ------------------------------------------------------------

    def post(self, name: str, book: tf_models.LogBook | None = None,
             details: Mapping[str, Any] | None = None,
             priority: jobs_base.JobPriority | str = jobs_base.JobPriority.NORMAL,
             ) -> DatabaseJob:
        """Add a job nobody holds; ``book``'s uuid and name are stored, not the book."""
        job_priority = jobs_base.JobPriority.convert(priority)
        job_details = dict(details or {})
        try:
            json.dumps(job_details)
        except (TypeError, ValueError) as exc:
            raise ValueError(f'details must be JSON-serialisable: {exc}') from None
        now = self._clock()
        row = {'uuid': str(uuid.uuid4()), 'board': self._namespace,
               'name': _text('name', name), 'priority': job_priority.value,
               'book_uuid': book.uuid if book is not None else None,
               'book_name': book.name if book is not None else None,
               'details': job_details, 'owner': None, 'claim_expires_at': None,
               'created_at': now, 'last_modified': now, 'trashed_at': None}
        with self._writer('posting a job') as conn:
            conn.execute(statements.POST, row)
        return DatabaseJob(self, row, backend=self._persistence, book=book)

    @jobs_base.check_who
    def claim(self, job: jobs_base.Job, who: str, expiry: float | None = None) -> None:
        duration = _claim_duration(expiry, required=False)
        _text('who', who)
        now = self._clock()
        expires_at = now + duration if duration is not None else None
        with self._writer('claiming a job') as conn:
            claimed = conn.execute(statements.CLAIM, {
                'b_board': self._namespace, 'b_job': job.uuid, 'b_now': now, 'b_who': who,
                'b_expires': expires_at})
            if claimed.rowcount == 1:
                return
            row = self._claim_of(conn, job.uuid)
        if row is None:
            raise tf_exc.NotFound(f'Job {job.uuid} not found to be claimed')
        raise tf_exc.UnclaimableJob(f'Job {job.uuid} already claimed by {row.owner}')

    @jobs_base.check_who
    def extend_claim(self, job: jobs_base.Job, who: str, expiry: float) -> bool:
        duration = _claim_duration(expiry, required=True)
        assert duration is not None
        now = self._clock()
        with self._writer('renewing a claim') as conn:
            renewed = conn.execute(statements.EXTEND, {
                'b_board': self._namespace, 'b_job': job.uuid, 'b_now': now, 'b_who': who,
                'b_expires': now + duration})
            return renewed.rowcount == 1

    def _as_owner(self, job: jobs_base.Job, who: str, action: str,
                  change: sa.Update | sa.Delete) -> None:
        """Run ``change`` on ``job`` if ``who`` holds it; TaskFlow's errors if not."""
        now = self._clock()
        with self._writer(f'trying to {action} a job') as conn:
            params = {'b_board': self._namespace, 'b_job': job.uuid, 'b_now': now,
                      'b_who': who}
            if conn.execute(change, params).rowcount == 1:
                return
            row = self._claim_of(conn, job.uuid)
        if row is None:
            raise tf_exc.NotFound(f'Job {job.uuid} not found (to {action} it)')
        if not _is_held(row.owner, row.claim_expires_at, now):
            raise tf_exc.NotFound(f'Can not {action} job {job.uuid}: nobody holds it')
        raise tf_exc.JobFailure(f'Can not {action} job {job.uuid} which is not owned by '
                                f'{who} (it is actively owned by {row.owner})')

    @jobs_base.check_who
    def consume(self, job: jobs_base.Job, who: str) -> None:
        """Delete the job: done. Only its owner may."""
        self._as_owner(job, who, 'consume', statements.CONSUME)

    @jobs_base.check_who
    def abandon(self, job: jobs_base.Job, who: str) -> None:
        """Give the job back to the board. Only its owner may."""
        self._as_owner(job, who, 'abandon', statements.ABANDON)

    @jobs_base.check_who
    def trash(self, job: jobs_base.Job, who: str) -> None:
        """Move the job aside (kept, listed by :meth:`trashed_jobs`). Only its owner may."""
        self._as_owner(job, who, 'trash', statements.TRASH)
