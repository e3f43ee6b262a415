"""hop_timer: what an accumulator counts, nested hops, threads, and no accumulator."""

from __future__ import annotations

import contextvars
import threading
import time
from typing import Any

import sqlalchemy as sa

from nova_lite.common import hop_timer
from nova_lite.db import api as db_api


def test_hops_add_time_and_count_to_the_open_accumulator() -> None:
    with hop_timer.accumulate() as totals:
        with hop_timer.hop(hop_timer.RPC):
            time.sleep(0.002)
        with hop_timer.hop(hop_timer.RPC):
            pass
        with hop_timer.hop(hop_timer.HTTP):
            pass
        found = hop_timer.snapshot()
    assert found is not None
    assert found['rpc']['n'] == 2 and found['rpc']['ms'] >= 2.0
    assert found['http']['n'] == 1
    assert 'db' not in found and found['commits'] == 0
    assert totals.as_dict()['wall_ms'] >= found['rpc']['ms']


def test_without_an_accumulator_nothing_is_counted() -> None:
    assert hop_timer.snapshot() is None
    hook = hop_timer.hop(hop_timer.RPC)
    with hook:
        pass
    assert hook is hop_timer.hop(hop_timer.HTTP)  # the one shared no-op
    calls: list[int] = []

    @hop_timer.timed(hop_timer.TOKEN)
    def check(value: int) -> int:
        calls.append(value)
        return value * 2

    assert check(3) == 6 and calls == [3]
    assert hop_timer.snapshot() is None


def test_the_outermost_hop_wins() -> None:
    with hop_timer.accumulate():
        with hop_timer.hop(hop_timer.TOKEN):
            with hop_timer.hop(hop_timer.DB):
                time.sleep(0.002)
            with hop_timer.hop(hop_timer.HTTP):
                pass
        with hop_timer.hop(hop_timer.DB):
            pass
        found = hop_timer.snapshot()
    assert found is not None
    assert found['token']['n'] == 1 and found['token']['ms'] >= 2.0
    assert found['db']['n'] == 1 and found['db']['ms'] < found['token']['ms']
    assert 'http' not in found


def test_a_failing_hop_is_counted_and_closed() -> None:
    with hop_timer.accumulate():
        try:
            with hop_timer.hop(hop_timer.RPC):
                raise ValueError('remote error')
        except ValueError:
            pass
        with hop_timer.hop(hop_timer.HTTP):
            pass
        found = hop_timer.snapshot()
    assert found is not None and found['rpc']['n'] == 1 and found['http']['n'] == 1


def test_nested_accumulators_are_separate_and_the_outer_one_comes_back() -> None:
    with hop_timer.accumulate():
        with hop_timer.hop(hop_timer.RPC):
            with hop_timer.accumulate():
                with hop_timer.hop(hop_timer.DB):
                    pass
                inner = hop_timer.snapshot()
        outer = hop_timer.snapshot()
    assert inner is not None and outer is not None
    assert inner['db']['n'] == 1 and 'rpc' not in inner
    assert outer['rpc']['n'] == 1 and 'db' not in outer


def test_other_threads_are_not_counted_unless_they_run_in_the_context() -> None:
    def work() -> None:
        with hop_timer.hop(hop_timer.HTTP):
            pass

    seen: dict[str, Any] = {}

    def own_accumulator() -> None:
        with hop_timer.accumulate():
            work()
            seen['own'] = hop_timer.snapshot()

    with hop_timer.accumulate():
        plain = threading.Thread(target=work)
        plain.start()
        plain.join()
        assert hop_timer.snapshot() is not None
        assert 'http' not in (hop_timer.snapshot() or {})
        own = threading.Thread(target=own_accumulator)
        own.start()
        own.join()
        copies = [threading.Thread(target=contextvars.copy_context().run, args=(work,))
                  for _ in range(8)]
        for thread in copies:
            thread.start()
        for thread in copies:
            thread.join()
        found = hop_timer.snapshot()
    assert seen['own']['http']['n'] == 1
    assert found is not None and found['http']['n'] == 8


def test_database_statements_and_commits_are_db_hops(tmp_path: Any) -> None:
    database = db_api.Database(f'sqlite:///{tmp_path}/hops.sqlite')
    table = sa.Table('rows', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True))
    try:
        table.metadata.create_all(database.engine)
        with hop_timer.accumulate():
            with database.engine.begin() as conn:
                conn.execute(table.insert().values(id=1))
            with database.reader() as session:
                session.execute(sa.select(table)).all()
            with hop_timer.hop(hop_timer.PERSIST), database.session() as session:
                session.execute(table.insert().values(id=2))
            found = hop_timer.snapshot()
        # Outside an accumulator: still works, nothing counted.
        with database.engine.begin() as conn:
            conn.execute(table.insert().values(id=3))
        with database.reader() as session:
            assert len(session.execute(sa.select(table)).all()) == 3
    finally:
        database.dispose()
    assert found is not None
    # BEGIN IMMEDIATE, the insert, the commit; BEGIN DEFERRED and the select (a reader
    # ends in a rollback, not a commit); the persist transaction is one persist hop.
    assert found['db']['n'] >= 5
    assert found['persist']['n'] == 1
    assert found['commits'] == 2


def test_watching_an_engine_twice_counts_once(tmp_path: Any) -> None:
    database = db_api.Database(f'sqlite:///{tmp_path}/twice.sqlite')
    try:
        hop_timer.watch_engine(database.engine)
        with hop_timer.accumulate():
            with database.engine.begin() as conn:
                conn.exec_driver_sql('SELECT 1')
            found = hop_timer.snapshot()
    finally:
        database.dispose()
    assert found is not None and found['commits'] == 1


class _Transport:
    def __init__(self) -> None:
        self.sent: list[bool] = []

    def _send(self, target: Any, ctxt: Any, message: Any, wait_for_reply: bool | None = None,
              **kwargs: Any) -> str:
        self.sent.append(bool(wait_for_reply))
        return 'reply'


def test_transport_calls_and_casts_are_told_apart() -> None:
    transport = hop_timer.watch_transport(_Transport())
    hop_timer.watch_transport(transport)  # once only
    with hop_timer.accumulate():
        assert transport._send('t', {}, {}, wait_for_reply=True, timeout=1) == 'reply'
        transport._send('t', {}, {})
        transport._send('t', {}, {}, retry=None)
        found = hop_timer.snapshot()
    transport._send('t', {}, {}, wait_for_reply=True)
    assert found is not None and found['rpc']['n'] == 1 and found['cast']['n'] == 2
    assert transport.sent == [True, False, False, True]
