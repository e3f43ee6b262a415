"""Real TaskFlow runs saved through DatabaseBackend, and resumed from it."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import futurist
import pytest
from taskflow import retry, states, task
from taskflow.patterns import graph_flow, linear_flow
from taskflow.persistence import models

from nova_lite.conductor import persistence
from nova_lite.db import api as db_api

GATHERED = ('flavor', 'image', 'network', 'volume')


class Step(task.Task):
    """Records each execution; an optional hook runs inside execute."""

    def __init__(self, name: str, calls: collections.Counter[str],
                 hooks: dict[str, Callable[[], None]], requires: tuple[str, ...] = ()) -> None:
        super().__init__(name=name, provides=name, requires=('seed', *requires))
        self.calls = calls
        self.hooks = hooks

    def execute(self, seed: str, **inputs: Any) -> str:
        self.calls[self.name] += 1
        hook = self.hooks.get(self.name)
        if hook is not None:
            hook()
        return f'{self.name}({seed},{len(inputs)})'


def boot_like_flow(calls: collections.Counter[str],
                   hooks: dict[str, Callable[[], None]]) -> linear_flow.Flow:
    """The boot flow's shape: linear, with a retried linear holding a graph of 4."""
    gather = graph_flow.Flow('gather').add(*(Step(name, calls, hooks) for name in GATHERED))
    reschedule = linear_flow.Flow('reschedule', retry=retry.Times(3, name='host-retry')).add(
        Step('schedule', calls, hooks), gather, Step('spawn', calls, hooks, GATHERED))
    return linear_flow.Flow('boot-instance').add(
        Step('first', calls, hooks), Step('second', calls, hooks), reschedule,
        Step('mark-active', calls, hooks, ('spawn',)))


@pytest.fixture(scope='module')
def executor() -> Iterator[futurist.ThreadPoolExecutor]:
    pool = futurist.ThreadPoolExecutor(max_workers=4)
    yield pool
    pool.shutdown(wait=True)


def _engine(flow: linear_flow.Flow, backend: persistence.DatabaseBackend,
            flow_detail: models.FlowDetail, executor: futurist.ThreadPoolExecutor,
            store: dict[str, Any] | None = None) -> Any:
    return persistence.load_engine(flow, backend, flow_detail, store=store,
                                   engine='parallel', executor=executor)


def test_flow_runs_to_completion_and_is_stored(db: db_api.Database,
                                               executor: futurist.ThreadPoolExecutor) -> None:
    backend = persistence.DatabaseBackend(db)
    calls: collections.Counter[str] = collections.Counter()
    book, flow_detail = persistence.start_run(backend, 'boot-instance', book_uuid='inst-1',
                                              meta={'instance_id': 'inst-1'})
    _engine(boot_like_flow(calls, {}), backend, flow_detail, executor, {'seed': 's'}).run()

    stored = backend.get_connection().get_logbook('inst-1').find(flow_detail.uuid)
    assert stored.state == states.SUCCESS and stored.meta == {'instance_id': 'inst-1'}
    by_name = {ad.name: ad for ad in stored}
    tasks = {'first', 'second', 'schedule', *GATHERED, 'spawn', 'mark-active'}
    assert {name for name in by_name if not name.startswith('_')} == tasks | {'host-retry'}
    assert all(by_name[name].state == states.SUCCESS for name in tasks | {'host-retry'})
    assert by_name['spawn'].results == 'spawn(s,4)'
    assert by_name['mark-active'].results == 'mark-active(s,1)'
    assert by_name['_TaskFlow_INJECTOR'].results == {'seed': 's'}
    assert persistence.atom_states(backend, flow_detail.uuid)['image'] == states.SUCCESS
    assert set(calls.values()) == {1}


