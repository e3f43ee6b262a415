"""Starting, finding and resuming stored flow runs (one logbook per boot).

A run is a logbook holding one flow detail. The engine's store (``store=``
of ``taskflow.engines.load``) is saved with the run, so a resumed engine
needs only the flow, rebuilt by its factory, and the stored flow detail:
atoms that finished are not run again, atoms left RUNNING or REVERTING by a
dead process run again (so tasks must be idempotent), PENDING ones run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils, uuidutils
from taskflow import engines, states
from taskflow import exceptions as tf_exc
from taskflow import flow as tf_flow
from taskflow.engines import base as engine_base
from taskflow.persistence import models

from nova_lite.conductor.persistence import backend as db_backend
from nova_lite.conductor.persistence import statements as st

# A flow in one of these states will not move again.
FINISHED_STATES = frozenset({states.SUCCESS, states.REVERTED, states.FAILURE})

_RUNS = (sa.select(st.BOOKS.c.uuid.label('book_uuid'), st.BOOKS.c.name.label('book_name'),
                   st.BOOKS.c.created_at, st.FLOWS.c.uuid.label('flow_uuid'),
                   st.FLOWS.c.name.label('flow_name'), st.FLOWS.c.state, st.FLOWS.c.meta)
         .join(st.FLOWS, st.FLOWS.c.parent_uuid == st.BOOKS.c.uuid))
_UNFINISHED_RUNS = _RUNS.where(sa.or_(st.FLOWS.c.state.is_(None),
                                      st.FLOWS.c.state.not_in(sorted(FINISHED_STATES))))
_BOOK_OF_FLOW = sa.select(st.FLOWS.c.parent_uuid).where(st.FLOWS.c.uuid == st.UUID)
_ATOM_STATES = (sa.select(st.ATOMS.c.name, st.ATOMS.c.state)
                .where(st.ATOMS.c.parent_uuid == st.UUID))
_UNFINISHED_BOOKS = (sa.select(st.FLOWS.c.parent_uuid)
                     .where(sa.or_(st.FLOWS.c.state.is_(None),
                                   st.FLOWS.c.state.not_in(sorted(FINISHED_STATES)))))
_FLOW_META = sa.select(st.FLOWS.c.meta).where(st.FLOWS.c.uuid == st.UUID)
_SET_FLOW_META = st.update_by_uuid(st.FLOWS).values(meta=sa.bindparam('meta'))
_SET_FLOW_STATE = st.update_by_uuid(st.FLOWS).values(state=sa.bindparam('state'))
_OLD_FINISHED_BOOKS = (sa.select(st.BOOKS.c.uuid)
                       .where(st.BOOKS.c.created_at < sa.bindparam('cutoff'))
                       .where(st.BOOKS.c.uuid.not_in(_UNFINISHED_BOOKS)))


@dataclasses.dataclass(frozen=True)
class StoredRun:
    """One stored flow run: its logbook, its flow detail and where it stands."""

    book_uuid: str
    book_name: str
    flow_uuid: str
    flow_name: str
    state: str | None
    meta: dict[str, Any]
    created_at: datetime.datetime | None


def start_run(backend: db_backend.DatabaseBackend, flow_name: str, *,
              book_uuid: str | None = None, book_name: str | None = None,
              meta: dict[str, Any] | None = None,
              ) -> tuple[models.LogBook, models.FlowDetail]:
    """Save a new logbook with one (PENDING) flow detail and return both.

    Pass ``book_uuid`` (an instance id, say) to find the run by it later;
    ``meta`` (plain JSON) is stored on the flow detail.
    """
    book = models.LogBook(book_name or flow_name, uuid=book_uuid)
    flow_detail = models.FlowDetail(flow_name, uuid=uuidutils.generate_uuid())
    flow_detail.state = states.PENDING
    flow_detail.meta = dict(meta or {})
    book.add(flow_detail)
    with contextlib.closing(backend.get_connection()) as conn:
        conn.save_logbook(book)
    return book, flow_detail


def load_engine(flow: tf_flow.Flow, backend: db_backend.DatabaseBackend,
                flow_detail: models.FlowDetail, *, book: models.LogBook | None = None,
                store: dict[str, Any] | None = None,
                **options: Any) -> engine_base.Engine:
    """An engine for ``flow`` that saves into (or resumes from) ``flow_detail``.

    ``options`` go to :func:`taskflow.engines.load` (``engine='parallel'``,
    ``executor=...``, ...). Give ``store`` on the first run only: it is saved.
    """
    return engines.load(flow, store=store, flow_detail=flow_detail, book=book,
                        backend=backend, **options)


def load_run(backend: db_backend.DatabaseBackend,
             flow_uuid: str) -> tuple[models.LogBook, models.FlowDetail]:
    """The stored logbook and flow detail (with its atoms) of a run, to resume it."""
    with backend.read_engine.connect() as conn:
        book_uuid = conn.execute(_BOOK_OF_FLOW, {'b_uuid': flow_uuid}).scalar()
    if book_uuid is None:
        raise tf_exc.NotFound(f'No flow details found with uuid {flow_uuid}')
    with contextlib.closing(backend.get_connection()) as conn:
        flow_detail = conn.get_flow_details(flow_uuid)
        book = conn.get_logbook(book_uuid, lazy=True)
    book.add(flow_detail)
    return book, flow_detail


def _to_run(row: sa.RowMapping) -> StoredRun:
    return StoredRun(book_uuid=row['book_uuid'], book_name=row['book_name'],
                     flow_uuid=row['flow_uuid'], flow_name=row['flow_name'],
                     state=row['state'], meta=dict(row['meta'] or {}),
                     created_at=row['created_at'])


def unfinished_runs(backend: db_backend.DatabaseBackend) -> list[StoredRun]:
    """Every stored run whose flow has not reached SUCCESS, REVERTED or FAILURE."""
    with backend.read_engine.connect() as conn:
        return [_to_run(row) for row in conn.execute(_UNFINISHED_RUNS).mappings()]


def runs_of_book(backend: db_backend.DatabaseBackend, book_uuid: str) -> list[StoredRun]:
    """The runs stored in one logbook (for a boot: its one run, if any)."""
    with backend.read_engine.connect() as conn:
        result = conn.execute(_RUNS.where(st.BOOKS.c.uuid == book_uuid)).mappings()
        return [_to_run(row) for row in result]


def atom_states(backend: db_backend.DatabaseBackend, flow_uuid: str) -> dict[str, str | None]:
    """Atom name -> stored state for one run (what a drawing colours by)."""
    with backend.read_engine.connect() as conn:
        return {row.name: row.state for row in conn.execute(_ATOM_STATES,
                                                            {'b_uuid': flow_uuid})}


def purge_finished(backend: db_backend.DatabaseBackend, older_than: datetime.timedelta,
                   now: datetime.datetime | None = None) -> int:
    """Destroy the logbooks created before ``now - older_than`` whose runs all finished.

    Returns how many were destroyed.
    """
    cutoff = (now or timeutils.utcnow()) - older_than
    with backend.read_engine.connect() as conn:
        uuids = list(conn.scalars(_OLD_FINISHED_BOOKS, {'cutoff': cutoff}))
    destroyed = 0
    with contextlib.closing(backend.get_connection()) as tf_conn:
        for book_uuid in uuids:
            with contextlib.suppress(tf_exc.NotFound):  # another conductor was first
                tf_conn.destroy_logbook(book_uuid)
                destroyed += 1
    return destroyed


def count_claim(backend: db_backend.DatabaseBackend, flow_uuid: str, key: str) -> int:
    """Add one to the counter ``key`` of a run's meta and return the new count.

    Called by a job's new holder only, so the read and the write do not race.
    """
    with backend.engine.begin() as conn:
        meta = conn.execute(_FLOW_META, {'b_uuid': flow_uuid}).first()
        if meta is None:
            raise tf_exc.NotFound(f'No flow details found with uuid {flow_uuid}')
        new_meta = dict(meta[0] or {})
        new_meta[key] = int(new_meta.get(key, 0)) + 1
        conn.execute(_SET_FLOW_META, {'b_uuid': flow_uuid, 'meta': new_meta})
    return new_meta[key]


def end_run(backend: db_backend.DatabaseBackend, flow_uuid: str,
            state: str = states.FAILURE) -> None:
    """Mark a run finished without running it (a boot moved aside)."""
    with backend.engine.begin() as conn:
        conn.execute(_SET_FLOW_STATE, {'b_uuid': flow_uuid, 'state': state})
