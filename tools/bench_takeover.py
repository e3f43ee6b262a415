#!/usr/bin/env python
"""How soon a dead conductor's boot is taken over, and what the jobboard costs per boot.

Boards, in interleaved rounds: the database board on file SQLite and on a
temporary PostgreSQL database, and the Redis board on a private namespace
(deleted after; logbooks in PostgreSQL, else SQLite).

Takeover: conductor A posts a boot (BootJobs.post_boot), claims it, starts its
lease, and after one to two renewal periods (expiry/3) dies: its keep-alive
stops, its claim stays on the board until it expires. Conductor B, polling
(BootJobs.start_polling) from a random moment after A's claim, claims the job.
Printed: when B's claim returned, after A died and after A's last renewal was
sent (bound: claim_expiry + poll_interval, plus B's look at the board and claim).

Overhead per boot, by one conductor: post_boot, claim, finish (consume); also
one lease renewal (every expiry/3 while a boot runs) and one look at the empty
board (every poll_interval, on every conductor).

    python tools/bench_takeover.py [--claim-expiry 2.0] [--poll-interval 0.5] [--runs 10]
        [--boots 50] [--pg-url URL | --no-pg] [--redis-url URL | --no-redis]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import os
import platform
import queue
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator

import redis
import sqlalchemy as sa
from taskflow.jobs import base as jobs_base

from nova_lite.conductor.boot_jobs import BootJobs, ClaimedBoot, JobSettings, conductor_identity
from nova_lite.conductor.jobboards import ClaimingJobBoard
from nova_lite.conductor.jobboards.backends import impl_database, impl_redis
from nova_lite.conductor.persistence import DatabaseBackend
from nova_lite.db import api as db_api
from nova_lite.db import migration

LOCAL_PG_URL = 'postgresql+psycopg://postgres@127.0.0.1:5432/test'
PHASES = ('post', 'claim', 'renew', 'finish', 'poll')


@dataclasses.dataclass(frozen=True)
class Board:
    """A board under test: ``connect()`` is one more conductor's connection to it."""

    name: str
    persistence: DatabaseBackend
    connect: Callable[[], ClaimingJobBoard]


def make_board(name: str, db: db_api.Database, redis_url: str | None = None,
               namespace: str | None = None) -> Board:
    """The Redis board if ``redis_url``, else the database board on ``db``; logbooks in ``db``."""
    namespace = namespace or f'nl_bench_{uuid.uuid4().hex[:10]}'
    conf, persistence = {'namespace': namespace, 'redis_url': redis_url}, DatabaseBackend(db)

    def connect() -> ClaimingJobBoard:
        board: ClaimingJobBoard = (
            impl_redis.RedisJobBoard(namespace, conf, persistence=persistence) if redis_url
            else impl_database.DatabaseJobBoard(namespace, conf, persistence=persistence, db=db))
        board.connect()
        return board
    return Board(name, persistence, connect)


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[db_api.Database]:
    """A migrated temporary database on the server of ``admin_url``, dropped after."""
    name = f'nova_lite_bench_{uuid.uuid4().hex[:10]}'
    admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
    with contextlib.ExitStack() as stack:
        stack.callback(admin.dispose)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE {name}')

        @stack.callback
        def drop() -> None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        database = db_api.Database(
            sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False))
        stack.callback(database.dispose)
        migration.upgrade(database)
        yield database


@contextlib.contextmanager
def redis_namespace(redis_url: str) -> Iterator[tuple[str, str]]:
    """A fresh key prefix on the server, and its version; the prefix's keys deleted after."""
    client, namespace = redis.Redis.from_url(redis_url), f'nl_bench_{uuid.uuid4().hex[:10]}'
    try:
        yield namespace, client.info()['redis_version']
    finally:
        with contextlib.suppress(redis.RedisError):
            for key in client.scan_iter(match=f'{namespace}:*'):
                client.delete(key)
        client.close()


def record_renewals(board: ClaimingJobBoard) -> list[float]:
    """Monotonic times at which ``board`` (this instance only) is sent a renewal."""
    sent: list[float] = []
    extend_claim = board.extend_claim

    def recording_extend_claim(job: jobs_base.Job, who: str, expiry: float) -> bool:
        sent.append(time.monotonic())
        return extend_claim(job, who, expiry)
    board.extend_claim = recording_extend_claim  # type: ignore[method-assign]
    return sent


