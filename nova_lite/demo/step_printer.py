"""Prints the boot steps (records of the nova_lite.steps logger) as they happen."""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import TextIO

from nova_lite.demo import narrator


class StepPrinter(logging.Handler):
    """A logging handler that prints each boot step with its carrier and time."""

    def __init__(self, stream: TextIO = sys.stdout) -> None:
        super().__init__(level=logging.INFO)
        self._stream = stream
        self._start = time.perf_counter()
        self._last = self._start
        self._lock_print = threading.Lock()
        self.seen: list[str] = []

    def restart_clock(self) -> None:
        self._start = self._last = time.perf_counter()

    def emit(self, record: logging.LogRecord) -> None:
        step = getattr(record, 'boot_step', None)
        if step is None:
            return
        with self._lock_print:
            now = time.perf_counter()
            since_start = (now - self._start) * 1000
            since_last = (now - self._last) * 1000
            self._last = now
            self.seen.append(step)
            carrier = getattr(record, 'boot_carrier', '')
            message = getattr(record, 'boot_message', '')
            self._stream.write(
                f'  step {step:>5}  {carrier:<10} {since_start:9.1f} ms '
                f'(+{since_last:6.1f})  {message}\n')
            self._stream.flush()

    def install(self) -> None:
        logger = logging.getLogger(narrator.STEP_LOGGER)
        logger.setLevel(logging.INFO)
        logger.addHandler(self)

    def uninstall(self) -> None:
        logging.getLogger(narrator.STEP_LOGGER).removeHandler(self)
