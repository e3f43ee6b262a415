"""DatabaseBackend: TaskFlow's models round-trip exactly through nova_lite's database."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from taskflow import exceptions as tf_exc
from taskflow import states
from taskflow.persistence import models
from taskflow.types import failure as ft

from nova_lite.conductor.persistence import DatabaseBackend, DatabaseConnection
from nova_lite.conductor.persistence import statements as st
from nova_lite.db import api as db_api


def _failure(message: str) -> ft.Failure:
    try:
        raise ValueError(message)
    except ValueError as exc:
        return ft.Failure.from_exception(exc)


def _normal(value: Any) -> Any:
    """What JSON keeps of a value (tuples become lists)."""
    return json.loads(json.dumps(value))


def _atom_dict(atom: models.AtomDetail) -> dict[str, Any]:
    return {'class': type(atom).__name__, **_normal(atom.to_dict())}


def _book_dict(book: models.LogBook) -> dict[str, Any]:
    return {'book': book.to_dict(),
            'flows': sorted(([fd.to_dict(), sorted((_atom_dict(ad) for ad in fd),
                                                   key=lambda a: a['uuid'])]
                             for fd in book), key=lambda f: f[0]['uuid'])}


def _sample_book() -> models.LogBook:
    book = models.LogBook('boot-instance-1')
    book.meta = {'instance_id': 'i-1', 'attempt': 1}
    flow = models.FlowDetail('boot-instance', 'fd-1')
    flow.state = states.RUNNING
    flow.meta = {'factory': 'nova_lite.conductor.flows.boot:get_boot_flow'}
    book.add(flow)

    done = models.TaskDetail('authenticate', 'ad-done')
    done.state, done.version = states.SUCCESS, '1.0'
    done.results = {'user_id': 'u', 'roles': ['member'], 'expires': None, 'n': 3.5}
    done.meta = {'progress': 1.0}
    failed = models.TaskDetail('spawn', 'ad-failed')
    failed.state, failed.intention = states.REVERT_FAILURE, states.REVERT
    failed.failure = _failure('spawn failed on host1')
    failed.revert_failure = _failure('could not undefine')
    failed.revert_results = ['partial', 1]
    retry = models.RetryDetail('host-retry', 'ad-retry')
    retry.state, retry.intention = states.RETRYING, states.RETRY
    retry.results = [([], {'spawn': _failure('host1 down')}), (['host1'], {})]
    pending = models.TaskDetail('mark-active', 'ad-pending')
    pending.state = states.PENDING
    for atom in (done, failed, retry, pending):
        flow.add(atom)
    return book


@pytest.fixture
def conn(db: db_api.Database) -> Iterator[DatabaseConnection]:
    with contextlib.closing(DatabaseBackend(db).get_connection()) as connection:
        yield connection


def _round_trip(conn: DatabaseConnection) -> None:
    book = _sample_book()
    conn.validate()
    conn.upgrade()
    conn.save_logbook(book)
    loaded = conn.get_logbook(book.uuid)
    assert _book_dict(loaded) == _book_dict(book)
    assert loaded.created_at == book.created_at
    retry = conn.get_atom_details('ad-retry')
    assert isinstance(retry, models.RetryDetail)
    assert retry.results[0][1]['spawn'].matches(book.find('fd-1').find('ad-retry')
                                                .results[0][1]['spawn'])
    failed = conn.get_atom_details('ad-failed')
    assert failed.failure.check(ValueError) is ValueError
    assert failed.failure.exception_str == 'spawn failed on host1'
    assert failed.revert_failure.exception_args == ('could not undefine',)


def test_round_trip_sqlite(conn: DatabaseConnection) -> None:
    _round_trip(conn)


@pytest.mark.postgresql
def test_round_trip_postgresql(pg_db: db_api.Database) -> None:
    with contextlib.closing(DatabaseBackend(pg_db).get_connection()) as conn:
        _round_trip(conn)
        _updates_and_merges(conn)


def _updates_and_merges(conn: DatabaseConnection) -> None:
    book = conn.get_logbook(_sample_book_uuid(conn))
    flow = book.find('fd-1')
    atom = flow.find('ad-pending')
    atom.state, atom.results = states.SUCCESS, {'vm_state': 'active'}
    conn.update_atom_details(atom)
    flow.state = states.SUCCESS
    extra = models.TaskDetail('late-task', 'ad-late')
    extra.state = states.PENDING
    flow.add(extra)
    conn.update_flow_details(flow)
    stored = conn.get_flow_details('fd-1')
    assert stored.state == states.SUCCESS
    assert stored.find('ad-pending').results == {'vm_state': 'active'}
    assert stored.find('ad-late').state == states.PENDING
    assert _book_dict(conn.get_logbook(book.uuid)) == _book_dict(book)


def _sample_book_uuid(conn: DatabaseConnection) -> str:
    (book,) = list(conn.get_logbooks(lazy=True))
    return book.uuid


def test_updates(conn: DatabaseConnection) -> None:
    conn.save_logbook(_sample_book())
    _updates_and_merges(conn)


def test_save_logbook_merges_into_the_stored_one(conn: DatabaseConnection) -> None:
    book = _sample_book()
    conn.save_logbook(book)
    # A second copy of the book that knows only a new flow and a changed meta.
    other = models.LogBook(book.name, uuid=book.uuid)
    other.created_at = book.created_at
    other.meta = {'instance_id': 'i-1', 'attempt': 2}
    second = models.FlowDetail('delete-instance', 'fd-2')
    task = models.TaskDetail('unplug', 'ad-unplug')
    second.add(task)
    other.add(second)
    merged = conn.save_logbook(other)
    assert {fd.uuid for fd in merged} == {'fd-1', 'fd-2'}
    assert merged.meta == {'instance_id': 'i-1', 'attempt': 2}
    stored = conn.get_logbook(book.uuid)
    assert {fd.uuid for fd in stored} == {'fd-1', 'fd-2'}
    assert len(stored.find('fd-1')) == 4 and len(stored.find('fd-2')) == 1
    assert [fd.uuid for fd in conn.get_flows_for_book(book.uuid)] != []
    assert {ad.uuid for ad in conn.get_atoms_for_flow('fd-2')} == {'ad-unplug'}


def test_reads_and_lazy_reads(conn: DatabaseConnection) -> None:
    book = _sample_book()
    conn.save_logbook(book)
    conn.save_logbook(models.LogBook('empty'))
    books = {b.name: b for b in conn.get_logbooks()}
    assert set(books) == {'boot-instance-1', 'empty'}
    assert _book_dict(books['boot-instance-1']) == _book_dict(book)
    assert len(books['empty']) == 0
    assert len(conn.get_logbook(book.uuid, lazy=True)) == 0
    assert len(conn.get_flow_details('fd-1', lazy=True)) == 0
    assert len(conn.get_flow_details('fd-1')) == 4
    (flow,) = conn.get_flows_for_book(book.uuid, lazy=True)
    assert flow.uuid == 'fd-1' and len(flow) == 0
    assert list(conn.get_flows_for_book(books['empty'].uuid)) == []


def test_missing_things_raise_not_found(conn: DatabaseConnection) -> None:
    with pytest.raises(tf_exc.NotFound):
        conn.get_logbook('nope')
    with pytest.raises(tf_exc.NotFound):
        conn.get_flow_details('nope')
    with pytest.raises(tf_exc.NotFound):
        conn.get_atom_details('nope')
    with pytest.raises(tf_exc.NotFound):
        list(conn.get_flows_for_book('nope'))
    with pytest.raises(tf_exc.NotFound):
        conn.update_flow_details(models.FlowDetail('x', 'nope'))
    with pytest.raises(tf_exc.NotFound):
        conn.update_atom_details(models.TaskDetail('x', 'nope'))
    with pytest.raises(tf_exc.NotFound):
        conn.destroy_logbook('nope')


def test_destroy_and_clear_remove_every_row(conn: DatabaseConnection,
                                            db: db_api.Database) -> None:
    first, second = _sample_book(), models.LogBook('second')
    second.add(models.FlowDetail('f', 'fd-other'))
    conn.save_logbook(first)
    conn.save_logbook(second)
    conn.destroy_logbook(first.uuid)
    with db.engine.connect() as sql:
        assert sql.execute(sa.select(sa.func.count()).select_from(st.ATOMS)).scalar() == 0
        assert sql.execute(sa.select(st.FLOWS.c.uuid)).scalars().all() == ['fd-other']
    # Saving the destroyed book again writes every row again.
    conn.save_logbook(first)
    assert _book_dict(conn.get_logbook(first.uuid)) == _book_dict(first)
    conn.clear_all()
    assert list(conn.get_logbooks()) == []


def test_database_errors_become_storage_failures(db: db_api.Database) -> None:
    conn = DatabaseBackend(db).get_connection()
    book = models.LogBook('bad')
    flow = models.FlowDetail('f', 'fd-bad')
    flow.meta = {'not json': object()}
    book.add(flow)
    with pytest.raises(tf_exc.StorageFailure):
        conn.save_logbook(book)
    with pytest.raises(tf_exc.NotFound):  # the whole save was rolled back
        conn.get_logbook(book.uuid)


def test_exception_args_that_are_not_json_are_dropped(conn: DatabaseConnection) -> None:
    book = models.LogBook('b')
    flow = models.FlowDetail('f', 'fd-1')
    atom = models.TaskDetail('t', 'ad-1')
    try:
        raise RuntimeError(object())
    except RuntimeError as exc:
        atom.failure = ft.Failure.from_exception(exc)
    flow.add(atom)
    book.add(flow)
    conn.save_logbook(book)
    stored = conn.get_atom_details('ad-1').failure
    assert stored.check(RuntimeError) and stored.exception_args == ()
    assert stored.exception_str == atom.failure.exception_str


def test_causes_whose_args_are_not_json_are_kept_without_them(
        conn: DatabaseConnection) -> None:
    """As a keystoneauth ConnectFailure from a requests ConnectionError carrying a
    urllib3 ProtocolError: the outer args are JSON, a cause's are not."""
    book = models.LogBook('b')
    flow = models.FlowDetail('f', 'fd-1')
    atom = models.TaskDetail('t', 'ad-1')
    try:
        try:
            raise ConnectionError(object(), 'Connection aborted.')
        except ConnectionError as cause:
            raise RuntimeError('network API unreachable') from cause
    except RuntimeError as exc:
        atom.failure = ft.Failure.from_exception(exc)
    flow.add(atom)
    book.add(flow)
    conn.save_logbook(book)
    atom.failure = atom.failure.copy()
    conn.update_atom_details(atom)
    stored = conn.get_atom_details('ad-1').failure
    assert stored.check(RuntimeError)
    assert stored.exception_args == ('network API unreachable',)
    [cause] = stored.causes
    assert cause.check(ConnectionError) and cause.exception_args == ()
    assert 'Connection aborted.' in cause.exception_str


def test_progress_only_saves_are_skipped_unless_asked(db: db_api.Database) -> None:
    for persist_progress, expected in ((False, {}), (True, {'progress': 0.5})):
        conn = DatabaseBackend(db, persist_progress=persist_progress).get_connection()
        book = models.LogBook('b')
        flow = models.FlowDetail('f', f'fd-{persist_progress}')
        atom = models.TaskDetail('t', f'ad-{persist_progress}')
        atom.state = states.RUNNING
        flow.add(atom)
        book.add(flow)
        conn.save_logbook(book)
        atom.meta = {'progress': 0.5}
        conn.update_atom_details(atom)
        assert conn.get_atom_details(atom.uuid).meta == expected
        atom.state, atom.meta = states.SUCCESS, {'progress': 1.0}
        conn.update_atom_details(atom)
        stored = conn.get_atom_details(atom.uuid)
        assert (stored.state, stored.meta) == (states.SUCCESS, {'progress': 1.0})
