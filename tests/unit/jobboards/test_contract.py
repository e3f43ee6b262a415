"""The jobboard contract, run on every backend: the database board on SQLite and on
PostgreSQL, and TaskFlow's Redis board (with nova_lite's extend_claim) on the
local Redis. Each test gets boards of its own namespace; Redis keys are deleted after.
"""

from __future__ import annotations

import datetime
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
import redis
from oslo_config import cfg
from taskflow import exceptions as tf_exc
from taskflow import states
from taskflow.jobs import base as jobs_base
from taskflow.persistence import models

from nova_lite.conductor import jobboards
from nova_lite.conductor.jobboards.backends import impl_database, impl_redis
from nova_lite.conductor.persistence import DatabaseBackend
from nova_lite.db import api as db_api

REDIS_URL = 'redis://127.0.0.1:6379/0'
SHORT_EXPIRY = 0.3  # seconds: claims the tests let run out
PATIENCE = 5.0  # seconds a test waits for an expiry before failing



class MakeBoard:
    """Builds connected boards of one backend (same namespace: one cloud's conductors)."""

    def __init__(self, build: Callable[[str], jobboards.ClaimingJobBoard],
                 persistence: DatabaseBackend, namespace: str) -> None:
        self._build = build
        self.persistence = persistence
        self.namespace = namespace

    def __call__(self, namespace: str | None = None) -> jobboards.ClaimingJobBoard:
        return self._build(namespace or self.namespace)


def _delete_redis_namespace(namespace: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(match=f'{namespace}:*'):
            client.delete(key)
    finally:
        client.close()


@pytest.fixture(params=['sqlite', 'postgresql', 'redis'])
def make_board(request: pytest.FixtureRequest) -> Iterator[MakeBoard]:
    """Builds connected boards: same namespace = conductors of one cloud."""
    kind: str = request.param
    db: db_api.Database = request.getfixturevalue('pg_db' if kind == 'postgresql' else 'db')
    persistence = DatabaseBackend(db)
    default_namespace = f'nl_test_{uuid.uuid4().hex[:12]}'
    namespaces = {default_namespace}
    boards: list[jobboards.ClaimingJobBoard] = []

    def build(namespace: str) -> jobboards.ClaimingJobBoard:
        namespaces.add(namespace)
        board_conf = {'namespace': namespace, 'redis_url': REDIS_URL}
        board: jobboards.ClaimingJobBoard
        if kind == 'redis':
            board = impl_redis.RedisJobBoard(namespace, board_conf,
                                             persistence=persistence, db=db)
        else:
            board = impl_database.DatabaseJobBoard(namespace, board_conf,
                                                   persistence=persistence, db=db)
        board.connect()
        boards.append(board)
        return board

    yield MakeBoard(build, persistence, default_namespace)
    for board in boards:
        board.close()
    if kind == 'redis':
        for namespace in namespaces:
            _delete_redis_namespace(namespace)


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until true; fail after PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f'gave up waiting for {what}')
        time.sleep(0.02)


def _names(jobs: object) -> list[str]:
    return [job.name for job in jobs]  # type: ignore[attr-defined]


def test_post_lists_counts_and_round_trips(make_board: MakeBoard) -> None:
    board = make_board()
    book = models.LogBook('boot-i-1')
    make_board.persistence.get_connection().save_logbook(book)
    details = {'instance_id': 'i-1', 'flow_uuid': 'f-1', 'nested': {'n': [1, 2.5, None]}}
    posted = board.post('boot-i-1', book=book, details=details)
    board.post('boot-i-2')
    board.post('boot-i-3', priority=jobs_base.JobPriority.HIGH)

    assert posted.state == states.UNCLAIMED
    assert posted.book_uuid == book.uuid

    other = make_board()  # another conductor of the same cloud
    assert other.job_count == 3
    assert _names(other.iterjobs()) == ['boot-i-3', 'boot-i-1', 'boot-i-2']
    listed = next(job for job in other.iterjobs() if job.uuid == posted.uuid)
    assert listed.name == 'boot-i-1'
    assert listed.details == details
    assert listed.priority == jobs_base.JobPriority.NORMAL
    assert (listed.book_uuid, listed.book_name) == (book.uuid, 'boot-i-1')
    assert listed.book.uuid == book.uuid  # loaded through the persistence backend
    assert listed.created_on is not None


