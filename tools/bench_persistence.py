#!/usr/bin/env python
"""What persisting a boot's flow costs: a boot-shaped no-op flow, N runs per backend.

Backends, run in interleaved rounds so that machine noise hits all alike:
  none         no persistence (TaskFlow's throw-away memory backend)
  ours-sqlite  nova_lite's DatabaseBackend, file SQLite in WAL mode
  ours-sqlite+progress  the same, also saving every progress notification
  stock-sqlite TaskFlow's SQLAlchemyBackend, file SQLite
  ours-pg      DatabaseBackend on PostgreSQL (a temporary database), if reachable

Each timed run is what the conductor does per boot: a new logbook, engine
load (saves the logbook and flow detail) and run, on the parallel engine
with one shared executor. Prints median and p90 wall time per flow, median
CPU time of this process per flow (less sensitive to a busy machine),
statements and commits per flow, and the ratios.

    python tools/bench_persistence.py [-n 50] [--pg-url URL | --no-pg]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import futurist
import sqlalchemy as sa
from taskflow import engines, retry, task
from taskflow.patterns import graph_flow, linear_flow
from taskflow.persistence import models
from taskflow.persistence.backends import impl_sqlalchemy

from nova_lite.conductor.persistence import DatabaseBackend
from nova_lite.db import api as db_api
from nova_lite.db import migration

DEFAULT_PG_URL = 'postgresql+psycopg://postgres@127.0.0.1:5432/test'


class NoOp(task.Task):
    def execute(self, instance_id: str, **inputs: Any) -> dict[str, str]:
        return {'done': self.name}


def boot_shaped_flow() -> linear_flow.Flow:
    """boot.py's shape: 9 tasks and a retry (plus the store's injector atom: 11)."""
    def step(name: str, *requires: str) -> NoOp:
        return NoOp(name=name, provides=name, requires=('instance_id', *requires))

    gather = graph_flow.Flow('gather').add(
        step('flavor'), step('image'), step('network'), step('volume'))
    reschedule = linear_flow.Flow('reschedule', retry=retry.Times(3, name='host-retry')).add(
        step('schedule'), gather, step('spawn', 'flavor', 'image', 'network', 'volume'))
    return linear_flow.Flow('boot-instance').add(
        step('instance-to-error-on-revert'), step('authenticate'), reschedule,
        step('mark-active', 'spawn'))


class Counter:
    """Statements and commits an engine sends, via SQLAlchemy events."""

    def __init__(self, engine: sa.Engine | None) -> None:
        self.statements = self.commits = 0
        if engine is not None:
            sa.event.listen(engine, 'before_cursor_execute', self._statement)
            sa.event.listen(engine, 'commit', self._commit)

    def _statement(self, *_args: Any) -> None:
        self.statements += 1

    def _commit(self, *_args: Any) -> None:
        self.commits += 1


def run_once(backend: Any, executor: futurist.Executor) -> tuple[float, float]:
    """Wall time and this process's CPU time (all threads) of one boot-shaped run."""
    book = models.LogBook('bench') if backend is not None else None
    started, cpu_started = time.perf_counter(), time.process_time()
    engine = engines.load(boot_shaped_flow(), store={'instance_id': str(uuid.uuid4())},
                          book=book, backend=backend, engine='parallel', executor=executor)
    engine.run()
    return time.perf_counter() - started, time.process_time() - cpu_started


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[db_api.Database]:
    name = f'nova_lite_bench_{uuid.uuid4().hex[:10]}'
    admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE {name}')
    database = db_api.Database(
        sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False))
    try:
        migration.upgrade(database)
        yield database
    finally:
        database.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        admin.dispose()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-n', '--runs', type=int, default=50, help='timed runs per backend')
    parser.add_argument('--warmup', type=int, default=3, help='untimed runs per backend')
    parser.add_argument('--pg-url', default=DEFAULT_PG_URL,
                        help='PostgreSQL server URL (a temporary database is created)')
    parser.add_argument('--no-pg', action='store_true', help='skip PostgreSQL')
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix='bench-persistence-'))
        executor = futurist.ThreadPoolExecutor(max_workers=4)
        stack.callback(executor.shutdown)

        sqlite_db = db_api.Database(f'sqlite:///{tmp}/nova_lite.sqlite')
        stack.callback(sqlite_db.dispose)
        migration.upgrade(sqlite_db)
        # Its own engine on the same file, so that its statements are counted apart.
        progress_db = db_api.Database(f'sqlite:///{tmp}/nova_lite.sqlite')
        stack.callback(progress_db.dispose)
        stock = impl_sqlalchemy.SQLAlchemyBackend({'connection': f'sqlite:///{tmp}/stock.sqlite'})
        stack.callback(stock.close)
        with contextlib.closing(stock.get_connection()) as conn:
            conn.upgrade()

        backends: dict[str, tuple[Any, sa.Engine | None]] = {
            'none': (None, None),
            'ours-sqlite': (DatabaseBackend(sqlite_db), sqlite_db.engine),
            'ours-sqlite+progress': (DatabaseBackend(progress_db, persist_progress=True),
                                     progress_db.engine),
            'stock-sqlite': (stock, stock.engine),
        }
        if not args.no_pg:
            try:
                pg_db = stack.enter_context(postgres_database(args.pg_url))
                backends['ours-pg'] = (DatabaseBackend(pg_db), pg_db.engine)
            except sa.exc.SQLAlchemyError as exc:
                print(f'note: PostgreSQL skipped ({args.pg_url} not usable: '
                      f'{type(exc).__name__})')

        for backend, _engine in backends.values():
            for _ in range(args.warmup):
                run_once(backend, executor)
        counters = {name: Counter(engine) for name, (_b, engine) in backends.items()}
        times: dict[str, list[float]] = {name: [] for name in backends}
        cpu: dict[str, list[float]] = {name: [] for name in backends}
        runners: list[tuple[str, Callable[[], tuple[float, float]]]] = [
            (name, (lambda b=backend: run_once(b, executor)))
            for name, (backend, _engine) in backends.items()]
        for _ in range(args.runs):
            for name, runner in runners:
                wall, cpu_time = runner()
                times[name].append(wall)
                cpu[name].append(cpu_time)

    report(times, cpu, counters, args.runs)


