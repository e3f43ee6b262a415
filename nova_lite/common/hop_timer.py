"""Where the time of a piece of work goes: RPC, HTTP, token checks, the database.

A caller opens an accumulator (:func:`accumulate`) around some work, e.g. one
task of a boot flow; the hooks placed in the RPC transport (:func:`watch_transport`),
the HTTP clients, the token validators and the database engines
(:func:`watch_engine`) add to it the time and number of each *hop* the work
made in that context: ``rpc`` (a call, waiting for its answer), ``cast`` (a
message sent without waiting), ``http`` (a request to another service),
``token`` (a token validation), ``db`` (a statement or a commit) and
``persist`` (a write or read of the flow persistence or the jobboard: what
crash safety costs). :func:`snapshot` reads the totals.

Rules:

- The accumulator lives in a :mod:`contextvars` variable: work in another
  thread is not counted unless that thread opens its own (or runs in a copy
  of the context; the totals are then shared, under a lock).
- The outermost hop wins: a hop inside another (the statements of a token
  validation, of a jobboard claim) is part of the outer hop's time and count.
  Commits are counted (``commits``) wherever they happen.
- With no accumulator open, each hook costs one context-variable read.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

RPC = 'rpc'
CAST = 'cast'
HTTP = 'http'
TOKEN = 'token'
DB = 'db'
PERSIST = 'persist'
CATEGORIES = (RPC, CAST, HTTP, TOKEN, DB, PERSIST)


class HopTotals:
    """Milliseconds and counts of the hops made while an accumulator was open."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self.opened = clock()
        self._ms: dict[str, float] = {}
        self._counts: dict[str, int] = {}
        self._commits = 0
        self._lock = threading.Lock()

    def add(self, category: str, seconds: float) -> None:
        with self._lock:
            self._ms[category] = self._ms.get(category, 0.0) + seconds * 1e3
            self._counts[category] = self._counts.get(category, 0) + 1

    def add_commit(self) -> None:
        with self._lock:
            self._commits += 1

    def as_dict(self) -> dict[str, Any]:
        """``{category: {'ms': ..., 'n': ...}, 'commits': n, 'wall_ms': since opened}``."""
        with self._lock:
            found: dict[str, Any] = {name: {'ms': round(self._ms[name], 3),
                                            'n': self._counts[name]}
                                     for name in CATEGORIES if name in self._counts}
            found['commits'] = self._commits
        found['wall_ms'] = round((self._clock() - self.opened) * 1e3, 3)
        return found


@dataclasses.dataclass
class _OpenHop:
    category: str
    started: float


_totals: contextvars.ContextVar[HopTotals | None] = contextvars.ContextVar(
    'nova_lite_hop_totals', default=None)
_open_hop: contextvars.ContextVar[_OpenHop | None] = contextvars.ContextVar(
    'nova_lite_open_hop', default=None)


@contextlib.contextmanager
def accumulate() -> Iterator[HopTotals]:
    """Count the hops made in this context (this thread) until the block ends."""
    totals = HopTotals()
    token = _totals.set(totals)
    outer = _open_hop.set(None)
    try:
        yield totals
    finally:
        _open_hop.reset(outer)
        _totals.reset(token)


def snapshot() -> dict[str, Any] | None:
    """The totals of the accumulator open in this context so far; None if none is."""
    totals = _totals.get()
    return None if totals is None else totals.as_dict()


def _start(category: str) -> _OpenHop | None:
    """Open a hop; None if nothing counts it (no accumulator, or inside another hop)."""
    if _totals.get() is None or _open_hop.get() is not None:
        return None
    opened = _OpenHop(category, time.perf_counter())
    _open_hop.set(opened)
    return opened


def _stop(opened: _OpenHop | None) -> None:
    if opened is None:
        return
    totals = _totals.get()
    if _open_hop.get() is opened:
        _open_hop.set(None)
    if totals is not None:
        totals.add(opened.category, time.perf_counter() - opened.started)


class _Hop:
    __slots__ = ('_category', '_opened')

    def __init__(self, category: str) -> None:
        self._category = category
        self._opened: _OpenHop | None = None

    def __enter__(self) -> None:
        self._opened = _start(self._category)

    def __exit__(self, *exc_info: object) -> None:
        _stop(self._opened)


_NOTHING = contextlib.nullcontext()


def hop(category: str) -> contextlib.AbstractContextManager[None]:
    """Time the block as one hop of ``category`` (nothing when no accumulator is open)."""
    if _totals.get() is None:
        return _NOTHING
    return _Hop(category)


def timed(category: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: each call of the function is one hop of ``category``."""
    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if _totals.get() is None:
                return func(*args, **kwargs)
            with _Hop(category):
                return func(*args, **kwargs)
        return wrapper
    return decorator


# Hooks ----------------------------------------------------------------------

_ENGINE_HOP_KEY = 'nova_lite_hop'
_WATCHED_KEY = 'nova_lite_hops_watched'


def _before_cursor_execute(conn: sa.Connection, *_args: Any) -> None:
    if _totals.get() is not None:
        conn.info[_ENGINE_HOP_KEY] = _start(DB)


def _after_cursor_execute(conn: sa.Connection, *_args: Any) -> None:
    if _ENGINE_HOP_KEY in conn.info:
        _stop(conn.info.pop(_ENGINE_HOP_KEY))


def _on_error(context: Any) -> None:
    conn = context.connection
    if conn is not None and _ENGINE_HOP_KEY in conn.info:
        _stop(conn.info.pop(_ENGINE_HOP_KEY))


def watch_engine(engine: sa.Engine) -> None:
    """Count the statements and commits made on ``engine`` as ``db`` hops (once per engine)."""
    if engine.dialect.__dict__.get(_WATCHED_KEY):
        return
    event.listen(engine, 'before_cursor_execute', _before_cursor_execute)
    event.listen(engine, 'after_cursor_execute', _after_cursor_execute)
    event.listen(engine, 'handle_error', _on_error)
    dialect = engine.dialect
    do_commit = dialect.do_commit

    def timed_commit(dbapi_connection: Any) -> None:
        totals = _totals.get()
        if totals is None:
            do_commit(dbapi_connection)
            return
        totals.add_commit()
        with _Hop(DB):
            do_commit(dbapi_connection)

    # The dialect's commit is the only place every commit goes through; SQLAlchemy
    # has no event after a commit.
    setattr(dialect, 'do_commit', timed_commit)  # noqa: B010
    setattr(dialect, _WATCHED_KEY, True)  # noqa: B010


def watch_transport(transport: Any) -> Any:
    """Count an oslo.messaging transport's sends: ``rpc`` (call) or ``cast``; returns it."""
    send = transport._send
    if getattr(send, '_nova_lite_hops', False):
        return transport

    def timed_send(*args: Any, **kwargs: Any) -> Any:
        if _totals.get() is None:
            return send(*args, **kwargs)
        with _Hop(RPC if kwargs.get('wait_for_reply') else CAST):
            return send(*args, **kwargs)

    timed_send._nova_lite_hops = True  # type: ignore[attr-defined]
    transport._send = timed_send
    return transport
