"""Records the state each atom of an instance's flow run reaches.

The records let ``nova-lite flow graph --instance ID`` colour the drawing of
that instance's run (which tasks succeeded, failed, were reverted, ran twice).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from taskflow import states
from taskflow.listeners import base as listener_base

from nova_lite.common import timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import compute as models


class AtomStateRecorder(listener_base.Listener):
    """A TaskFlow listener that writes every atom state change to the database."""

    def __init__(self, engine: Any, db: db_api.Database, instance_id: str,
                 flow_name: str, results: dict[str, list[Any]] | None = None) -> None:
        super().__init__(engine, flow_listen_for=())
        self._db = db
        self._instance_id = instance_id
        self._flow_name = flow_name
        self.results: dict[str, list[Any]] = {} if results is None else results

    def _task_receiver(self, state: str, details: dict[str, Any]) -> None:
        if state == states.SUCCESS:
            self.results.setdefault(details['task_name'], []).append(details.get('result'))
        self._record(details['task_name'], state)

    def _retry_receiver(self, state: str, details: dict[str, Any]) -> None:
        self._record(details['retry_name'], state)

    def _record(self, atom_name: str, state: str) -> None:
        with self._db.session() as session:
            row = session.get(models.FlowAtomState,
                              (self._instance_id, self._flow_name, atom_name))
            if row is None:
                session.add(models.FlowAtomState(
                    instance_id=self._instance_id, flow_name=self._flow_name,
                    atom_name=atom_name, state=state, runs=0, updated_at=timeutils.utcnow()))
                session.flush()
                row = session.get(models.FlowAtomState,
                                  (self._instance_id, self._flow_name, atom_name))
            assert row is not None
            row.state = state
            if state == states.RUNNING:
                row.runs += 1
            row.updated_at = timeutils.utcnow()


def load_atom_states(db: db_api.Database, instance_id: str,
                     flow_name: str) -> tuple[dict[str, str], dict[str, int]]:
    """The last state and the number of runs of each atom of one instance's flow."""
    with db.reader() as session:
        rows = session.scalars(sa.select(models.FlowAtomState).where(
            models.FlowAtomState.instance_id == instance_id,
            models.FlowAtomState.flow_name == flow_name)).all()
    return {r.atom_name: r.state for r in rows}, {r.atom_name: r.runs for r in rows}
