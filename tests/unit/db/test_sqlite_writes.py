"""SQLite write transactions of one process queue on an in-process lock."""

from __future__ import annotations

import pathlib
import sqlite3
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from nova_lite.db import api as db_api
from nova_lite.db import sqlite_writes


def _database(tmp_path: pathlib.Path, busy_timeout_ms: int) -> db_api.Database:
    return db_api.Database(f'sqlite:///{tmp_path}/writes.sqlite',
                           sqlite_busy_timeout_ms=busy_timeout_ms)


@pytest.fixture
def sqlite_db(tmp_path: pathlib.Path) -> Iterator[db_api.Database]:
    """Writers wait up to a minute (generous: the machine may be slow)."""
    database = _database(tmp_path, 60000)
    with database.engine.begin() as conn:
        conn.exec_driver_sql('CREATE TABLE t (n INTEGER)')
    yield database
    database.dispose()


@pytest.fixture
def impatient_db(sqlite_db: db_api.Database,
                 tmp_path: pathlib.Path) -> Iterator[db_api.Database]:
    """The same file, through an engine whose writers wait 0.2 s at most."""
    database = _database(tmp_path, 200)
    yield database
    database.dispose()


def _count(database: db_api.Database) -> int:
    with database.reader() as session:
        return session.execute(sa.text('SELECT count(*) FROM t')).scalar_one()


def _insert(conn: sa.Connection, n: int = 1) -> None:
    conn.exec_driver_sql(f'INSERT INTO t VALUES ({n})')


def _lock(database: db_api.Database) -> sqlite_writes.WriteLock:
    assert database.write_lock is not None
    return database.write_lock


def test_postgresql_has_no_write_lock() -> None:
    database = db_api.Database('postgresql+psycopg://nobody@127.0.0.1:1/none')
    assert database.write_lock is None
    database.dispose()


def test_a_write_transaction_holds_the_lock_until_it_commits(
        sqlite_db: db_api.Database) -> None:
    with sqlite_db.engine.begin() as conn:
        _insert(conn)
        assert _lock(sqlite_db).held
    assert not _lock(sqlite_db).held
    with sqlite_db.session() as session:
        session.execute(sa.text('INSERT INTO t VALUES (2)'))
        assert _lock(sqlite_db).held
    assert not _lock(sqlite_db).held
    assert _count(sqlite_db) == 2


def test_readers_do_not_take_the_lock(sqlite_db: db_api.Database) -> None:
    with sqlite_db.engine.begin() as writer:
        _insert(writer)
        # Another thread reads while this one writes: it does not wait.
        seen: list[int] = []
        reader = threading.Thread(target=lambda: seen.append(_count(sqlite_db)))
        reader.start()
        reader.join(timeout=30)
        assert seen == [0]
        deferred = sqlite_db.engine.execution_options(sqlite_begin='DEFERRED')
        with deferred.connect() as conn:
            assert conn.exec_driver_sql('SELECT count(*) FROM t').scalar_one() == 0


def test_a_rolled_back_transaction_releases_the_lock(sqlite_db: db_api.Database) -> None:
    with pytest.raises(ValueError), sqlite_db.engine.begin() as conn:
        _insert(conn)
        raise ValueError('undo')
    assert not _lock(sqlite_db).held
    assert _count(sqlite_db) == 0


def test_an_invalidated_connection_releases_the_lock(sqlite_db: db_api.Database) -> None:
    with sqlite_db.engine.connect() as conn:
        conn.begin()
        _insert(conn)
        assert _lock(sqlite_db).held
        conn.invalidate()
        assert not _lock(sqlite_db).held
    assert _count(sqlite_db) == 0


def test_a_connection_returned_to_the_pool_releases_the_lock(
        sqlite_db: db_api.Database) -> None:
    conn = sqlite_db.engine.connect()
    _insert(conn)  # autobegins, never committed
    assert _lock(sqlite_db).held
    conn.close()  # the pool's reset rolls it back
    assert not _lock(sqlite_db).held
    assert _count(sqlite_db) == 0