def test_retry_history_is_stored(db: db_api.Database,
                                 executor: futurist.ThreadPoolExecutor) -> None:
    backend = persistence.DatabaseBackend(db)
    calls: collections.Counter[str] = collections.Counter()

    def fail_first_spawn() -> None:
        if calls['spawn'] == 1:
            raise RuntimeError('host1 failed')

    _book, flow_detail = persistence.start_run(backend, 'boot-instance')
    _engine(boot_like_flow(calls, {'spawn': fail_first_spawn}), backend, flow_detail,
            executor, {'seed': 's'}).run()

    stored = {ad.name: ad for ad in backend.get_connection().get_atoms_for_flow(
        flow_detail.uuid)}
    assert calls['schedule'] == 2 and calls['spawn'] == 2 and calls['first'] == 1
    history = stored['host-retry'].results
    assert [data for data, _failures in history] == [1, 2]
    assert history[0][1]['spawn'].exception_str == 'host1 failed'
    assert stored['spawn'].state == states.SUCCESS
    assert backend.get_connection().get_flow_details(flow_detail.uuid).state == states.SUCCESS


def test_suspended_run_resumes_from_the_database(db: db_api.Database,
                                                 executor: futurist.ThreadPoolExecutor) -> None:
    calls: collections.Counter[str] = collections.Counter()
    engines: list[Any] = []
    hooks = {'second': lambda: engines[0].suspend()}
    backend = persistence.DatabaseBackend(db)
    _book, flow_detail = persistence.start_run(backend, 'boot-instance', book_uuid='inst-2')
    engines.append(_engine(boot_like_flow(calls, hooks), backend, flow_detail, executor,
                           {'seed': 's'}))
    engines[0].run()
    assert backend.get_connection().get_flow_details(flow_detail.uuid).state == states.SUSPENDED
    assert dict(calls) == {'first': 1, 'second': 1}
    assert [run.book_uuid for run in persistence.unfinished_runs(backend)] == ['inst-2']

    # A new conductor: a new backend object, everything read back from the database.
    fresh = persistence.DatabaseBackend(db)
    (run,) = persistence.unfinished_runs(fresh)
    book, stored = persistence.load_run(fresh, run.flow_uuid)
    assert book.uuid == 'inst-2'
    _engine(boot_like_flow(calls, {}), fresh, stored, executor).run()  # store comes back

    assert set(calls.values()) == {1}
    assert len(calls) == 9
    final = fresh.get_connection().get_flow_details(flow_detail.uuid)
    assert final.state == states.SUCCESS
    assert {ad.name: ad.results for ad in final}['mark-active'] == 'mark-active(s,1)'
    assert persistence.unfinished_runs(fresh) == []


def test_run_abandoned_inside_a_task_reruns_only_that_task(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    """The first engine stops dead inside 'schedule' (as if its process died)."""
    calls: collections.Counter[str] = collections.Counter()
    inside, release = threading.Event(), threading.Event()

    def hang_first_time() -> None:
        if calls['schedule'] == 1:
            inside.set()
            release.wait(10)
            raise RuntimeError('abandoned')  # what the dead engine does next is moot

    backend = persistence.DatabaseBackend(db)
    _book, flow_detail = persistence.start_run(backend, 'boot-instance')
    dead = _engine(boot_like_flow(calls, {'schedule': hang_first_time}), backend,
                   flow_detail, executor, {'seed': 's'})
    thread = threading.Thread(target=lambda: _swallow(dead.run), daemon=True)
    thread.start()
    try:
        assert inside.wait(10)
        deadline = time.monotonic() + 5
        while persistence.atom_states(backend, flow_detail.uuid)['schedule'] != states.RUNNING:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        fresh = persistence.DatabaseBackend(db)
        _book2, stored = persistence.load_run(fresh, flow_detail.uuid)
        with futurist.ThreadPoolExecutor(max_workers=4) as other_pool:
            _engine(boot_like_flow(calls, {}), fresh, stored, other_pool).run()
        assert calls['first'] == 1 and calls['second'] == 1
        assert calls['schedule'] == 2  # the interrupted task ran again
        assert all(calls[name] == 1 for name in (*GATHERED, 'spawn', 'mark-active'))
        final = fresh.get_connection().get_flow_details(flow_detail.uuid)
        assert final.state == states.SUCCESS
    finally:
        release.set()
        thread.join(10)


def _swallow(func: Callable[[], Any]) -> None:
    try:
        func()
    except BaseException:  # noqa: B036 - the abandoned engine's end does not matter
        pass
