"""The embedded default's in-process message transport: kombu's memory
transport, event-driven.

kombu's memory transport keeps each queue as a :class:`queue.Queue` in the
process and its consumers poll them: oslo.messaging sets the polling interval
of ``memory://`` connections to 0 (every idle RPC consumer thread spins), and
any interval above 0 adds up to that interval to each hop and still wakes
every consumer hundreds of times a second.

Here a consumer waits instead. ``drain_events`` looks at its queues once;
when they are empty it subscribes a :class:`threading.Event` to them on the
broker's :class:`QueueBell` (which every put rings for its queue), and then,
until a message comes or its timeout passes: clears the event, looks again,
and sleeps on the event. A message put before the clear is found by the look,
one put after it sets the event, so no wake-up is lost. oslo.messaging's
consumers ask for at most a second at a time, so an idle process wakes about
once a second per consumer.

The queues, bindings and bell of ``kombu+nlmemory://`` are their own, apart
from the ones of kombu's ``memory://`` in the same process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from queue import Empty, Queue
from time import monotonic
from typing import Any

from kombu.transport import TRANSPORT_ALIASES, memory, virtual

NAME = 'nlmemory'
# A consumer whose channel may take no more unacknowledged messages (a QoS
# prefetch limit reached) looks again this often, as acks do not ring the bell.
THROTTLED_RECHECK_INTERVAL = 0.05


class QueueBell:
    """Wakes the consumers waiting on named queues when a message is put on one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, set[threading.Event]] = {}

    def subscribe(self, queues: Iterable[str], wakeup: threading.Event) -> None:
        with self._lock:
            for queue in queues:
                self._waiting.setdefault(queue, set()).add(wakeup)

    def unsubscribe(self, queues: Iterable[str], wakeup: threading.Event) -> None:
        with self._lock:
            for queue in queues:
                waiting = self._waiting.get(queue)
                if waiting is None:
                    continue
                waiting.discard(wakeup)
                if not waiting:
                    del self._waiting[queue]

    def ring(self, queue: str) -> None:
        """Wake every consumer waiting on ``queue``."""
        with self._lock:
            for wakeup in self._waiting.get(queue, ()):
                wakeup.set()

    def waiting_on(self, queue: str) -> int:
        """How many consumers wait on ``queue`` now."""
        with self._lock:
            return len(self._waiting.get(queue, ()))


class Channel(memory.Channel):
    """kombu's memory channel whose puts ring the bell of the queue they fill."""

    # Shared by every channel in the process, as in kombu's memory transport,
    # but apart from memory://'s.
    queues: dict[str, Queue[Any]] = {}
    bell = QueueBell()

    def _new_queue(self, queue: str, **kwargs: Any) -> None:
        self._queue_for(queue)

    def _queue_for(self, queue: str) -> Queue[Any]:
        found = self.queues.get(queue)
        if found is None:
            # setdefault: two threads making the same queue keep one, not two
            # (a message put on the one dropped would be lost).
            found = self.queues.setdefault(queue, Queue())
        return found

    def _put(self, queue: str, message: Any, **kwargs: Any) -> None:
        self._queue_for(queue).put(message)
        self.bell.ring(queue)

    def _put_fanout(self, exchange: str, message: Any, routing_key: str | None = None,
                    **kwargs: Any) -> None:
        for queue in self._lookup(exchange, routing_key):
            self._put(queue, message)

    def consumed_queues(self) -> list[str]:
        """The queues this channel's consumers read."""
        return list(self._active_queues) if self._consumers else []

    def throttled(self) -> bool:
        """Whether it has consumers but may take no message now (QoS prefetch)."""
        return bool(self._consumers) and not self.qos.can_consume()


class Transport(memory.Transport):
    """kombu's memory transport whose consumers block until a message comes."""

    Channel = Channel
    global_state = virtual.BrokerState()
    driver_type = 'memory'
    driver_name = 'memory'

    def drain_events(self, connection: Any, timeout: float | None = None,
                     **kwargs: Any) -> None:
        """Deliver one message to its consumer's callback, waiting for it up to
        ``timeout`` seconds (forever when None); :class:`TimeoutError` (which
        :class:`socket.timeout` is) if none came."""
        if self._deliver_one():
            return
        deadline = None if timeout is None else monotonic() + timeout
        wakeup = threading.Event()
        queues = self._consumed_queues()
        Channel.bell.subscribe(queues, wakeup)
        try:
            while True:
                # Cleared, then a look: a put before the clear is found by the
                # look, a put after it sets wakeup again, so none is missed.
                wakeup.clear()
                if self._deliver_one():
                    return
                wait = self._wait_limit(deadline)
                if wait is not None and wait <= 0:
                    raise TimeoutError()
                if not wakeup.wait(wait) and deadline is not None \
                        and monotonic() >= deadline:
                    raise TimeoutError()
        finally:
            Channel.bell.unsubscribe(queues, wakeup)

    def _deliver_one(self) -> bool:
        cycle = self.cycle
        assert cycle is not None  # made by kombu's constructor
        try:
            cycle.get(self._deliver)
        except Empty:
            return False
        return True

    def _consumed_queues(self) -> set[str]:
        return {queue for channel in list(self.channels)
                for queue in channel.consumed_queues()}

    def _wait_limit(self, deadline: float | None) -> float | None:
        """Seconds to wait for the bell: until the deadline, shorter if throttled."""
        remaining = None if deadline is None else deadline - monotonic()
        if any(channel.throttled() for channel in list(self.channels)):
            return THROTTLED_RECHECK_INTERVAL if remaining is None else min(
                remaining, THROTTLED_RECHECK_INTERVAL)
        return remaining


def register() -> None:
    """Make ``kombu+nlmemory://`` resolve to :class:`Transport` (idempotent)."""
    TRANSPORT_ALIASES.setdefault(NAME, f'{__name__}:Transport')