def test_a_failed_begin_releases_the_lock(impatient_db: db_api.Database,
                                          tmp_path: pathlib.Path) -> None:
    sqlite_db = impatient_db
    # Another process (here: a plain sqlite3 connection) holds SQLite's write lock.
    other = sqlite3.connect(f'{tmp_path}/writes.sqlite', isolation_level=None)
    other.execute('BEGIN IMMEDIATE')
    try:
        with pytest.raises(sa.exc.OperationalError, match='locked'), \
                sqlite_db.engine.begin() as conn:
            _insert(conn)
        assert not _lock(sqlite_db).held
    finally:
        other.rollback()
        other.close()
    with sqlite_db.engine.begin() as conn:
        _insert(conn)
    assert _count(sqlite_db) == 1


def test_writers_of_many_threads_queue_and_all_commit(sqlite_db: db_api.Database) -> None:
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(25):
                with sqlite_db.engine.begin() as conn:
                    _insert(conn)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(sqlite_db) == 200
    assert not _lock(sqlite_db).held


def test_a_writer_waits_for_the_holder_then_goes_on(sqlite_db: db_api.Database) -> None:
    waiting = threading.Event()
    done: list[int] = []

    def second_writer() -> None:
        waiting.set()
        with sqlite_db.engine.begin() as conn:
            _insert(conn, 2)
        done.append(2)

    with sqlite_db.engine.begin() as conn:
        _insert(conn, 1)
        thread = threading.Thread(target=second_writer)
        thread.start()
        waiting.wait(timeout=30)
        assert done == []  # it cannot have committed: this transaction holds the lock
    thread.join(timeout=60)
    assert done == [2]
    with sqlite_db.reader() as session:
        assert list(session.execute(sa.text('SELECT n FROM t ORDER BY rowid')).scalars()) \
            == [1, 2]


def test_a_writer_gives_up_after_the_busy_timeout(sqlite_db: db_api.Database,
                                                  impatient_db: db_api.Database) -> None:
    failures: list[BaseException] = []

    def second_writer() -> None:
        try:
            with impatient_db.engine.begin() as conn:
                _insert(conn, 2)
        except sa.exc.OperationalError as exc:
            failures.append(exc)

    with sqlite_db.engine.begin() as conn:
        _insert(conn, 1)
        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(timeout=60)  # gives up after 0.2 s while this one holds on
    assert len(failures) == 1
    assert 'database is locked' in str(failures[0])
    assert _count(sqlite_db) == 1
    assert not _lock(sqlite_db).held


def test_a_nested_write_transaction_fails_at_once(sqlite_db: db_api.Database) -> None:
    with pytest.raises(sqlite_writes.NestedWriteTransaction), \
            sqlite_db.engine.begin() as outer:
        _insert(outer)
        with sqlite_db.engine.begin() as inner:
            _insert(inner)
    assert not _lock(sqlite_db).held
    assert _count(sqlite_db) == 0


def test_the_lock_is_released_only_by_its_holder() -> None:
    lock = sqlite_writes.WriteLock()
    holder, other = object(), object()
    lock.acquire(holder, 0.01)
    lock.release(other)
    assert lock.held
    lock.release(holder)
    assert not lock.held
    lock.release(holder)  # a second release does nothing
    lock.acquire(other, 0.01)
    assert lock.held


def test_engines_on_one_file_share_the_lock(sqlite_db: db_api.Database,
                                            impatient_db: db_api.Database,
                                            tmp_path: pathlib.Path) -> None:
    assert sqlite_db.write_lock is impatient_db.write_lock
    other_file = db_api.Database(f'sqlite:///{tmp_path}/other.sqlite')
    memory = db_api.Database('sqlite://')
    try:
        assert other_file.write_lock is not sqlite_db.write_lock
        assert memory.write_lock is not None and memory.write_lock is not sqlite_db.write_lock
    finally:
        other_file.dispose()
        memory.dispose()
    # So a thread writing through one engine cannot open a write on the other.
    with pytest.raises(sqlite_writes.NestedWriteTransaction), \
            sqlite_db.engine.begin() as outer:
        _insert(outer)
        with impatient_db.engine.begin() as inner:
            _insert(inner)
    assert not _lock(sqlite_db).held