def test_second_claimer_gets_unclaimable(make_board: MakeBoard) -> None:
    board = make_board()
    job = board.post('boot-i-1')
    board.claim(job, 'conductor-a', expiry=30)
    assert board.find_owner(job) == 'conductor-a'
    assert job.state == states.CLAIMED
    assert job.last_modified >= job.created_on
    with pytest.raises(tf_exc.UnclaimableJob):
        make_board().claim(job, 'conductor-b', expiry=30)
    assert board.find_owner(job) == 'conductor-a'


def test_expired_claim_can_be_taken_over(make_board: MakeBoard) -> None:
    board = make_board()
    job = board.post('boot-i-1')
    board.claim(job, 'conductor-a', expiry=SHORT_EXPIRY)
    _wait_for(lambda: board.find_owner(job) is None, 'the claim to expire')
    assert job.state == states.UNCLAIMED
    assert _names(board.iterjobs(only_unclaimed=True)) == ['boot-i-1']
    board.claim(job, 'conductor-b', expiry=30)
    assert board.find_owner(job) == 'conductor-b'


def test_extend_claim_by_owner_outlives_first_expiry(make_board: MakeBoard) -> None:
    board = make_board()
    job = board.post('boot-i-1')
    claimed_at = time.monotonic()
    board.claim(job, 'conductor-a', expiry=SHORT_EXPIRY)
    assert board.extend_claim(job, 'conductor-a', 30) is True
    time.sleep(max(0.0, claimed_at + SHORT_EXPIRY + 0.2 - time.monotonic()))
    assert board.find_owner(job) == 'conductor-a'
    with pytest.raises(tf_exc.UnclaimableJob):
        board.claim(job, 'conductor-b')


def test_extend_claim_by_non_owner_changes_nothing(make_board: MakeBoard) -> None:
    board = make_board()
    job = board.post('boot-i-1')
    board.claim(job, 'conductor-a', expiry=SHORT_EXPIRY)
    assert board.extend_claim(job, 'conductor-b', 30) is False
    # Had conductor-b's renewal applied, the claim would last 30 s, not 0.3 s.
    _wait_for(lambda: board.find_owner(job) is None, 'the unrenewed claim to expire')


def test_extend_claim_after_takeover_is_refused(make_board: MakeBoard) -> None:
    board = make_board()
    job = board.post('boot-i-1')
    board.claim(job, 'conductor-a', expiry=SHORT_EXPIRY)
    _wait_for(lambda: board.find_owner(job) is None, 'the claim to expire')
    assert board.extend_claim(job, 'conductor-a', 30) is False  # lapsed, nobody holds it
    board.claim(job, 'conductor-b')  # no expiry
    assert board.extend_claim(job, 'conductor-a', SHORT_EXPIRY) is False
    # Had conductor-a's renewal applied, conductor-b's claim would now expire.
    time.sleep(SHORT_EXPIRY + 0.2)
    assert board.find_owner(job) == 'conductor-b'


def test_consume_abandon_trash_only_by_owner(make_board: MakeBoard) -> None:
    board = make_board()
    job = board.post('boot-i-1')
    for release in (board.consume, board.abandon, board.trash):
        with pytest.raises(tf_exc.NotFound):  # nobody holds it
            release(job, 'conductor-a')
    board.claim(job, 'conductor-a')
    for release in (board.consume, board.abandon, board.trash):
        with pytest.raises(tf_exc.JobFailure):
            release(job, 'conductor-b')
    assert board.find_owner(job) == 'conductor-a'

    board.abandon(job, 'conductor-a')
    assert board.find_owner(job) is None
    assert job.state == states.UNCLAIMED
    board.claim(job, 'conductor-b')
    board.consume(job, 'conductor-b')
    assert board.job_count == 0
    assert job.state == states.COMPLETE
    with pytest.raises(tf_exc.NotFound):
        board.consume(job, 'conductor-b')
    with pytest.raises(tf_exc.NotFound):
        board.claim(job, 'conductor-a')


