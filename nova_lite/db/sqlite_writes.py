"""One SQLite write transaction at a time per process, queued on a lock.

SQLite lets one connection at a time write. A second connection of the same
process that asks for the write lock (``BEGIN IMMEDIATE``) while another holds
it enters SQLite's busy handler, which *sleeps* (1, 2, 5, 10 ... 100 ms) and
retries: under a few concurrent writers most of a write's time is spent asleep
after the lock was already free. :class:`WriteLock` makes the threads of one
process queue on an in-process lock instead, taken just before ``BEGIN
IMMEDIATE`` and released as soon as the transaction ends, so the next writer
starts the moment the previous one committed. SQLite's busy timeout still
applies between processes (``nova-lite-manage``, a second service process).

Every engine of the process on one database file shares one lock
(:func:`lock_for`). The lock is released by the DBAPI connection itself
(:class:`WriteLockedConnection`, the ``factory`` of :func:`sqlite3.connect`)
after its ``commit``, ``rollback`` or ``close``: every way a transaction ends
(SQLAlchemy's commit or rollback, the pool's reset on check-in, invalidation,
an error) goes through one of them.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from typing import Any

import sqlalchemy as sa


class NestedWriteTransaction(sa.exc.InvalidRequestError):
    """A thread that holds a write transaction began a second one (on another connection).

    On SQLite the second would wait for the first, which cannot end while
    its thread waits: the thread would hang until the busy timeout.
    """


class WriteLock:
    """The in-process queue of SQLite write transactions (one per database engine).

    The holder is the DBAPI connection whose transaction holds the lock; the
    thread that began it is kept to detect a nested write transaction.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: object | None = None
        self._holder_thread: int | None = None

    @property
    def held(self) -> bool:
        return self._holder is not None

    def acquire(self, connection: object, timeout: float) -> None:
        """Wait until ``connection`` may write; OperationalError after ``timeout`` seconds."""
        thread = threading.get_ident()
        if self._holder_thread == thread:
            # Only this thread sets the holder thread to itself, so this read is safe.
            raise NestedWriteTransaction(
                'This thread already holds a write transaction on this SQLite '
                'database and began a second one on another connection, which '
                'would wait for the first forever: finish the first one before '
                'opening another.')
        if not self._lock.acquire(timeout=timeout):
            raise sa.exc.OperationalError(
                'BEGIN IMMEDIATE', None,
                sqlite3.OperationalError(
                    f'database is locked (waited {timeout:.1f} s for the write '
                    'transaction of another thread of this process)'))
        self._holder = connection
        self._holder_thread = thread

    def release(self, connection: object) -> None:
        """Release the lock if ``connection`` holds it; nothing otherwise."""
        if self._holder is not connection:
            return
        self._holder = None
        self._holder_thread = None
        self._lock.release()


class WriteLockedConnection(sqlite3.Connection):
    """A sqlite3 connection that releases its :class:`WriteLock` when its transaction ends."""

    write_lock: WriteLock  # set on the subclass made by connection_class()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.write_lock.release(self)

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.write_lock.release(self)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.write_lock.release(self)


_LOCKS: weakref.WeakValueDictionary[str, WriteLock] = weakref.WeakValueDictionary()
_LOCKS_LOCK = threading.Lock()


def lock_for(database: str | None) -> WriteLock:
    """The write lock of a database file, shared by every engine of this process on it.

    An in-memory or temporary database (``None``, ``''``, ``':memory:'``) gets a
    lock of its own.
    """
    if not database or database == ':memory:' or database.startswith('file:'):
        return WriteLock()
    key = os.path.realpath(database)
    with _LOCKS_LOCK:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = WriteLock()
        return lock


def connection_class(lock: WriteLock) -> type[WriteLockedConnection]:
    """A :class:`WriteLockedConnection` class bound to ``lock`` (``factory=`` of sqlite3)."""
    return type('WriteLockedConnection', (WriteLockedConnection,), {'write_lock': lock})


def begin(connection: sa.Connection, lock: WriteLock, mode: str, timeout: float) -> None:
    """Open the transaction of ``connection``: ``BEGIN <mode>``, queued on ``lock`` to write.

    DEFERRED transactions (readers) do not take the lock; a writer waits for
    it at most ``timeout`` seconds; the lock is released again if the BEGIN fails.
    """
    if mode == 'DEFERRED':
        connection.exec_driver_sql('BEGIN DEFERRED')
        return
    dbapi_connection: Any = connection.connection.dbapi_connection
    lock.acquire(dbapi_connection, timeout)
    try:
        connection.exec_driver_sql(f'BEGIN {mode}')
    except BaseException:
        lock.release(dbapi_connection)
        raise
