"""Fault injection for the boot and delete flows.

Tests, and with ``[fault_injection] enabled`` users testing their own tooling,
name a task whose execute (or revert) should raise, or that should wait
before it runs. Production runs use :data:`NO_FAULTS`, which does nothing.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping

from nova_lite.common import exception

FAIL_AT_KEY = 'nova_lite:fail_at'
DELAY_AT_KEY = 'nova_lite:delay_at'


class InjectedFault(RuntimeError):
    """Raised where a fault was asked for."""


@dataclasses.dataclass(frozen=True)
class FaultInjector:
    fail_at: frozenset[str] = frozenset()
    fail_revert_at: frozenset[str] = frozenset()
    delay_at: Mapping[str, float] = dataclasses.field(default_factory=dict)

    def before_execute(self, atom_name: str) -> None:
        delay = self.delay_at.get(atom_name)
        if delay:
            time.sleep(delay)
        if atom_name in self.fail_at:
            raise InjectedFault(f'fault injected in {atom_name}')

    def before_revert(self, atom_name: str) -> None:
        if atom_name in self.fail_revert_at:
            raise InjectedFault(f'fault injected in the revert of {atom_name}')


NO_FAULTS = FaultInjector()


def from_metadata(metadata: Mapping[str, str], task_names: tuple[str, ...],
                  max_delay: float) -> FaultInjector:
    """The faults a server's metadata asks for; InvalidInput naming the key if malformed."""
    fail_at: set[str] = set()
    delay_at: dict[str, float] = {}
    if FAIL_AT_KEY in metadata:
        name = metadata[FAIL_AT_KEY]
        if name not in task_names:
            raise exception.InvalidInput(
                field=f'metadata.{FAIL_AT_KEY}',
                reason=f'{name!r} is not a task; choose one of {", ".join(task_names)}')
        fail_at.add(name)
    if DELAY_AT_KEY in metadata:
        name, _, seconds = metadata[DELAY_AT_KEY].rpartition(':')
        try:
            delay = float(seconds)
        except ValueError:
            delay = -1.0
        if name not in task_names or not 0 <= delay <= max_delay:
            raise exception.InvalidInput(
                field=f'metadata.{DELAY_AT_KEY}',
                reason=f'must be <task>:<seconds> with a task of {", ".join(task_names)} '
                       f'and 0 <= seconds <= {max_delay:g}')
        delay_at[name] = delay
    if not fail_at and not delay_at:
        return NO_FAULTS
    return FaultInjector(fail_at=frozenset(fail_at), delay_at=delay_at)
