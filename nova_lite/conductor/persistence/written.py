"""What a backend last wrote for each atom detail, so that it need not write it again.

TaskFlow's storage saves an atom detail on every change, and passes every
atom of the flow again each time the flow's own state changes. Remembering
a fingerprint of the row last committed per atom lets the backend skip the
rows that did not change, and (unless asked to keep them) the saves whose
only change is the task's progress figure, which the engine writes twice a
task (0.0 at start, 1.0 at the end) and which resumption never reads.
"""

from __future__ import annotations

import collections
import json
import threading
from typing import Any

# storage.META_PROGRESS: the key the engine's progress notifications update.
PROGRESS_KEY = 'progress'


class WrittenAtoms:
    """A bounded, thread-safe map of atom uuid -> fingerprint of its committed row."""

    def __init__(self, persist_progress: bool = False, capacity: int = 20000) -> None:
        self.persist_progress = persist_progress
        self.capacity = capacity
        self._rows: collections.OrderedDict[str, str] = collections.OrderedDict()
        self._lock = threading.Lock()

    def fingerprint(self, row: dict[str, Any]) -> str:
        """The row as canonical JSON, without the progress figure unless it is kept."""
        row = {k: v for k, v in row.items() if k != 'parent_uuid'}
        meta = row.get('meta')
        if not self.persist_progress and isinstance(meta, dict) and PROGRESS_KEY in meta:
            row = {**row, 'meta': {k: v for k, v in meta.items() if k != PROGRESS_KEY}}
        return json.dumps(row, sort_keys=True, default=str)

    def unchanged(self, uuid: str, fingerprint: str) -> bool:
        with self._lock:
            return self._rows.get(uuid) == fingerprint

    def remember(self, fingerprints: dict[str, str]) -> None:
        """Record rows just committed."""
        with self._lock:
            for uuid, fingerprint in fingerprints.items():
                self._rows[uuid] = fingerprint
                self._rows.move_to_end(uuid)
            while len(self._rows) > self.capacity:
                self._rows.popitem(last=False)

    def forget(self) -> None:
        """Forget everything (after rows were deleted)."""
        with self._lock:
            self._rows.clear()
