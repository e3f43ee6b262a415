"""The embedded default's in-process message transport: kombu's memory transport
with a short sleep between polls.

oslo.messaging sets the polling interval of ``memory://`` connections to 0,
so every idle RPC consumer thread spins on the CPU (an idle nova-lite-all
measured about 40 % of a core). Under its own transport name, oslo.messaging
leaves the interval alone, and consumers sleep ``POLLING_INTERVAL`` between
empty polls: a few milliseconds more per call, an idle process at rest.
"""

from __future__ import annotations

from kombu.transport import TRANSPORT_ALIASES, memory

NAME = 'nlmemory'
POLLING_INTERVAL = 0.002


class Transport(memory.Transport):
    """kombu's memory transport (same in-process queues) that sleeps between polls."""

    polling_interval = POLLING_INTERVAL
    driver_type = 'memory'
    driver_name = 'memory'


def register() -> None:
    """Make ``kombu+nlmemory://`` resolve to :class:`Transport` (idempotent)."""
    TRANSPORT_ALIASES.setdefault(NAME, f'{__name__}:Transport')