def takeover_once(board: Board, settings: JobSettings,
                  rng: random.Random) -> tuple[float, float, int]:
    """Seconds from A's death, and from its last renewal, to B's claim; B's claim count."""
    board_a, board_b = board.connect(), board.connect()
    renewals = record_renewals(board_a)
    conductor_a = BootJobs(board_a, board.persistence, conductor_identity('a'), settings)
    conductor_b = BootJobs(board_b, board.persistence, conductor_identity('b'), settings)
    taken: queue.Queue[tuple[float, ClaimedBoot]] = queue.Queue()

    def submit(job: jobs_base.Job) -> None:
        if (claimed := conductor_b.claim(job)) is not None:
            taken.put((time.monotonic(), claimed))

    try:
        instance_id = str(uuid.uuid4())
        job = conductor_a.post_boot(instance_id, {'instance_id': instance_id})
        claim_sent = time.monotonic()
        if (held := conductor_a.claim(job)) is None:
            raise RuntimeError(f'{board.name}: conductor A could not claim its own job')
        held.lease.start()
        dies_at = time.monotonic() + rng.uniform(1.0, 2.0) * settings.claim_expiry / 3.0
        time.sleep(rng.uniform(0.0, settings.poll_interval))  # B's polls: a random phase
        conductor_b.start_polling(submit)
        time.sleep(max(0.0, dies_at - time.monotonic()))
        held.lease.stop()  # A dies: no more renewals, and its claim is not released
        died, last_renewal = time.monotonic(), max(renewals, default=claim_sent)
        patience = settings.claim_expiry + settings.poll_interval + 30.0
        try:
            claimed_at, claimed = taken.get(timeout=patience)
        except queue.Empty:
            raise RuntimeError(f'{board.name}: conductor B did not take the job over '
                               f'within {patience:.0f} s') from None
        conductor_b.finish(claimed.lease.job)
        return claimed_at - died, claimed_at - last_renewal, claimed.claims
    finally:
        conductor_b.stop()  # also closes board_b
        board_a.close()


def boot_overhead(jobs: BootJobs) -> dict[str, float]:
    """Seconds of each jobboard step (PHASES) of one boot, by one conductor."""
    instance_id = str(uuid.uuid4())
    marks = [time.perf_counter()]
    job = jobs.post_boot(instance_id, {'instance_id': instance_id})
    marks.append(time.perf_counter())
    claimed = jobs.claim(job)
    marks.append(time.perf_counter())
    if claimed is None or not claimed.lease.renew():
        raise RuntimeError(f'could not claim and renew the job just posted ({job.name})')
    marks.append(time.perf_counter())
    jobs.finish(job)
    marks.append(time.perf_counter())
    jobs.unclaimed_jobs()
    marks.append(time.perf_counter())
    return {phase: end - start
            for phase, start, end in zip(PHASES, marks[:-1], marks[1:], strict=True)}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def open_boards(stack: contextlib.ExitStack, args: argparse.Namespace,
                ) -> tuple[list[Board], list[str]]:
    """The boards to measure (cleaned up by ``stack``), and the servers' versions."""
    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix='bench-takeover-'))
    logbook_db = sqlite_db = db_api.Database(f'sqlite:///{tmp}/nova_lite.sqlite')
    stack.callback(sqlite_db.dispose)
    migration.upgrade(sqlite_db)
    boards, versions = [make_board('sqlite', sqlite_db)], [f'SQLite {sqlite3.sqlite_version}']
    if not args.no_pg:
        try:
            logbook_db = stack.enter_context(postgres_database(args.pg_url))
            with logbook_db.engine.connect() as conn:
                versions.append(
                    f'PostgreSQL {conn.exec_driver_sql("SHOW server_version").scalar()}')
            boards.append(make_board('postgresql', logbook_db))
        except sa.exc.SQLAlchemyError as exc:
            print(f'note: PostgreSQL skipped ({type(exc).__name__} on {args.pg_url})')
    if not args.no_redis:
        try:
            namespace, version = stack.enter_context(redis_namespace(args.redis_url))
            boards.append(make_board('redis', logbook_db, args.redis_url, namespace))
            versions.append(f'Redis {version} (its logbooks in {boards[-2].name})')
        except (redis.RedisError, ValueError) as exc:
            print(f'note: Redis skipped ({type(exc).__name__} on {args.redis_url})')
    return boards, versions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--claim-expiry', type=float, default=2.0, help='seconds (default 2)')
    parser.add_argument('--poll-interval', type=float, default=0.5, help='seconds (default 0.5)')
    parser.add_argument('--runs', type=int, default=10, help='takeovers per board (default 10)')
    parser.add_argument('--boots', type=int, default=50, help='boots per board (default 50)')
    parser.add_argument('--pg-url', default=os.environ.get('NOVA_LITE_TEST_PG_URL', LOCAL_PG_URL),
                        help='PostgreSQL server URL (a temporary database is created)')
    parser.add_argument('--no-pg', action='store_true', help='skip PostgreSQL')
    parser.add_argument('--redis-url', default='redis://127.0.0.1:6379/0')
    parser.add_argument('--no-redis', action='store_true', help='skip Redis')
    args = parser.parse_args()
    for field in ('claim_expiry', 'poll_interval', 'runs', 'boots'):
        if getattr(args, field) <= 0:
            parser.error(f'--{field.replace("_", "-")} must be positive')
    logging.basicConfig(level=logging.WARNING, format='%(levelname)s %(name)s: %(message)s')
    settings = JobSettings(args.claim_expiry, args.poll_interval, max_claims=3)

    with contextlib.ExitStack() as stack:
        boards, versions = open_boards(stack, args)
        print(f'host {platform.node()}: {platform.platform(terse=True)}, {os.cpu_count()} CPUs, '
              f'load {os.getloadavg()[0]:.2f}, Python {platform.python_version()}; '
              f'{", ".join(versions)}')
        print(f'claim_expiry {args.claim_expiry} s, poll_interval {args.poll_interval} s; '
              f'{args.runs} takeovers and {args.boots} boots per board, boards interleaved')
        rng = random.Random()
        takeovers: dict[str, list[tuple[float, float, int]]] = {b.name: [] for b in boards}
        for _ in range(args.runs):
            for board in boards:
                takeovers[board.name].append(takeover_once(board, settings, rng))
        conductors = {board.name: BootJobs(board.connect(), board.persistence,
                                           conductor_identity('bench'), settings)
                      for board in boards}
        for jobs in conductors.values():
            stack.callback(jobs.stop)
            for _ in range(3):  # warm-up
                boot_overhead(jobs)
        overhead: dict[str, list[dict[str, float]]] = {name: [] for name in conductors}
        for _ in range(args.boots):
            for name, jobs in conductors.items():
                overhead[name].append(boot_overhead(jobs))
    print(f'load average at the end: {os.getloadavg()[0]:.2f}')
    report(takeovers, overhead, args.claim_expiry + args.poll_interval)


