"""Each task's hops are stored with the event that ends it, and read back with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import futurist
import pytest
from taskflow import states, task
from taskflow.patterns import linear_flow

from nova_lite.common import hop_timer
from nova_lite.conductor import faults, flow_states, task_hops
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys
from nova_lite.db import api as db_api

INSTANCE = 'b0075e51-0000-4000-8000-0000000000aa'


class CallsOut(task.Task):
    """Makes two RPC hops and one HTTP hop (as its clients would), then fails if asked."""

    def __init__(self, name: str, fail: bool = False) -> None:
        super().__init__(name, provides=name)
        self.fail = fail

    def execute(self) -> str:
        with hop_timer.hop(hop_timer.RPC):
            pass
        with hop_timer.hop(hop_timer.RPC):
            pass
        with hop_timer.hop(hop_timer.HTTP):
            pass
        if self.fail:
            raise RuntimeError('spawn refused')
        return self.name

    def revert(self, *args: Any, **kwargs: Any) -> None:
        with hop_timer.hop(hop_timer.DB):
            pass


@pytest.fixture
def executor() -> Iterator[futurist.ThreadPoolExecutor]:
    pool = futurist.ThreadPoolExecutor(max_workers=2)
    yield pool
    pool.shutdown(wait=True)


def run(db: db_api.Database, executor: futurist.ThreadPoolExecutor, *, fail: bool) -> None:
    run_hops = task_hops.RunHops(keys.BOOT_FLOW)
    wrap = task_hops.wrapper_for(run_hops)
    flow = linear_flow.Flow(keys.BOOT_FLOW).add(
        wrap(CallsOut(keys.AUTHENTICATE)),
        wrap(faults.FaultInjectingTask(CallsOut(keys.SPAWN, fail=fail), faults.NO_FAULTS)))
    backend = flow_persistence.DatabaseBackend(db)
    with hop_timer.accumulate():
        book, detail = flow_persistence.start_run(backend, keys.BOOT_FLOW,
                                                  book_uuid=INSTANCE)
        engine = flow_persistence.load_engine(flow, backend, detail, book=book,
                                              engine='parallel', executor=executor)
        with flow_states.AtomStateRecorder(engine, db, INSTANCE, keys.BOOT_FLOW,
                                           hops_of=run_hops.pop):
            engine.run()


def test_hops_go_with_the_event_that_ends_each_task(db: db_api.Database,
                                                     executor: futurist.ThreadPoolExecutor,
                                                     ) -> None:
    run(db, executor, fail=False)
    events = flow_states.load_atom_events(db, INSTANCE, keys.BOOT_FLOW)
    with_hops = {(e.atom_name, e.state): e.hops for e in events if e.hops is not None}
    assert set(with_hops) == {(keys.AUTHENTICATE, states.SUCCESS),
                              (keys.SPAWN, states.SUCCESS),
                              (keys.BOOT_FLOW, states.SUCCESS)}
    spawn = with_hops[(keys.SPAWN, states.SUCCESS)]
    assert spawn['rpc']['n'] == 2 and spawn['http']['n'] == 1
    assert spawn['wall_ms'] >= spawn['rpc']['ms'] + spawn['http']['ms']
    # The flow's end: the engine thread's persistence (saves and events), no task hops.
    flow = with_hops[(keys.BOOT_FLOW, states.SUCCESS)]
    assert flow['persist']['n'] >= 4 and flow['commits'] >= 4
    assert 'rpc' not in flow and 'http' not in flow
    assert all(e.hops is None for e in events if e.state == states.RUNNING)


def test_a_failed_and_reverted_task_carries_each_run(db: db_api.Database,
                                                    executor: futurist.ThreadPoolExecutor,
                                                    ) -> None:
    with pytest.raises(RuntimeError):
        run(db, executor, fail=True)
    events = flow_states.load_atom_events(db, INSTANCE, keys.BOOT_FLOW)
    spawn = {e.state: e.hops for e in events if e.atom_name == keys.SPAWN}
    failed = spawn[states.FAILURE]
    assert failed is not None and failed['rpc']['n'] == 2
    reverted = spawn[states.REVERTED]
    assert reverted is not None and reverted['db']['n'] == 1 and 'rpc' not in reverted
    flow_end = [e for e in events if e.atom_name == keys.BOOT_FLOW and e.hops is not None]
    assert [e.state for e in flow_end] == [states.REVERTED]


def test_without_run_hops_tasks_are_not_wrapped_and_events_carry_none(
        db: db_api.Database, executor: futurist.ThreadPoolExecutor) -> None:
    plain = CallsOut(keys.AUTHENTICATE)
    assert task_hops.wrapper_for(None)(plain) is plain
    flow = linear_flow.Flow(keys.BOOT_FLOW).add(plain)
    backend = flow_persistence.DatabaseBackend(db)
    book, detail = flow_persistence.start_run(backend, keys.BOOT_FLOW, book_uuid=INSTANCE)
    engine = flow_persistence.load_engine(flow, backend, detail, book=book,
                                          engine='parallel', executor=executor)
    with flow_states.AtomStateRecorder(engine, db, INSTANCE, keys.BOOT_FLOW):
        engine.run()
    events = flow_states.load_atom_events(db, INSTANCE, keys.BOOT_FLOW)
    assert events and all(e.hops is None for e in events)


def test_run_hops_hand_each_task_once_and_the_flow_the_callers_totals() -> None:
    run_hops = task_hops.RunHops(keys.BOOT_FLOW)
    run_hops.record(keys.SPAWN, {'wall_ms': 1.0})
    assert run_hops.pop(keys.SPAWN) == {'wall_ms': 1.0}
    assert run_hops.pop(keys.SPAWN) is None
    assert run_hops.pop(keys.BOOT_FLOW) is None
    with hop_timer.accumulate():
        with hop_timer.hop(hop_timer.PERSIST):
            pass
        flow = run_hops.pop(keys.BOOT_FLOW)
    assert flow is not None and flow['persist']['n'] == 1
