"""Fault injection for the boot and delete flows.

Tests, and with ``[fault_injection] enabled`` users testing their own tooling,
name a task whose execute (or revert) should raise, that should wait before
it runs (``delay_at``: a crash then falls between two tasks), or that should
wait after its work is done but before its result is saved (``delay_after``:
a crash then falls inside the task). Each wait is logged first, naming the
task and the instance, so a test can act while it lasts. Production runs use
:data:`NO_FAULTS`, which does nothing.

The tasks know nothing of it: a flow factory given an injector wraps each
task (:func:`wrapper_for`) in a :class:`FaultInjectingTask`, which runs the
injector's hooks around the task's own.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from taskflow import task

from nova_lite.common import exception

FAIL_AT_KEY = 'nova_lite:fail_at'
DELAY_AT_KEY = 'nova_lite:delay_at'
DELAY_AFTER_KEY = 'nova_lite:delay_after'

LOG = logging.getLogger(__name__)


class InjectedFault(RuntimeError):
    """Raised where a fault was asked for."""


@dataclasses.dataclass(frozen=True)
class FaultInjector:
    fail_at: frozenset[str] = frozenset()
    fail_revert_at: frozenset[str] = frozenset()
    delay_at: Mapping[str, float] = dataclasses.field(default_factory=dict)
    delay_after: Mapping[str, float] = dataclasses.field(default_factory=dict)
    # Who the faults are for (an instance id), named in the log lines.
    subject: str = ''

    def _wait(self, atom_name: str, delay: float | None, where: str) -> None:
        if delay:
            LOG.warning('Fault injection: %s of %s waits %g s %s', atom_name, self.subject,
                        delay, where)
            time.sleep(delay)

    def before_execute(self, atom_name: str) -> None:
        self._wait(atom_name, self.delay_at.get(atom_name), 'before its work')
        if atom_name in self.fail_at:
            raise InjectedFault(f'fault injected in {atom_name}')

    def after_execute(self, atom_name: str) -> None:
        self._wait(atom_name, self.delay_after.get(atom_name),
                   'after its work, before its result is saved')

    def before_revert(self, atom_name: str) -> None:
        if atom_name in self.fail_revert_at:
            raise InjectedFault(f'fault injected in the revert of {atom_name}')


NO_FAULTS = FaultInjector()

# The atom attributes TaskFlow reads to run a task: what it requires, how its
# arguments are bound, what it provides.
CONTRACT_ATTRIBUTES = ('version', 'inject', 'save_as', 'provides', 'rebind', 'optional',
                        'revert_rebind', 'revert_optional', 'requires')


class FaultInjectingTask(task.Task):
    """A flow task run with injected faults around it, under the task's own name.

    Before the task's ``pre_execute`` it waits (``delay_at``) or fails
    (``fail_at``); after its ``post_execute`` it waits (``delay_after``). A
    revert asked to fail (``fail_revert_at``) is logged as a failed revert and
    the task's own revert is skipped, so the flow goes on reverting and the
    conductor's sweep frees what it left, as for any revert that fails.

    Reversion strategy: the wrapped task's.
    """

    def __init__(self, wrapped: task.Task, injector: FaultInjector) -> None:
        super().__init__(name=wrapped.name)
        for attribute in CONTRACT_ATTRIBUTES:
            setattr(self, attribute, getattr(wrapped, attribute))
        self.wrapped = wrapped
        self._injector = injector

    def pre_execute(self) -> None:
        self._injector.before_execute(self.name)
        self.wrapped.pre_execute()

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self.wrapped.execute(*args, **kwargs)

    def post_execute(self) -> None:
        self.wrapped.post_execute()
        self._injector.after_execute(self.name)

    def pre_revert(self) -> None:
        self.wrapped.pre_revert()

    def revert(self, *args: Any, **kwargs: Any) -> Any:
        try:
            self._injector.before_revert(self.name)
        except InjectedFault:
            LOG.exception('Revert of task %s for instance %s failed; the conductor\'s '
                          'cleanup sweep will free what it left', self.name,
                          kwargs.get('instance_id', self._injector.subject))
            return None
        return self.wrapped.revert(*args, **kwargs)

    def post_revert(self) -> None:
        self.wrapped.post_revert()


def wrapper_for(injector: FaultInjector) -> Callable[[task.Task], task.Task]:
    """What a flow factory applies to each task: nothing for :data:`NO_FAULTS`."""
    if injector == NO_FAULTS:
        return lambda flow_task: flow_task
    return lambda flow_task: FaultInjectingTask(flow_task, injector)


def _parse_delay(metadata: Mapping[str, str], key: str, task_names: tuple[str, ...],
                 max_delay: float) -> dict[str, float]:
    if key not in metadata:
        return {}
    name, _, seconds = metadata[key].rpartition(':')
    try:
        delay = float(seconds)
    except ValueError:
        delay = -1.0
    if name not in task_names or not 0 <= delay <= max_delay:
        raise exception.InvalidInput(
            field=f'metadata.{key}',
            reason=f'must be <task>:<seconds> with a task of {", ".join(task_names)} '
                   f'and 0 <= seconds <= {max_delay:g}')
    return {name: delay}


def from_metadata(metadata: Mapping[str, str], task_names: tuple[str, ...],
                  max_delay: float, subject: str = '') -> FaultInjector:
    """The faults a server's metadata asks for; InvalidInput naming the key if malformed."""
    fail_at: set[str] = set()
    if FAIL_AT_KEY in metadata:
        name = metadata[FAIL_AT_KEY]
        if name not in task_names:
            raise exception.InvalidInput(
                field=f'metadata.{FAIL_AT_KEY}',
                reason=f'{name!r} is not a task; choose one of {", ".join(task_names)}')
        fail_at.add(name)
    delay_at = _parse_delay(metadata, DELAY_AT_KEY, task_names, max_delay)
    delay_after = _parse_delay(metadata, DELAY_AFTER_KEY, task_names, max_delay)
    if not fail_at and not delay_at and not delay_after:
        return NO_FAULTS
    return FaultInjector(fail_at=frozenset(fail_at), delay_at=delay_at,
                         delay_after=delay_after, subject=subject)
