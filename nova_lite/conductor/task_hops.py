"""Where each task of a flow run spends its time (RPC, HTTP, tokens, database).

A flow factory given a :class:`RunHops` wraps each task (:func:`wrapper_for`)
in a :class:`HopTimedTask`, which opens a :mod:`nova_lite.common.hop_timer`
accumulator around the task's execute (or revert), in the executor thread that
runs it, and leaves the totals in the run's :class:`RunHops`. The run's
:class:`~nova_lite.conductor.flow_states.AtomStateRecorder` takes them from
there (``hops_of=run_hops.pop``) and stores them with the event that ends the
task's execution or revert. The flow's own name gives the totals of the
engine's thread so far (its caller's accumulator: job post and claim, the
run's saves and events).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from taskflow import task

from nova_lite.common import hop_timer
from nova_lite.conductor import faults


class RunHops:
    """The hop totals of one flow run's tasks, until the recorder takes them."""

    def __init__(self, flow_name: str) -> None:
        self._flow_name = flow_name
        self._by_task: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def record(self, task_name: str, totals: dict[str, Any]) -> None:
        with self._lock:
            self._by_task[task_name] = totals

    def pop(self, name: str) -> dict[str, Any] | None:
        """A task's last execute or revert totals (once); the flow's name: the calling
        context's accumulator so far (None if none is open)."""
        if name == self._flow_name:
            return hop_timer.snapshot()
        with self._lock:
            return self._by_task.pop(name, None)


class HopTimedTask(task.Task):
    """A flow task whose execute and revert are timed hop by hop, under its own name.

    Reversion strategy: the wrapped task's.
    """

    def __init__(self, wrapped: task.Task, run_hops: RunHops) -> None:
        super().__init__(name=wrapped.name)
        for attribute in faults.CONTRACT_ATTRIBUTES:
            setattr(self, attribute, getattr(wrapped, attribute))
        self.wrapped = wrapped
        self._run_hops = run_hops

    def _timed(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        with hop_timer.accumulate() as totals:
            try:
                return work(*args, **kwargs)
            finally:
                found = totals.as_dict()
                found['wall_ms'] = round((time.perf_counter() - started) * 1e3, 3)
                self._run_hops.record(self.name, found)

    def pre_execute(self) -> None:
        self.wrapped.pre_execute()

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self._timed(self.wrapped.execute, *args, **kwargs)

    def post_execute(self) -> None:
        self.wrapped.post_execute()

    def pre_revert(self) -> None:
        self.wrapped.pre_revert()

    def revert(self, *args: Any, **kwargs: Any) -> Any:
        return self._timed(self.wrapped.revert, *args, **kwargs)

    def post_revert(self) -> None:
        self.wrapped.post_revert()


def wrapper_for(run_hops: RunHops | None) -> Callable[[task.Task], task.Task]:
    """What a flow factory applies to each task: nothing without ``run_hops``."""
    if run_hops is None:
        return lambda flow_task: flow_task
    return lambda flow_task: HopTimedTask(flow_task, run_hops)
