"""A TaskFlow persistence backend on nova_lite's own database.

TaskFlow's stock SQLAlchemy backend rebuilds its table definitions on every
``get_connection()`` (so SQLAlchemy's compiled-statement cache never hits)
and reads each row back before writing it. This backend runs module-level
statements (:mod:`.statements`) on the tables of :mod:`nova_lite.db.models.flow`,
one short transaction per call, and:

- saves an atom detail with one UPDATE: TaskFlow's storage always hands over
  the fully merged detail, so the read-merge-write of TaskFlow's backends
  amounts to overwriting the row;
- skips rows identical to what it last committed, and (unless
  ``persist_progress``) saves whose only change is a task's progress figure
  (:mod:`.written`);
- returns from ``update_flow_details`` the detail it was given: one engine
  owns a flow at a time (the jobboard's claim), so nothing else adds atoms.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

import sqlalchemy as sa
from taskflow import exceptions as tf_exc
from taskflow.persistence import base, models

from nova_lite.common import hop_timer
from nova_lite.conductor.persistence import rows, written
from nova_lite.conductor.persistence import statements as st
from nova_lite.db import api as db_api

P = ParamSpec('P')
R = TypeVar('R')


def _storage_errors(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn database errors into TaskFlow's StorageFailure (which its storage retries)."""
    def decorator(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return func(*args, **kwargs)
            except sa.exc.SQLAlchemyError:
                tf_exc.raise_with_cause(tf_exc.StorageFailure, f'Failed {what}')
                raise  # not reached: raise_with_cause always raises
        return wrapper
    return decorator


class DatabaseBackend(base.Backend):
    """TaskFlow persistence in nova_lite's database.

    Tables logbooks, flowdetails and atomdetails come from migration 0002;
    the schema belongs to alembic, so ``upgrade()`` does nothing.
    """

    def __init__(self, db: db_api.Database, *, persist_progress: bool = False,
                 write_guard: Callable[[], None] | None = None) -> None:
        """``write_guard`` is called before every write and may raise to refuse it."""
        super().__init__({})
        self.db = db
        self.engine = db.engine
        # Reads must not take SQLite's write lock (see nova_lite.db.api).
        self.read_engine = db.engine.execution_options(sqlite_begin='DEFERRED')
        self.written = written.WrittenAtoms(persist_progress=persist_progress)
        self._write_guard = write_guard
        self._persist_progress = persist_progress

    def fenced(self, write_guard: Callable[[], None]) -> DatabaseBackend:
        """This backend, for one engine whose writes ``write_guard`` must allow.

        A conductor fences a boot's writes with its claim on the boot's job
        (``ClaimLease.ensure``): once the claim is lost, the engine can save
        nothing more (no state, no result, no revert), so it stops where it is.
        """
        return DatabaseBackend(self.db, persist_progress=self._persist_progress,
                               write_guard=write_guard)

    def check_write(self) -> None:
        if self._write_guard is not None:
            self._write_guard()

    def get_connection(self) -> DatabaseConnection:
        return DatabaseConnection(self)

    def close(self) -> None:
        """Nothing to release: the Database belongs to whoever created it."""


class DatabaseConnection(base.Connection):
    """A cheap handle on a :class:`DatabaseBackend`; each call is its own transaction."""

    def __init__(self, backend: DatabaseBackend) -> None:
        self._backend = backend
        self._written = backend.written

    @property
    def backend(self) -> DatabaseBackend:
        return self._backend

    def close(self) -> None:
        pass

    @contextlib.contextmanager
    def _writer(self) -> Iterator[sa.Connection]:
        with hop_timer.hop(hop_timer.PERSIST), self._backend.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def _reader(self) -> Iterator[sa.Connection]:
        with hop_timer.hop(hop_timer.PERSIST), self._backend.read_engine.connect() as conn:
            yield conn

    @_storage_errors('validating the persistence tables')
    def validate(self) -> None:
        with self._reader() as conn:
            conn.execute(st.PROBE).all()

    def upgrade(self) -> None:
        """Nothing to do: alembic (``nova-lite-manage db sync``) owns the schema."""

    @_storage_errors('clearing all logbooks')
    def clear_all(self) -> None:
        with self._writer() as conn:
            conn.execute(st.ATOMS.delete())
            conn.execute(st.FLOWS.delete())
            conn.execute(st.BOOKS.delete())
        self._written.forget()

    # -- writes ----------------------------------------------------------

    @_storage_errors('updating an atom detail')
    def update_atom_details(self, atom_detail: models.AtomDetail) -> models.AtomDetail:
        self._backend.check_write()
        row = rows.atom_to_row(atom_detail, '')
        fingerprint = self._written.fingerprint(row)
        if self._written.unchanged(atom_detail.uuid, fingerprint):
            return atom_detail
        params = {field: row[field] for field in st.ATOM_FIELDS}
        params['b_uuid'] = atom_detail.uuid
        with self._writer() as conn:
            if conn.execute(st.UPDATE_ATOM, params).rowcount == 0:
                raise tf_exc.NotFound(f'No atom details found with uuid {atom_detail.uuid}')
        self._written.remember({atom_detail.uuid: fingerprint})
        return atom_detail

    def _changed_atoms(self, flow_detail: models.FlowDetail,
                       ) -> tuple[list[dict[str, Any]], dict[str, str]]:
        changed, fingerprints = [], {}
        for atom_detail in flow_detail:
            row = rows.atom_to_row(atom_detail, flow_detail.uuid)
            fingerprint = self._written.fingerprint(row)
            if not self._written.unchanged(atom_detail.uuid, fingerprint):
                changed.append(row)
                fingerprints[atom_detail.uuid] = fingerprint
        return changed, fingerprints

    @_storage_errors('updating a flow detail')
    def update_flow_details(self, flow_detail: models.FlowDetail) -> models.FlowDetail:
        self._backend.check_write()
        atom_rows, fingerprints = self._changed_atoms(flow_detail)
        params = {field: getattr(flow_detail, field) for field in st.FLOW_FIELDS}
        params['b_uuid'] = flow_detail.uuid
        with self._writer() as conn:
            if conn.execute(st.UPDATE_FLOW, params).rowcount == 0:
                raise tf_exc.NotFound(f'No flow details found with uuid {flow_detail.uuid}')
            st.upsert(conn, st.ATOMS, atom_rows)
        self._written.remember(fingerprints)
        return flow_detail

    @_storage_errors('saving a logbook')
    def save_logbook(self, book: models.LogBook) -> models.LogBook:
        """Save a logbook; an existing one is merged: its other flows are kept."""
        self._backend.check_write()
        book_row = rows.book_to_row(book)
        flow_rows = [rows.flow_to_row(fd, book.uuid) for fd in book]
        atom_rows = [rows.atom_to_row(ad, fd.uuid) for fd in book for ad in fd]
        fingerprints = {row['uuid']: self._written.fingerprint(row) for row in atom_rows}
        with self._writer() as conn:
            if conn.execute(st.BOOK_EXISTS, {'b_uuid': book.uuid}).first() is None:
                conn.execute(st.BOOKS.insert(), book_row)
                if flow_rows:
                    conn.execute(st.FLOWS.insert(), flow_rows)
                if atom_rows:
                    conn.execute(st.ATOMS.insert(), atom_rows)
                saved = book
            else:
                params = {field: book_row[field] for field in st.BOOK_FIELDS}
                conn.execute(st.UPDATE_BOOK, {**params, 'b_uuid': book.uuid})
                st.upsert(conn, st.FLOWS, flow_rows)
                st.upsert(conn, st.ATOMS, atom_rows)
                saved = self._load_book(conn, book.uuid, lazy=False)
        self._written.remember(fingerprints)
        return saved

    @_storage_errors('destroying a logbook')
    def destroy_logbook(self, book_uuid: str) -> None:
        params = {'b_uuid': book_uuid}
        with self._writer() as conn:
            conn.execute(st.DELETE_ATOMS_OF_BOOK, params)
            conn.execute(st.DELETE_FLOWS_OF_BOOK, params)
            if conn.execute(st.DELETE_BOOK, params).rowcount == 0:
                raise tf_exc.NotFound(f'No logbook found with uuid {book_uuid}')
        self._written.forget()

    # -- reads -----------------------------------------------------------

    @staticmethod
    def _attach_atoms(conn: sa.Connection, flows: dict[str, models.FlowDetail],
                      statement: sa.Select, params: dict[str, Any] | None = None) -> None:
        for row in conn.execute(statement, params or {}).mappings():
            flow_detail = flows.get(row['parent_uuid'])
            if flow_detail is not None:
                flow_detail.add(rows.atom_from_row(row))

    def _load_flow(self, conn: sa.Connection, fd_uuid: str, lazy: bool) -> models.FlowDetail:
        row = conn.execute(st.SELECT_FLOW, {'b_uuid': fd_uuid}).mappings().first()
        if row is None:
            raise tf_exc.NotFound(f'No flow details found with uuid {fd_uuid}')
        flow_detail = rows.flow_from_row(row)
        if not lazy:
            self._attach_atoms(conn, {fd_uuid: flow_detail}, st.ATOMS_OF_FLOW,
                               {'b_uuid': fd_uuid})
        return flow_detail

    def _load_flows_of_book(self, conn: sa.Connection, book_uuid: str,
                            lazy: bool) -> list[models.FlowDetail]:
        flows = {row['uuid']: rows.flow_from_row(row) for row in
                 conn.execute(st.FLOWS_OF_BOOK, {'b_uuid': book_uuid}).mappings()}
        if flows and not lazy:
            self._attach_atoms(conn, flows, st.ATOMS_OF_BOOK, {'b_uuid': book_uuid})
        return list(flows.values())

    def _load_book(self, conn: sa.Connection, book_uuid: str, lazy: bool) -> models.LogBook:
        row = conn.execute(st.SELECT_BOOK, {'b_uuid': book_uuid}).mappings().first()
        if row is None:
            raise tf_exc.NotFound(f'No logbook found with uuid {book_uuid}')
        book = rows.book_from_row(row)
        if not lazy:
            for flow_detail in self._load_flows_of_book(conn, book_uuid, lazy=False):
                book.add(flow_detail)
            book.updated_at = row['updated_at']  # add() touched it
        return book

    @_storage_errors('getting a logbook')
    def get_logbook(self, book_uuid: str, lazy: bool = False) -> models.LogBook:
        with self._reader() as conn:
            return self._load_book(conn, book_uuid, lazy)

    @_storage_errors('getting logbooks')
    def get_logbooks(self, lazy: bool = False) -> Iterator[models.LogBook]:
        with self._reader() as conn:
            books = {row['uuid']: (rows.book_from_row(row), row['updated_at'])
                     for row in conn.execute(st.ALL_BOOKS).mappings()}
            if books and not lazy:
                flows = {row['uuid']: (row['parent_uuid'], rows.flow_from_row(row))
                         for row in conn.execute(st.ALL_FLOWS).mappings()}
                self._attach_atoms(conn, {uuid: fd for uuid, (_, fd) in flows.items()},
                                   st.ALL_ATOMS)
                for book_uuid, flow_detail in flows.values():
                    if book_uuid in books:
                        books[book_uuid][0].add(flow_detail)
        found = []
        for book, updated_at in books.values():
            book.updated_at = updated_at
            found.append(book)
        return iter(found)

    @_storage_errors('getting the flow details of a logbook')
    def get_flows_for_book(self, book_uuid: str,
                           lazy: bool = False) -> Iterator[models.FlowDetail]:
        with self._reader() as conn:
            flows = self._load_flows_of_book(conn, book_uuid, lazy)
            if not flows and conn.execute(st.BOOK_EXISTS,
                                          {'b_uuid': book_uuid}).first() is None:
                raise tf_exc.NotFound(f'No logbook found with uuid {book_uuid}')
        return iter(flows)

    @_storage_errors('getting a flow detail')
    def get_flow_details(self, fd_uuid: str, lazy: bool = False) -> models.FlowDetail:
        with self._reader() as conn:
            return self._load_flow(conn, fd_uuid, lazy)

    @_storage_errors('getting an atom detail')
    def get_atom_details(self, ad_uuid: str) -> models.AtomDetail:
        with self._reader() as conn:
            row = conn.execute(st.SELECT_ATOM, {'b_uuid': ad_uuid}).mappings().first()
        if row is None:
            raise tf_exc.NotFound(f'No atom details found with uuid {ad_uuid}')
        return rows.atom_from_row(row)

    @_storage_errors('getting the atom details of a flow detail')
    def get_atoms_for_flow(self, fd_uuid: str) -> Iterator[models.AtomDetail]:
        with self._reader() as conn:
            found = [rows.atom_from_row(row) for row in
                     conn.execute(st.ATOMS_OF_FLOW, {'b_uuid': fd_uuid}).mappings()]
        return iter(found)
