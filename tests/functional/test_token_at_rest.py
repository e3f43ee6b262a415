"""The user's token is never at rest in clear: not in any table, not on the jobboard.

A boot runs on the embedded cloud with its flows saved and posted as a job
(the database board on SQLite and on PostgreSQL, or the Redis board). It is
held before spawn by an injected delay, so that its run is saved and its job
claimed, and every column of every table of the database (found by SQLAlchemy
inspection) and every key of the test's Redis namespace is read: then, once
ACTIVE (the run still saved), then after the finished run is purged. The
token appears nowhere; the sealed token does appear in the saved run (so the
scan does read the run), and no longer once it is purged.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from oslo_config import cfg
from taskflow import states

from nova_lite.common import exception
from nova_lite.conductor import faults, flow_states, persistence, token_seal
from nova_lite.conductor.flows import keys
from nova_lite.db import api as db_api
from tests.functional import cluster
from tests.functional.conftest import CloudEnv, MakeEnv

HOLD = 5.0  # seconds the boot waits before spawn: the scans run meanwhile
FERNET_LIKE = re.compile(r'gAAAAA[A-Za-z0-9_\-]+=*')


def _as_text(value: Any) -> str:
    if value is None:
        return ''
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode('latin-1')
    return json.dumps(value, default=str)


def database_cells(db: db_api.Database) -> dict[str, list[str]]:
    """Every value of every column of every table, as text, by table."""
    cells: dict[str, list[str]] = {}
    metadata = sa.MetaData()
    with db.engine.connect() as conn:
        for name in sa.inspect(conn).get_table_names():
            table = sa.Table(name, metadata, autoload_with=conn)
            cells[name] = [_as_text(value) for row in conn.execute(sa.select(table))
                           for value in row]
    return cells


def redis_values(namespace: str) -> dict[str, bytes]:
    """Every key of ``namespace`` and what it holds (all of it, whatever its type)."""
    client = redis.Redis.from_url(cluster.REDIS_URL)
    found: dict[str, bytes] = {}
    try:
        for key in client.scan_iter(match=f'{namespace}*'):
            kind = client.type(key).decode()
            if kind == 'none':  # gone since the scan listed it (a job just consumed)
                continue
            if kind == 'string':
                parts = [client.get(key) or b'']
            elif kind == 'hash':
                parts = [item for pair in client.hgetall(key).items() for item in pair]
            elif kind == 'list':
                parts = client.lrange(key, 0, -1)
            elif kind == 'set':
                parts = sorted(client.smembers(key))
            elif kind == 'zset':
                parts = client.zrange(key, 0, -1)
            else:
                raise AssertionError(f'unexpected Redis type {kind} of {key!r}')
            found[key.decode()] = key + b'\0' + b'\0'.join(parts)
    finally:
        client.close()
    return found


def sealed_tokens_of(texts: list[str], sealer: token_seal.TokenSealer, token: str) -> int:
    """How many of the Fernet-looking strings in ``texts`` are ``token`` sealed."""
    count = 0
    for text in texts:
        for candidate in FERNET_LIKE.findall(text):
            try:
                count += sealer.unseal(candidate) == token
            except exception.SealedTokenInvalid:
                continue
    return count


def assert_not_in_database(db: db_api.Database, token: str) -> dict[str, list[str]]:
    cells = database_cells(db)
    assert {'logbooks', 'flowdetails', 'atomdetails', 'conductor_jobs',
            'instances'} <= set(cells)
    for probe in (token, token[20:52]):
        leaks = sorted({table for table, texts in cells.items()
                        if any(probe in text for text in texts)})
        assert leaks == [], f'the token is in clear in {leaks}'
    return cells


def _wait_until_held_before_spawn(env: CloudEnv, server_id: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        states, _runs = flow_states.load_atom_states(env.cloud.db, server_id, keys.BOOT_FLOW)
        if states.get(keys.SPAWN) == 'RUNNING':
            return
        time.sleep(0.02)
    raise AssertionError(f'the boot of {server_id} never reached spawn')


def _boot_held_then_active(env: CloudEnv, check_while_held: Any) -> dict[str, Any]:
    server_id = env.create()['id']
    _wait_until_held_before_spawn(env, server_id)
    check_while_held(server_id)
    server = env.wait(server_id)
    assert server['status'] == 'ACTIVE', server['fault']
    return server


def _wait_until_the_run_finished(env: CloudEnv, server_id: str) -> None:
    """The instance is ACTIVE a moment before the engine saves the run's end."""
    backend = persistence.DatabaseBackend(env.cloud.db)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if [run.state for run in persistence.runs_of_book(backend, server_id)] == [
                states.SUCCESS]:
            return
        time.sleep(0.02)
    raise AssertionError(f'the run of {server_id} never finished')