def test_consume_after_claim_expired_is_refused(make_board: MakeBoard) -> None:
    board = make_board()
    job = board.post('boot-i-1')
    board.claim(job, 'conductor-a', expiry=SHORT_EXPIRY)
    _wait_for(lambda: board.find_owner(job) is None, 'the claim to expire')
    with pytest.raises(tf_exc.NotFound):
        board.consume(job, 'conductor-a')
    assert board.job_count == 1


def test_trashed_jobs_leave_the_listing(make_board: MakeBoard) -> None:
    board = make_board()
    job = board.post('boot-i-1', details={'instance_id': 'i-1'})
    board.post('boot-i-2')
    board.claim(job, 'conductor-a')
    board.trash(job, 'conductor-a')
    assert _names(board.iterjobs()) == ['boot-i-2']
    assert board.job_count == 1
    assert job.state == states.COMPLETE
    trashed = board.trashed_jobs()  # type: ignore[attr-defined]
    assert [(t.uuid, t.name, t.details) for t in trashed] == [
        (job.uuid, 'boot-i-1', {'instance_id': 'i-1'})]
    with pytest.raises(tf_exc.NotFound):
        board.claim(job, 'conductor-b')


def test_only_unclaimed_filters_held_jobs(make_board: MakeBoard) -> None:
    board = make_board()
    held = board.post('boot-i-1')
    board.post('boot-i-2')
    board.claim(held, 'conductor-a', expiry=30)
    assert _names(board.iterjobs(only_unclaimed=True)) == ['boot-i-2']
    assert _names(board.iterjobs()) == ['boot-i-1', 'boot-i-2']


