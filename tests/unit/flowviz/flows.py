"""Small flows for the flowviz tests: tiny tasks, a parallel graph, a retried subflow."""

from __future__ import annotations

from typing import Any

from taskflow import retry, task
from taskflow.patterns import graph_flow, linear_flow


class Prepare(task.Task):
    """Needs the request id, provides a ticket."""

    def execute(self, request_id: str) -> str:
        return f'ticket-{request_id}'


class Fetch(task.Task):
    """Needs the ticket; provides whatever name it is given."""

    def execute(self, ticket: str) -> str:
        return f'{self.name}:{ticket}'


class Step(task.Task):
    """Does nothing, needs nothing."""

    def execute(self) -> None:
        return None


class FailOnce(task.Task):
    """Fails its first run, succeeds on the next (so its retry runs it twice)."""

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        self.calls = 0

    def execute(self) -> None:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError('first attempt fails')


class AlwaysFail(task.Task):
    def execute(self) -> None:
        raise RuntimeError('always fails')

    def revert(self, *args: Any, **kwargs: Any) -> None:
        return None


PARALLEL = ('fetch-a', 'fetch-b', 'fetch-c')
ATOM_NAMES = ('prepare', *PARALLEL, 'attempt:retry', 'place', 'launch', 'finish')


def sample_flow(launch: task.Task | None = None,
                finish: task.Task | None = None) -> linear_flow.Flow:
    """boot:main (linear): prepare, gather-all (graph of 3), attempt (retried), finish."""
    gather = graph_flow.Flow('gather-all').add(
        *(Fetch(name=name, provides=f'{name}-out') for name in PARALLEL))
    attempt = linear_flow.Flow('attempt', retry=retry.Times(3, name='attempt:retry')).add(
        Step(name='place'), launch or Step(name='launch'))
    return linear_flow.Flow('boot:main').add(
        Prepare(name='prepare', provides='ticket'), gather, attempt,
        finish or Step(name='finish'))
