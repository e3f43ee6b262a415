"""Concurrent reservations of one volume: the database picks exactly one winner."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent import futures
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.volume import manager as volume_manager
from nova_lite.volume.backends import base

RACERS = 8


def _race(call: Callable[[int], dict[str, Any]]) -> tuple[list[dict], list[Exception]]:
    barrier = threading.Barrier(RACERS)

    def run(index: int) -> dict[str, Any]:
        barrier.wait()
        return call(index)

    wins: list[dict] = []
    losses: list[Exception] = []
    with futures.ThreadPoolExecutor(RACERS) as pool:
        for future in [pool.submit(run, i) for i in range(RACERS)]:
            try:
                wins.append(future.result(timeout=60))
            except exception.NovaLiteError as exc:
                losses.append(exc)
    return wins, losses


def _check_one_winner(conf: cfg.ConfigOpts, database: db_api.Database,
                      ctx: nl_context.RequestContext) -> None:
    manager = volume_manager.VolumeManager(conf, database, base.load_backend(conf))
    volume = manager.create_volume(ctx, 1)
    instances = [str(uuid.uuid4()) for _ in range(RACERS)]
    wins, losses = _race(lambda i: manager.reserve_volume(ctx, volume['id'], instances[i]))
    assert len(wins) == 1
    assert len(losses) == RACERS - 1
    assert all(isinstance(e, exception.InvalidState) and e.code == 409 for e in losses)
    [attachment] = manager.list_attachments(ctx, volume_id=volume['id'])
    assert attachment['id'] == wins[0]['id']
    assert manager.get_volume(ctx, volume['id'])['status'] == 'reserved'


def _check_same_instance_gets_one_attachment(conf: cfg.ConfigOpts,
                                             database: db_api.Database,
                                             ctx: nl_context.RequestContext) -> None:
    manager = volume_manager.VolumeManager(conf, database, base.load_backend(conf))
    volume = manager.create_volume(ctx, 1)
    instance_id = str(uuid.uuid4())
    wins, losses = _race(lambda _i: manager.reserve_volume(ctx, volume['id'], instance_id))
    assert losses == []
    assert {w['id'] for w in wins} == {
        a['id'] for a in manager.list_attachments(ctx, instance_id=instance_id)}
    assert len({w['id'] for w in wins}) == 1


def test_racing_instances_sqlite(conf, db, member_ctx) -> None:
    _check_one_winner(conf, db, member_ctx)


def test_same_instance_retries_sqlite(conf, db, member_ctx) -> None:
    _check_same_instance_gets_one_attachment(conf, db, member_ctx)


@pytest.mark.postgresql
def test_racing_instances_postgresql(conf, pg_db, member_ctx) -> None:
    _check_one_winner(conf, pg_db, member_ctx)


@pytest.mark.postgresql
def test_same_instance_retries_postgresql(conf, pg_db, member_ctx) -> None:
    _check_same_instance_gets_one_attachment(conf, pg_db, member_ctx)