def report(times: dict[str, list[float]], cpu: dict[str, list[float]],
           counters: dict[str, Counter], runs: int) -> None:
    print(f'boot-shaped flow (9 tasks + retry + injector = 11 atoms), parallel engine, '
          f'shared executor; {runs} runs each, interleaved')
    print('(statements include SQLite\'s BEGIN IMMEDIATE; on PostgreSQL the pool\'s '
          'pre-ping SELECT 1 is not counted)')
    print(f'{"backend":<22}{"median ms":>10}{"p90 ms":>10}{"cpu ms":>8}{"stmts/flow":>12}'
          f'{"commits/flow":>14}')
    medians = {}
    for name, values in times.items():
        medians[name] = statistics.median(values) * 1000
        counter = counters[name]
        stmts = f'{counter.statements / runs:.0f}' if name != 'none' else '-'
        commits = f'{counter.commits / runs:.0f}' if name != 'none' else '-'
        print(f'{name:<22}{medians[name]:>10.2f}{percentile(values, 0.9) * 1000:>10.2f}'
              f'{statistics.median(cpu[name]) * 1000:>8.2f}{stmts:>12}{commits:>14}')
    none = medians['none']
    for name in ('ours-sqlite', 'ours-sqlite+progress', 'ours-pg'):
        if name in medians:
            print(f'{name} vs none: x{medians[name] / none:.2f} '
                  f'(+{medians[name] - none:.2f} ms per flow)')
    print(f'stock-sqlite vs ours-sqlite: x{medians["stock-sqlite"] / medians["ours-sqlite"]:.1f}')


if __name__ == '__main__':
    main()