def _check_the_saved_run_then_purge(env: CloudEnv, server_id: str) -> None:
    sealer = env.cloud.boot_deps.sealer
    _wait_until_the_run_finished(env, server_id)
    # The run is still saved, with the sealed token (in the store and the context).
    cells = assert_not_in_database(env.cloud.db, env.token)
    assert sealed_tokens_of(cells['atomdetails'], sealer, env.token) >= 2

    housekeeping = env.cloud.conductor.housekeeping
    # The boot's run, and the volume service's run of the boot's volume create.
    assert housekeeping.purge_finished_runs(older_than=datetime.timedelta(0)) >= 1
    backend = persistence.DatabaseBackend(env.cloud.db)
    assert persistence.runs_of_book(backend, server_id) == []
    cells = assert_not_in_database(env.cloud.db, env.token)
    assert sealed_tokens_of([text for texts in cells.values() for text in texts], sealer,
                            env.token) == 0
    assert cells['logbooks'] == [] and cells['atomdetails'] == []


@pytest.fixture(params=['sqlite', 'postgresql'])
def database_board_env(request: pytest.FixtureRequest, make_env: MakeEnv) -> CloudEnv:
    if request.param == 'postgresql':
        request.getfixturevalue('pg_db')  # points [database] at a PostgreSQL database
    env = make_env(fault_injector=faults.FaultInjector(delay_at={keys.SPAWN: HOLD}))
    assert env.cloud.db.engine.dialect.name == request.param
    assert env.cloud.conf.jobboard.backend == 'database'
    return env


def test_no_table_holds_the_token_on_the_database_board(database_board_env: CloudEnv) -> None:
    env = database_board_env
    sealer = env.cloud.boot_deps.sealer

    def while_held(server_id: str) -> None:
        cells = assert_not_in_database(env.cloud.db, env.token)
        assert len(cells['conductor_jobs']) > 0  # the boot's job, claimed
        assert server_id in ''.join(cells['conductor_jobs'])
        # The injected store and the context authenticate provided.
        assert sealed_tokens_of(cells['atomdetails'], sealer, env.token) >= 2

    server = _boot_held_then_active(env, while_held)
    _check_the_saved_run_then_purge(env, server['id'])


@pytest.fixture
def redis_board_env(make_env: MakeEnv, conf: cfg.ConfigOpts,
                    redis_namespace: str) -> Iterator[CloudEnv]:
    conf.set_override('backend', 'redis', group='jobboard')
    conf.set_override('redis_url', cluster.REDIS_URL, group='jobboard')
    conf.set_override('namespace', redis_namespace, group='jobboard')
    yield make_env(fault_injector=faults.FaultInjector(delay_at={keys.SPAWN: HOLD}))


def test_no_table_nor_redis_key_holds_the_token_on_the_redis_board(
        redis_board_env: CloudEnv, redis_namespace: str) -> None:
    env = redis_board_env
    token = env.token.encode()

    def assert_not_in_redis() -> dict[str, bytes]:
        values = redis_values(redis_namespace)
        leaks = sorted(key for key, value in values.items()
                       if token in value or token[20:52] in value)
        assert leaks == [], f'the token is in clear in the Redis keys {leaks}'
        return values

    def while_held(server_id: str) -> None:
        values = assert_not_in_redis()
        # The scan did read the boot's job: its posting names the instance.
        assert any(server_id.encode() in value for value in values.values()), values
        assert_not_in_database(env.cloud.db, env.token)

    server = _boot_held_then_active(env, while_held)
    assert_not_in_redis()
    _check_the_saved_run_then_purge(env, server['id'])
