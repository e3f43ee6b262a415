"""Engine and session handling for the one database every service shares.

SQLite (the embedded default) runs in WAL mode and opens write transactions
with ``BEGIN IMMEDIATE`` so that concurrent writers queue instead of failing
on a lock upgrade: the threads of one process on an in-process lock
(:mod:`nova_lite.db.sqlite_writes`), processes on SQLite's busy timeout.
Readers (``BEGIN DEFERRED``) take neither. The same code runs on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import event, orm

from nova_lite.common import hop_timer
from nova_lite.db import sqlite_writes


class Database:
    """A SQLAlchemy engine plus transactional sessions over it."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10,
                 sqlite_busy_timeout_ms: int = 30000) -> None:
        self.url = sa.engine.make_url(url)
        self.is_sqlite = self.url.get_backend_name() == 'sqlite'
        kwargs: dict[str, Any] = {'echo': echo, 'future': True}
        # SQLite only: this process's write transactions on the file, one at a time.
        self.write_lock: sqlite_writes.WriteLock | None = None
        if self.is_sqlite:
            database = self.url.database
            if database and database != ':memory:':
                os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
            self.write_lock = sqlite_writes.lock_for(database)
            kwargs['connect_args'] = {
                'check_same_thread': False,
                'timeout': sqlite_busy_timeout_ms / 1000.0,
                'isolation_level': None,
                'factory': sqlite_writes.connection_class(self.write_lock)}
        else:
            kwargs['pool_size'] = pool_size
            kwargs['pool_pre_ping'] = True
        self.engine = sa.create_engine(self.url, **kwargs)
        if self.write_lock is not None:
            self._setup_sqlite(sqlite_busy_timeout_ms, self.write_lock)
        self._sessionmaker = orm.sessionmaker(bind=self.engine, expire_on_commit=False)
        self._reader_sessionmaker = orm.sessionmaker(
            bind=self.engine.execution_options(sqlite_begin='DEFERRED'),
            expire_on_commit=False)
        # SQLite: no BEGIN at all, each statement is its own read snapshot.
        self._statement_reader = self.engine.execution_options(sqlite_begin=None)
        # Statements and commits made inside a hop accumulator are timed (hop_timer).
        hop_timer.watch_engine(self.engine)

    @classmethod
    def from_conf(cls, conf: cfg.ConfigOpts) -> Database:
        return cls(conf.database.connection, echo=conf.database.connection_debug,
                   pool_size=conf.database.pool_size,
                   sqlite_busy_timeout_ms=conf.database.sqlite_busy_timeout_ms)

    def _setup_sqlite(self, busy_timeout_ms: int, write_lock: sqlite_writes.WriteLock) -> None:
        @event.listens_for(self.engine, 'connect')
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute('PRAGMA journal_mode=WAL')
            cursor.execute('PRAGMA synchronous=NORMAL')
            cursor.execute('PRAGMA foreign_keys=ON')
            cursor.execute(f'PRAGMA busy_timeout={int(busy_timeout_ms)}')
            cursor.close()

        @event.listens_for(self.engine, 'begin')
        def _on_begin(conn: sa.Connection) -> None:
            mode = conn.get_execution_options().get('sqlite_begin', 'IMMEDIATE')
            if mode is not None:  # None: read_connection's statements, no transaction
                sqlite_writes.begin(conn, write_lock, mode, busy_timeout_ms / 1000.0)

    @contextlib.contextmanager
    def session(self) -> Iterator[orm.Session]:
        """A read-write transaction: committed on success, rolled back on error."""
        with self._sessionmaker.begin() as session:
            yield session

    @contextlib.contextmanager
    def reader(self) -> Iterator[orm.Session]:
        """A read-only transaction (does not take SQLite's write lock)."""
        with self._reader_sessionmaker() as session:
            yield session

    @contextlib.contextmanager
    def read_connection(self) -> Iterator[sa.Connection]:
        """A Core connection (no ORM session) for hot reads of one statement each.

        Every statement reads its own snapshot: on SQLite no BEGIN and ROLLBACK
        go around it (they cost as much as the read); do not write through it.
        """
        with self._statement_reader.connect() as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()
