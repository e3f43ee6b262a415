"""The base of every volume flow task: reverts that log instead of raising."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from taskflow import task

from nova_lite.db import api as db_api
from nova_lite.volume import rows

LOG = logging.getLogger(__name__)


class VolumeTask(task.Task):
    """A task whose revert never raises past the engine.

    A revert that fails is logged with the record it concerns; the engine still
    reverts the tasks before it, so the first task still marks the record.
    """

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)

    def best_effort_revert(self, subject: str, undo: Callable[[], object]) -> None:
        try:
            undo()
        except Exception:
            LOG.exception('Revert of task %s for %s failed', self.name, subject)


class RecordTask(VolumeTask):
    """A task that writes one table's rows (volumes or snapshots)."""

    def __init__(self, name: str, db: db_api.Database, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._db = db

    def write(self, statement: sa.Executable) -> int:
        """Run one UPDATE/DELETE in its own transaction; the rows it matched."""
        with self._db.session() as session:
            return rows.write(session, statement)
