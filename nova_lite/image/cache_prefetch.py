"""The image cache's prefetcher: a background thread caching the queued images.

The thread starts on the first image queued (so processes that never queue,
such as a conductor that builds an image manager, never run one), wakes at
once whenever an image is queued and otherwise every ``poll_interval`` seconds
(the queue is on disk: entries left by an earlier run, or by another process
sharing the directory, are picked up then). Each queued image is fetched, then
leaves the queue whether or not the fetch worked (a failure is logged; the
admin may queue it again). :meth:`Prefetcher.stop` ends the thread cleanly: a
fetch in flight is abandoned between two chunks, leaving no partial file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from nova_lite.image import cache_dir

LOG = logging.getLogger(__name__)

Fetch = Callable[[str, threading.Event], None]
"""Cache one image; gives up (leaving nothing) once the event is set."""


class Prefetcher:
    """Works through the cache directory's queue in a daemon thread."""

    def __init__(self, directory: cache_dir.CacheDir, fetch: Fetch,
                 poll_interval: float = 60.0) -> None:
        self._dir = directory
        self._fetch = fetch
        self._poll_interval = poll_interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.autostart = True
        """Whether :meth:`wake` starts the thread (tests drive :meth:`run_once` instead)."""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wake(self) -> None:
        """Start the thread if it is not running, and have it look at the queue now."""
        with self._lock:
            if self._stopping.is_set():
                return
            if self.autostart and not self.running:
                self._thread = threading.Thread(target=self._run, name='image-cache-prefetch',
                                                daemon=True)
                self._thread.start()
        self._wake.set()

    def run_once(self) -> list[str]:
        """Fetch every image queued now, oldest first; the ids that left the queue."""
        done = []
        for image_id in self._dir.queued_images():
            if self._stopping.is_set():
                break
            if not self._dir.is_queued(image_id):
                continue  # dequeued meanwhile
            try:
                if not self._dir.is_cached(image_id):
                    self._fetch(image_id, self._stopping)
            except Exception:
                LOG.exception('Prefetching image %s into the image cache failed', image_id)
            if self._stopping.is_set() and not self._dir.is_cached(image_id):
                break  # abandoned: it stays queued for the next start
            self._dir.dequeue(image_id)
            done.append(image_id)
        return done

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self.run_once()
            except Exception:
                LOG.exception('The image cache prefetcher failed to read its queue')
            self._wake.wait(self._poll_interval)

    def stop(self, timeout: float | None = None) -> None:
        """Stop the thread (a fetch in flight gives up) and wait for it."""
        with self._lock:
            self._stopping.set()
            self._wake.set()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
