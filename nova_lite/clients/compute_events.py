"""The network and block storage services' way to tell compute of a change to a
server: ``POST /v2.1/os-server-external-events``, as the service user.

Like neutron's and cinder's nova notifiers, the events are sent in the
background (a change to a port never waits for, or fails because of, the
compute API): :meth:`ComputeEventsClient.send` queues them and one worker
thread posts what has queued, in order, as one request. The request goes
through a *transport*: over HTTP, a keystoneauth1 adapter on a session
signed in as the service user (``[keystone_authtoken]``'s credentials, the
compute endpoint from its catalog), see :func:`http_transport`; in tests, any
callable (the compute REST app itself, or a list).

Compute answers each event on its own (200, or 404 for a server it does not
know, 422 for one not built): those are logged, never retried; a request
that fails as a whole (compute unreachable) is logged and dropped, as
neutron drops it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exceptions

LOG = logging.getLogger(__name__)

PATH = '/os-server-external-events'
# (status, body) of one POST of {"events": [...]}.
Transport = Callable[[dict[str, Any]], tuple[int, Any]]
_STOP = object()


def http_transport(adapter: ks_adapter.Adapter) -> Transport:
    """POSTs through ``adapter`` (service type compute, the service user's session)."""

    def post(body: dict[str, Any]) -> tuple[int, Any]:
        response = adapter.post(PATH, json=body, raise_exc=False)
        try:
            answer = response.json()
        except ValueError:
            answer = response.text
        return response.status_code, answer

    return post


class ComputeEventsClient:
    """Queues events and posts them to compute from one background thread."""

    def __init__(self, transport: Transport, *, max_batch: int = 50) -> None:
        self._transport = transport
        self._max_batch = max_batch
        self._queue: queue.Queue[Any] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._guard = threading.Lock()
        self.sent = 0  # events compute answered 200 (for tests and logs)

    def send(self, events: list[dict[str, Any]]) -> None:
        """Queue ``events`` ({server_uuid, name, status, tag}); returns at once."""
        for event in events:
            self._queue.put(dict(event))
        self._ensure_worker()

    def _ensure_worker(self) -> None:
        with self._guard:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, daemon=True,
                                                name='compute-events')
                self._worker.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                self._queue.task_done()
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(_STOP)  # after this batch
                    self._queue.task_done()
                    break
                batch.append(item)
            try:
                self._post(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _post(self, batch: list[dict[str, Any]]) -> None:
        try:
            status, answer = self._transport({'events': batch})
        except (ks_exceptions.ClientException, OSError) as exc:
            LOG.warning('Could not tell compute of %d event(s): %s', len(batch), exc)
            return
        except Exception:
            LOG.exception('Could not tell compute of %d event(s)', len(batch))
            return
        answered = answer.get('events') if isinstance(answer, dict) else None
        if status == 404:
            # None of the servers is there (a server's delete freeing its ports).
            LOG.info('Compute knows none of the servers of %d event(s)', len(batch))
            return
        if status not in (200, 207) or not isinstance(answered, list):
            LOG.warning('Compute refused %d event(s): HTTP %s %s', len(batch), status,
                        str(answer)[:200])
            return
        for event in answered:
            if event.get('code') == 200:
                self.sent += 1
            else:
                LOG.info('Compute did not take event %s of server %s (tag %s): %s',
                         event.get('name'), event.get('server_uuid'), event.get('tag'),
                         event.get('code'))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event was posted; whether that happened in time."""
        done = threading.Event()

        def wait() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        return done.wait(timeout)

    def close(self) -> None:
        """Post what is queued, then stop the worker."""
        with self._guard:
            worker = self._worker
        if worker is not None and worker.is_alive():
            self._queue.put(_STOP)
            worker.join(timeout=10)