def test_concurrent_claims_have_one_winner(make_board: MakeBoard) -> None:
    claimers = 8
    boards = [make_board() for _ in range(claimers)]
    for round_number in range(3):
        job = boards[0].post(f'boot-i-{round_number}')
        barrier = threading.Barrier(claimers)
        winners: list[str] = []
        losers: list[str] = []
        errors: list[BaseException] = []

        def claim(index: int, job: jobs_base.Job = job,
                  barrier: threading.Barrier = barrier,
                  winners: list[str] = winners, losers: list[str] = losers,
                  errors: list[BaseException] = errors) -> None:
            who = f'conductor-{index}'
            barrier.wait()
            try:
                boards[index].claim(job, who, expiry=30)
                winners.append(who)
            except tf_exc.UnclaimableJob:
                losers.append(who)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=claim, args=(i,)) for i in range(claimers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert len(winners) == 1 and len(losers) == claimers - 1
        assert boards[0].find_owner(job) == winners[0]


def test_namespaces_keep_boards_apart(make_board: MakeBoard) -> None:
    ours = make_board()
    theirs = make_board(f'nl_test_{uuid.uuid4().hex[:12]}')
    job = ours.post('boot-i-1')
    theirs.post('boot-x-1')
    assert _names(ours.iterjobs()) == ['boot-i-1']
    assert _names(theirs.iterjobs()) == ['boot-x-1']
    assert theirs.job_count == 1
    with pytest.raises(tf_exc.NotFound):
        theirs.claim(job, 'conductor-x')
    assert ours.find_owner(job) is None


def test_wait_returns_posted_jobs_or_times_out(make_board: MakeBoard) -> None:
    board = make_board()
    with pytest.raises(tf_exc.NotFound):
        board.wait(timeout=0.1)
    board.post('boot-i-1')
    assert _names(board.wait(timeout=1)) == ['boot-i-1']


def test_bad_claim_arguments_are_refused(make_board: MakeBoard) -> None:
    board = make_board()
    job = board.post('boot-i-1')
    with pytest.raises(ValueError):
        board.claim(job, '')
    with pytest.raises(TypeError):
        board.claim(job, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match='expiry'):
        board.claim(job, 'conductor-a', expiry=0)
    board.claim(job, 'conductor-a')
    with pytest.raises(ValueError, match='expiry'):
        board.extend_claim(job, 'conductor-a', -1)
    with pytest.raises(ValueError, match='expiry'):
        board.extend_claim(job, 'conductor-a', float('nan'))
    assert board.find_owner(job) == 'conductor-a'


@pytest.mark.parametrize('backend, board_class', [
    ('database', impl_database.DatabaseJobBoard),
    ('redis', impl_redis.RedisJobBoard)])
def test_load_picks_the_configured_backend(conf: cfg.ConfigOpts, db: db_api.Database,
                                           backend: str, board_class: type) -> None:
    namespace = f'nl_test_{uuid.uuid4().hex[:12]}'
    conf.set_override('backend', backend, group='jobboard')
    conf.set_override('namespace', namespace, group='jobboard')
    conf.set_override('redis_url', REDIS_URL, group='jobboard')
    board = jobboards.load(conf, db, DatabaseBackend(db))
    try:
        assert type(board) is board_class
        assert board.connected
        job = board.post('boot-i-1')
        board.claim(job, 'conductor-a', expiry=30)
        assert board.extend_claim(job, 'conductor-a', 30) is True
    finally:
        board.close()
        _delete_redis_namespace(namespace)


# -- backend specifics --------------------------------------------------------


@pytest.fixture(params=['sqlite', 'postgresql'])
def any_db(request: pytest.FixtureRequest) -> db_api.Database:
    return request.getfixturevalue('pg_db' if request.param == 'postgresql' else 'db')


def test_database_expiry_keeps_microseconds(any_db: db_api.Database) -> None:
    """Claims expire to the microsecond of the conductor's clock (no sleeping: the
    board's clock is set by the test)."""
    now = datetime.datetime(2030, 1, 2, 3, 4, 5, 123456)
    board = impl_database.DatabaseJobBoard(
        'b', {'namespace': f'nl_test_{uuid.uuid4().hex[:12]}'}, db=any_db, clock=lambda: now)
    board.connect()
    job = board.post('boot-i-1')
    assert board.fetch_jobs()[0].created_on == now
    board.claim(job, 'conductor-a', expiry=0.5)
    now += datetime.timedelta(seconds=0.499999)
    assert board.find_owner(job) == 'conductor-a'
    with pytest.raises(tf_exc.UnclaimableJob):
        board.claim(job, 'conductor-b')
    now += datetime.timedelta(microseconds=1)
    assert board.find_owner(job) is None
    assert board.extend_claim(job, 'conductor-a', 10) is False
    board.claim(job, 'conductor-b', expiry=0.25)
    assert board.find_owner(job) == 'conductor-b'


def test_database_board_refuses_bad_input(any_db: db_api.Database) -> None:
    with pytest.raises(ValueError, match='namespace'):
        impl_database.DatabaseJobBoard('b', {'namespace': 'n' * 300}, db=any_db)
    with pytest.raises(ValueError, match='db='):
        impl_database.DatabaseJobBoard('b', {'namespace': 'n'})
    board = impl_database.DatabaseJobBoard('b', {'namespace': 'n'}, db=any_db)
    board.connect()
    with pytest.raises(ValueError, match='details'):
        board.post('boot-i-1', details={'when': object()})
    with pytest.raises(ValueError, match='name'):
        board.post('')
    with pytest.raises(ValueError, match='priority'):
        board.post('boot-i-1', priority='URGENT')
    job = board.post('boot-i-1')
    with pytest.raises(ValueError, match='who'):
        board.claim(job, 'w' * 300)
    assert board.job_count == 1 and board.find_owner(job) is None


@pytest.mark.parametrize('url, expected', [
    ('redis://127.0.0.1:6379/0', {'host': '127.0.0.1', 'port': 6379, 'db': 0}),
    ('redis://:secret@cache:6380/2', {'host': 'cache', 'port': 6380, 'db': 2,
                                      'password': 'secret'}),
    ('rediss://cache/1', {'host': 'cache', 'db': 1, 'ssl': True}),
    ('unix:///run/redis.sock?db=3', {'unix_socket_path': '/run/redis.sock', 'db': 3}),
])
def test_redis_url_becomes_client_options(url: str, expected: dict[str, object]) -> None:
    assert impl_redis.client_conf_from_url(url) == expected


@pytest.mark.parametrize('url', ['', 'http://cache:6379/0', 'redis://cache:port/0'])
def test_bad_redis_url_names_the_option(url: str) -> None:
    with pytest.raises(ValueError, match=r'\[jobboard\] redis_url'):
        impl_redis.RedisJobBoard('b', {'namespace': 'n', 'redis_url': url})
