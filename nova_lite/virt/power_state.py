"""Power states of an instance's domain, as stored in ``instances.power_state``.

The numbers are those OpenStack compute reports (``OS-EXT-STS:power_state``).
"""

NOSTATE = 0
RUNNING = 1
PAUSED = 3
SHUTDOWN = 4
CRASHED = 6
SUSPENDED = 7

NAMES: dict[int, str] = {
    NOSTATE: 'pending',
    RUNNING: 'running',
    PAUSED: 'paused',
    SHUTDOWN: 'shutdown',
    CRASHED: 'crashed',
    SUSPENDED: 'suspended',
}


def name(state: int) -> str:
    """A readable name for ``state`` ('pending' for an unknown number)."""
    return NAMES.get(state, NAMES[NOSTATE])
