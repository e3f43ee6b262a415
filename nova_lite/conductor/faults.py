"""Fault injection for the boot and delete flows.

Tests (and, with ``[fault_injection] enabled``, users testing their own
tooling) name a task whose execute or revert should raise. Production runs use
:data:`NO_FAULTS`, which never raises.
"""

from __future__ import annotations

import dataclasses


class InjectedFault(RuntimeError):
    """Raised where a fault was asked for."""


@dataclasses.dataclass(frozen=True)
class FaultInjector:
    fail_at: frozenset[str] = frozenset()
    fail_revert_at: frozenset[str] = frozenset()

    def before_execute(self, atom_name: str) -> None:
        if atom_name in self.fail_at:
            raise InjectedFault(f'fault injected in {atom_name}')

    def before_revert(self, atom_name: str) -> None:
        if atom_name in self.fail_revert_at:
            raise InjectedFault(f'fault injected in the revert of {atom_name}')


NO_FAULTS = FaultInjector()
