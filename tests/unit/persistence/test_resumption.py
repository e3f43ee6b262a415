"""The resumption helpers: starting, finding, loading and purging stored runs."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from taskflow import exceptions as tf_exc
from taskflow import states
from taskflow.persistence import models

from nova_lite.conductor import persistence
from nova_lite.db import api as db_api


def _finish(backend: persistence.DatabaseBackend, flow_detail: models.FlowDetail,
            state: str) -> None:
    flow_detail.state = state
    with contextlib.closing(backend.get_connection()) as conn:
        conn.update_flow_details(flow_detail)


def test_start_find_and_load_runs(db: db_api.Database) -> None:
    backend = persistence.DatabaseBackend(db)
    runs = {}
    for name, state in (('a', None), ('b', states.RUNNING), ('c', states.SUCCESS),
                        ('d', states.REVERTED), ('e', states.FAILURE),
                        ('f', states.SUSPENDED)):
        book, flow_detail = persistence.start_run(backend, 'boot-instance', book_uuid=name,
                                                  book_name=f'boot {name}',
                                                  meta={'instance_id': name})
        assert (book.uuid, book.name, flow_detail.state) == (name, f'boot {name}',
                                                             states.PENDING)
        if state is not None:
            _finish(backend, flow_detail, state)
        runs[name] = flow_detail
    unfinished = persistence.unfinished_runs(backend)
    assert sorted(run.book_uuid for run in unfinished) == ['a', 'b', 'f']
    run = next(r for r in unfinished if r.book_uuid == 'b')
    assert (run.flow_uuid, run.flow_name, run.state, run.meta) == (
        runs['b'].uuid, 'boot-instance', states.RUNNING, {'instance_id': 'b'})
    assert [r.flow_uuid for r in persistence.runs_of_book(backend, 'c')] == [runs['c'].uuid]
    assert persistence.runs_of_book(backend, 'nope') == []
    book, flow_detail = persistence.load_run(backend, runs['f'].uuid)
    assert book.uuid == 'f' and book.find(flow_detail.uuid) is flow_detail
    with pytest.raises(tf_exc.NotFound):
        persistence.load_run(backend, 'nope')


def test_purge_finished_keeps_unfinished_and_recent_runs(db: db_api.Database) -> None:
    backend = persistence.DatabaseBackend(db)
    for name, state in (('done', states.SUCCESS), ('reverted', states.REVERTED),
                        ('running', states.RUNNING)):
        _book, flow_detail = persistence.start_run(backend, 'boot-instance', book_uuid=name)
        _finish(backend, flow_detail, state)
    hour = datetime.timedelta(hours=1)
    assert persistence.purge_finished(backend, hour) == 0  # all too recent
    later = models.LogBook('x').created_at + 2 * hour
    assert persistence.purge_finished(backend, hour, now=later) == 2
    remaining = [book.uuid for book in backend.get_connection().get_logbooks()]
    assert remaining == ['running']


@pytest.mark.parametrize('database', ['db', 'pg_db'])
def test_count_claim_and_end_run(database: str, request: pytest.FixtureRequest) -> None:
    backend = persistence.DatabaseBackend(request.getfixturevalue(database))
    _book, flow_detail = persistence.start_run(backend, 'boot-instance', book_uuid='i-1',
                                               meta={'instance_id': 'i-1'})
    assert persistence.count_claim(backend, flow_detail.uuid, 'claims') == 1
    assert persistence.count_claim(backend, flow_detail.uuid, 'claims') == 2
    [run] = persistence.runs_of_book(backend, 'i-1')
    assert run.meta == {'instance_id': 'i-1', 'claims': 2}
    with pytest.raises(tf_exc.NotFound):
        persistence.count_claim(backend, 'nope', 'claims')
    persistence.end_run(backend, flow_detail.uuid, states.REVERTED)
    [run] = persistence.runs_of_book(backend, 'i-1')
    assert run.state == states.REVERTED and run.meta['claims'] == 2
    assert persistence.unfinished_runs(backend) == []