def report(takeovers: dict[str, list[tuple[float, float, int]]],
           overhead: dict[str, list[dict[str, float]]], bound: float) -> None:
    print(f'\ntakeover: seconds until B\'s claim returned, counted from A\'s death | from '
          f'A\'s last renewal (bound {bound:g} s + B\'s look and claim)')
    print(f'{"board":<12}{"median":>9}{"p90":>8}{"min":>8}{"max":>8} | '
          f'{"median":>8}{"p90":>8}{"max":>8}{"> bound":>10}')
    for name, runs in takeovers.items():
        died, renewed = [run[0] for run in runs], [run[1] for run in runs]
        over = sum(value > bound for value in renewed)
        print(f'{name:<12}{statistics.median(died):>9.3f}{percentile(died, 0.9):>8.3f}'
              f'{min(died):>8.3f}{max(died):>8.3f} | {statistics.median(renewed):>8.3f}'
              f'{percentile(renewed, 0.9):>8.3f}{max(renewed):>8.3f}{over:>7}/{len(runs)}')
        if unexpected := sorted({run[2] for run in runs} - {2}):
            print(f'  note: B\'s claim counted {unexpected} claims in some runs (2 expected)')
    print('\nper-boot jobboard overhead, median ms (total = post + claim + finish)')
    print(f'{"board":<12}' + ''.join(f'{phase:>9}' for phase in PHASES) + f'{"total":>9}'
          f'{"p90":>9}')
    totals = {}
    for name, boots in overhead.items():
        total = [boot['post'] + boot['claim'] + boot['finish'] for boot in boots]
        totals[name] = statistics.median(total) * 1000
        medians = [statistics.median(boot[phase] for boot in boots) * 1000 for phase in PHASES]
        print(f'{name:<12}' + ''.join(f'{value:>9.2f}' for value in medians)
              + f'{totals[name]:>9.2f}{percentile(total, 0.9) * 1000:>9.2f}')
    for name, total in totals.items():
        if name != 'sqlite':
            print(f'{name} vs sqlite: x{total / totals["sqlite"]:.2f} (total)')


if __name__ == '__main__':
    main()
