"""Records the states each atom of an instance's flow run reaches.

Two records, both written by :class:`AtomStateRecorder` as the run goes:

- ``flow_atom_states``: the last state and the number of runs of each atom,
  which colour ``nova-lite flow graph --instance ID``;
- ``flow_atom_events``: every state change, in order, with the attempt of
  the retried subflow it belongs to, the host that attempt runs on and the
  conductor that ran it (:func:`load_atom_events`). From them
  :func:`nova_lite.flowviz.account.load_account` tells a resumed or
  rescheduled run as it happened.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from taskflow import states
from taskflow.listeners import base as listener_base

from nova_lite.common import hop_timer, timeutils
from nova_lite.conductor.flows import keys
from nova_lite.db import api as db_api
from nova_lite.db.models import flow_history

LOG = logging.getLogger(__name__)

# The states a flow stops in; a run with none of them recorded stopped dead.
FLOW_END_STATES = frozenset({states.SUCCESS, states.REVERTED, states.FAILURE,
                             states.SUSPENDED})
# States an atom is left in when its engine dies; it runs again from them.
UNFINISHED_STATES = frozenset({states.RUNNING, states.REVERTING})

_ATOM_KINDS = ('task', 'retry')
# Flow states worth a line in the history: a run starting, and a run ending.
_FLOW_STATES = frozenset({states.RUNNING}) | FLOW_END_STATES
# Atom states in which a task's result (for the host: the schedule's) is stored.
_HAS_RESULT = frozenset({states.SUCCESS, states.REVERTING, states.REVERT_FAILURE})
# States that end an atom's execution or revert: their event carries its hops.
_HOPS_STATES = frozenset({states.SUCCESS, states.FAILURE, states.REVERTED,
                          states.REVERT_FAILURE})

# The statements of AtomStateRecorder, built once (SQLAlchemy caches their compiled form).
_EVENTS: sa.Table = flow_history.FlowAtomEvent.__table__  # type: ignore[assignment]
_LAST_STATES: sa.Table = flow_history.FlowAtomState.__table__  # type: ignore[assignment]
_INSERT_EVENT = _EVENTS.insert()
_STATE_KEY = (_LAST_STATES.c.instance_id, _LAST_STATES.c.flow_name, _LAST_STATES.c.atom_name)


def _upsert_last_state(insert: Any) -> Any:
    """INSERT a last-state row; on conflict: take the new state and add the new runs."""
    stmt = insert(_LAST_STATES)
    return stmt.on_conflict_do_update(
        index_elements=list(_STATE_KEY),
        set_={'state': stmt.excluded.state,
              'runs': _LAST_STATES.c.runs + stmt.excluded.runs,
              'updated_at': stmt.excluded.updated_at})


_UPSERT_LAST_STATE = {'sqlite': _upsert_last_state(sqlite.insert),
                      'postgresql': _upsert_last_state(postgresql.insert)}
# Any other dialect: UPDATE, and INSERT if there was no row.
_UPDATE_LAST_STATE = (_LAST_STATES.update()
                      .where(*(column == sa.bindparam(f'key_{column.name}')
                               for column in _STATE_KEY))
                      .values(state=sa.bindparam('state'),
                              runs=_LAST_STATES.c.runs + sa.bindparam('runs'),
                              updated_at=sa.bindparam('updated_at')))


def _record(conn: sa.Connection, event: dict[str, Any],
            last_state: dict[str, Any] | None) -> None:
    """Append ``event``; upsert ``last_state`` (its ``runs``: how many runs to add)."""
    conn.execute(_INSERT_EVENT, event)
    if last_state is None:
        return
    upsert = _UPSERT_LAST_STATE.get(conn.dialect.name)
    if upsert is not None:
        conn.execute(upsert, last_state)
        return
    keys = {f'key_{column.name}': last_state[column.name] for column in _STATE_KEY}
    updated = conn.execute(_UPDATE_LAST_STATE, {
        **keys, 'state': last_state['state'], 'runs': last_state['runs'],
        'updated_at': last_state['updated_at']})
    if updated.rowcount == 0:
        conn.execute(_LAST_STATES.insert(), last_state)


@dataclasses.dataclass(frozen=True)
class AtomEvent:
    """One recorded state change (of an atom, or of the flow itself)."""

    seq: int
    atom_name: str
    state: str
    attempt: int | None = None
    host: str | None = None
    runner: str | None = None
    at: datetime.datetime | None = None
    # Where the atom's time went (hop_timer totals), on the event ending its run.
    hops: dict[str, Any] | None = None


def _host_of(result: Any) -> str | None:
    """The host in a schedule result, ``(host, alternates)``; None if it holds none."""
    if isinstance(result, (list, tuple)) and result and isinstance(result[0], str):
        return result[0]
    return None


class AtomStateRecorder(listener_base.Listener):
    """A TaskFlow listener that writes every atom state change to the database.

    :param results: filled with each task's results as it succeeds (name ->
        list of results), for the caller's own use.
    :param runner: who runs the engine (a conductor's identity), recorded
        with every event.
    :param attempts_of: the retry controller whose runs are the attempts;
        the atoms it controls are recorded with the attempt they ran in.
    :param host_from: the task whose result, ``(host, alternates)``, is the
        host of the attempt; recorded on the attempt's atoms once it succeeded.
    :param hops_of: atom (or flow) name -> where its time went, recorded with
        the event that ends its execution or revert (the flow's: its end).

    A run resumed from a stored flow detail runs again the atoms its engine
    left RUNNING or REVERTING; TaskFlow reports no second RUNNING for them, so
    the recorder records it (and counts the run) when the resumed run starts.
    """

    def __init__(self, engine: Any, db: db_api.Database, instance_id: str,
                 flow_name: str, results: dict[str, list[Any]] | None = None, *,
                 runner: str | None = None, attempts_of: str | None = keys.HOST_RETRY,
                 host_from: str | None = keys.SCHEDULE,
                 hops_of: Callable[[str], dict[str, Any] | None] | None = None) -> None:
        super().__init__(engine)
        self._hops_of = hops_of
        self._db = db
        self._instance_id = instance_id
        self._flow_name = flow_name
        self._runner = runner
        self._attempts_of = attempts_of
        self._host_from = host_from
        self.results: dict[str, list[Any]] = {} if results is None else results
        # Parallel atoms report from several threads; one event is written at a time.
        self._lock = threading.Lock()
        self._attempt: int | None = None
        self._host: str | None = None
        self._in_attempts: frozenset[str] | None = None

    # Receivers (TaskFlow calls them with keyword arguments).

    def _flow_receiver(self, state: str, details: dict[str, Any]) -> None:
        if state not in _FLOW_STATES:
            return
        if state == states.SUSPENDED and details.get('old_state') == states.RESUMING:
            return  # loading a stored run, not the end of one
        with self._lock:
            if state == states.RUNNING:
                self._start_run()
            else:
                self._write(self._flow_name, state, atom_row=False,
                            hops=self._hops(self._flow_name, state))

    def _task_receiver(self, state: str, details: dict[str, Any]) -> None:
        name = details['task_name']
        if state == states.SUCCESS:
            self.results.setdefault(name, []).append(details.get('result'))
        with self._lock:
            if state == states.SUCCESS and name == self._host_from:
                self._host = _host_of(details.get('result'))
            self._write(name, state, hops=self._hops(name, state))

    def _retry_receiver(self, state: str, details: dict[str, Any]) -> None:
        name = details['retry_name']
        with self._lock:
            if name == self._attempts_of and state == states.RUNNING:
                self._attempt = (self._attempt or 0) + 1
                self._host = None
            self._write(name, state)

    # Where the run stands.

    def _atom_names(self) -> list[str]:
        compilation = self._engine.compilation
        if compilation is None:
            return []
        return [node.name for node, data in compilation.execution_graph.nodes(data=True)
                if data.get('kind') in _ATOM_KINDS]

    def _attempt_atoms(self) -> frozenset[str]:
        """The atoms the attempts' retry controller runs again on each attempt."""
        if self._in_attempts is None:
            compilation = self._engine.compilation
            if compilation is None or self._attempts_of is None:
                return frozenset()
            self._in_attempts = frozenset(
                node.name for node, data in compilation.execution_graph.nodes(data=True)
                if data.get('kind') in _ATOM_KINDS
                and getattr(data.get('retry'), 'name', None) == self._attempts_of)
        return self._in_attempts

    def _start_run(self) -> None:
        """An engine starts (or resumes) the run: find where the stored run stands."""
        storage = self._engine.storage
        names = self._atom_names()
        try:
            stored = {name: state for name, (state, _intention)
                      in storage.get_atoms_states(names).items()}
        except Exception:  # a listener must not break the run it watches
            LOG.exception('Could not read the stored states of %s of %s', self._flow_name,
                          self._instance_id)
            stored = {}
        self._attempt, self._host = None, None
        try:
            if self._attempts_of in stored:
                tried = len(storage.get_retry_history(self._attempts_of))
                # A retry left RUNNING runs again as the same attempt, with no
                # RUNNING event (its result is not in the history yet).
                running = 1 if stored[self._attempts_of] == states.RUNNING else 0
                self._attempt = (tried + running) or None
            if self._host_from in stored and stored[self._host_from] in _HAS_RESULT:
                self._host = _host_of(storage.get(self._host_from))
        except Exception:
            LOG.exception('Could not read where the stored run of %s stands',
                          self._instance_id)
        self._write(self._flow_name, states.RUNNING, atom_row=False)
        for name in names:
            if stored.get(name) in UNFINISHED_STATES:
                LOG.info('%s of %s was %s when its run stopped: it runs again', name,
                         self._instance_id, stored[name])
                self._write(name, stored[name])

    # Writing.

    def _hops(self, name: str, state: str) -> dict[str, Any] | None:
        if self._hops_of is None or (name != self._flow_name and state not in _HOPS_STATES):
            return None
        return self._hops_of(name)

    def _write(self, atom_name: str, state: str, *, atom_row: bool = True,
               hops: dict[str, Any] | None = None) -> None:
        """Record one state change in one short transaction: the event (with the
        ``hops`` of the task it ends), and (``atom_row``) the atom's last state, its
        runs counted on RUNNING."""
        in_attempt = atom_name in self._attempt_atoms()
        attempt = self._attempt if in_attempt or atom_name == self._attempts_of else None
        now = timeutils.utcnow()
        event = {'instance_id': self._instance_id, 'flow_name': self._flow_name,
                 'atom_name': atom_name, 'state': state, 'attempt': attempt,
                 'host': self._host if in_attempt else None, 'runner': self._runner,
                 'at': now, 'hops': hops}
        last_state = None
        if atom_row:
            last_state = {'instance_id': self._instance_id, 'flow_name': self._flow_name,
                          'atom_name': atom_name, 'state': state,
                          'runs': 1 if state == states.RUNNING else 0, 'updated_at': now}
        with hop_timer.hop(hop_timer.PERSIST), self._db.engine.begin() as conn:
            _record(conn, event, last_state)


def load_atom_states(db: db_api.Database, instance_id: str,
                     flow_name: str) -> tuple[dict[str, str], dict[str, int]]:
    """The last state and the number of runs of each atom of one instance's flow."""
    with db.reader() as session:
        rows = session.scalars(sa.select(flow_history.FlowAtomState).where(
            flow_history.FlowAtomState.instance_id == instance_id,
            flow_history.FlowAtomState.flow_name == flow_name)).all()
    return {r.atom_name: r.state for r in rows}, {r.atom_name: r.runs for r in rows}


def load_atom_events(db: db_api.Database, instance_id: str,
                     flow_name: str) -> list[AtomEvent]:
    """Every recorded state change of one instance's flow, oldest first."""
    event = flow_history.FlowAtomEvent
    with db.reader() as session:
        rows = session.scalars(sa.select(event).where(
            event.instance_id == instance_id, event.flow_name == flow_name)
            .order_by(event.seq)).all()
        return [AtomEvent(seq=r.seq, atom_name=r.atom_name, state=r.state,
                          attempt=r.attempt, host=r.host, runner=r.runner, at=r.at,
                          hops=r.hops)
                for r in rows]

