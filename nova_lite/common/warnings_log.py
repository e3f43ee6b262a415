"""Python warnings go into the log, never raw onto a user's terminal.

A deprecation inside a library (dnspython warning about cryptography's DSA, say)
is not the user's business, so the entry points route every warning through
logging (:func:`logging.captureWarnings`) into the ``py.warnings`` logger.
Warnings are raised at import time, before the configuration says where logs
go: :func:`hold` keeps them in a bounded buffer until :func:`release` hands
them to the configured handlers.

Only stdlib imports here: ``nova_lite/__init__.py`` records the warnings of
its own imports with :func:`recorded_while` before anything else is imported.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import warnings
from collections.abc import Iterator

LOGGER_NAME = 'py.warnings'
# Warnings kept until logging is set up; beyond this, the oldest are dropped.
BUFFER_SIZE = 1000


class _HeldWarnings(logging.Handler):
    """Keeps the last ``BUFFER_SIZE`` warning records until they can be logged."""

    def __init__(self) -> None:
        super().__init__()
        self.records: collections.deque[logging.LogRecord] = collections.deque(
            maxlen=BUFFER_SIZE)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_HELD = _HeldWarnings()
# Warnings recorded while nova_lite itself was imported (see recorded_while).
_IMPORT_WARNINGS: list[warnings.WarningMessage] = []


@contextlib.contextmanager
def recorded_while() -> Iterator[None]:
    """Records (rather than prints) the warnings raised inside the block.

    They reach the log once an entry point calls :func:`hold` then
    :func:`release`; in a library use of nova_lite (tests) they are dropped,
    as they concern the libraries nova_lite imports, not its caller.
    """
    with warnings.catch_warnings(record=True) as caught:  # the filters stay as they are
        yield
    _IMPORT_WARNINGS.extend(caught)


def hold() -> None:
    """From now on, warnings go to the ``py.warnings`` logger, held until :func:`release`."""
    # Off then on: captureWarnings(True) does nothing if it thinks it is on already,
    # even when something (a catch_warnings block) has put showwarning back since.
    logging.captureWarnings(False)
    logging.captureWarnings(True)
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.NOTSET)  # every warning is held; release() decides
    if _HELD not in logger.handlers:
        logger.addHandler(_HELD)
        logger.propagate = False
    while _IMPORT_WARNINGS:
        caught = _IMPORT_WARNINGS.pop(0)
        warnings.showwarning(caught.message, caught.category, caught.filename,
                             caught.lineno, caught.file, caught.line)


def release(*, to_terminal: bool = False) -> None:
    """Logging is set up: log the held warnings and let new ones through to it.

    ``to_terminal``: the log is the user's terminal (no log file, no debug), where
    the libraries' warnings are dropped rather than shown.
    """
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.ERROR if to_terminal else logging.NOTSET)
    if _HELD in logger.handlers:
        logger.removeHandler(_HELD)
    logger.propagate = True
    while _HELD.records:
        record = _HELD.records.popleft()
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)
