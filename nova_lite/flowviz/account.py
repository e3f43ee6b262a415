"""A readable account of one flow run, told from its atoms' state changes.

The events (:class:`AtomEvent`, oldest first) are every state change of
every atom of the run, plus the flow's own (an event whose ``atom_name`` is
the flow's name): its start by an engine, and how it ended. From them
:func:`build_account` tells

- each engine run: who started it, and for a run that resumed a stopped one,
  which tasks ran twice (they were running when the previous run stopped);
- each attempt of the retried subflow: the host it ran on and how it ended
  ("attempt 1 on host1 by conductor-a: spawn FAILED, reverted");
- how the flow ended, if it did.

A task that was running when its engine stopped runs again when the flow is
resumed, and TaskFlow reports no second RUNNING for it; the recorder writes
that RUNNING itself, so here a RUNNING (or REVERTING) that follows the same
state of the same atom is a run again after a stop.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from taskflow import states

from nova_lite.conductor import flow_states
from nova_lite.conductor.flow_states import FLOW_END_STATES, UNFINISHED_STATES, AtomEvent
from nova_lite.conductor.flows import keys
from nova_lite.db import api as db_api

__all__ = ['FLOW_END_STATES', 'UNFINISHED_STATES', 'AtomEvent', 'RunAccount', 'account_lines',
           'build_account', 'load_account']

_TIMES = {1: 'once', 2: 'twice', 3: 'three times'}


@dataclasses.dataclass(frozen=True)
class EngineRun:
    """One engine's run of the flow: the first, or one that resumed a stopped run."""

    number: int
    runner: str | None
    # Atoms running when the previous run stopped, run again by this one: name ->
    # how many times that step has now run (2: twice).
    ran_again: dict[str, int]
    # The flow state this run ended in; None: it stopped dead (or is still going).
    ended: str | None
    # Atoms running or reverting at its last event, when it recorded no end.
    left_unfinished: tuple[str, ...]
    first_seq: int

    @property
    def resumed(self) -> bool:
        return self.number > 1

    def describe(self, *, followed: bool = False) -> str:
        """"started by conductor X" or "resumed by conductor X (tasks run twice: ...)".

        ``followed``: another run came after this one, so it did stop (and
        what it left running is said).
        """
        by = f' by conductor {self.runner}' if self.runner else ''
        if not self.resumed:
            text = f'started{by}'
        elif self.ran_again:
            groups: dict[int, list[str]] = {}
            for name, count in self.ran_again.items():
                groups.setdefault(count, []).append(name)
            parts = [f'{_TIMES.get(count, f"{count} times")}: {", ".join(names)}'
                     for count, names in sorted(groups.items())]
            text = f'resumed{by} (tasks run {"; ".join(parts)})'
        else:
            text = f'resumed{by} (no task was running when the previous run stopped)'
        if followed and self.left_unfinished:
            text += f'; stopped while running {", ".join(self.left_unfinished)}'
        return text


@dataclasses.dataclass(frozen=True)
class Attempt:
    """One try of the retried subflow."""

    number: int
    host: str | None
    outcome: str
    runners: tuple[str, ...]
    # atom -> the state it reached in this attempt.
    atom_states: dict[str, str]
    first_seq: int

    def describe(self) -> str:
        """E.g. "attempt 1 on host1 by conductor-a: spawn FAILED, reverted"."""
        where = f'on {self.host}' if self.host else '(no host chosen)'
        by = f' by {" then ".join(self.runners)}' if self.runners else ''
        return f'attempt {self.number} {where}{by}: {self.outcome}'


@dataclasses.dataclass(frozen=True)
class RunAccount:
    """Everything :func:`build_account` found in one flow run's events."""

    flow_name: str
    runs: tuple[EngineRun, ...]
    attempts: tuple[Attempt, ...]
    # The flow's last recorded state (None: no flow event recorded).
    flow_state: str | None

    @property
    def ran_twice(self) -> tuple[str, ...]:
        """Atoms run again after their engine stopped while they were running."""
        return tuple(name for run in self.runs for name in run.ran_again)

    def lines(self) -> list[str]:
        """The account, one statement per line, in the order things happened."""
        items = [(run.first_seq, run.describe(followed=run is not self.runs[-1]))
                 for run in self.runs]
        items += [(attempt.first_seq, attempt.describe()) for attempt in self.attempts]
        lines = [text for _seq, text in sorted(items, key=lambda item: item[0])]
        if self.flow_state in FLOW_END_STATES:
            lines.append(f'{self.flow_name} ended {self.flow_state}')
        elif self.runs and self.runs[-1].left_unfinished:
            # Still going, or its conductor stopped: the events cannot tell.
            lines.append(f'{self.flow_name} not finished: '
                         f'{", ".join(self.runs[-1].left_unfinished)} running '
                         '(or left running by a conductor that stopped)')
        elif self.flow_state is not None:
            lines.append(f'{self.flow_name} still running')
        return lines

    def atom_notes(self) -> dict[str, list[str]]:
        """Per atom, short notes for a drawing: its state per attempt, its runs again."""
        notes: dict[str, list[str]] = {}
        for attempt in self.attempts:
            where = f' on {attempt.host}' if attempt.host else ''
            for name, state in attempt.atom_states.items():
                notes.setdefault(name, []).append(
                    f'attempt {attempt.number}{where}: {state}')
        for run in self.runs:
            by = f' by {run.runner}' if run.runner else ''
            for name in run.ran_again:
                notes.setdefault(name, []).append(f'run again after a stop{by}')
        return notes


def _attempt_outcome(events: Sequence[AtomEvent]) -> str:
    """How one attempt went, from its atoms' events (the retry's left out)."""
    last: dict[str, str] = {}
    failed: list[str] = []
    succeeded: list[str] = []
    for event in events:
        if event.state == states.PENDING:  # reset for the next attempt
            continue
        last[event.atom_name] = event.state
        if event.state == states.FAILURE and event.atom_name not in failed:
            failed.append(event.atom_name)
        elif event.state == states.SUCCESS:
            succeeded.append(event.atom_name)
    if failed:
        after = {states.REVERTED: ', reverted', states.REVERT_FAILURE: ', revert failed',
                 states.REVERTING: ', reverting'}
        return '; '.join(f'{name} FAILED{after.get(last[name], "")}' for name in failed)
    unfinished = [name for name, state in last.items() if state in UNFINISHED_STATES]
    if unfinished:
        return ', '.join(f'{name} {last[name]}' for name in unfinished)
    if succeeded:
        name = succeeded[-1]
        if last[name] == states.SUCCESS:
            return f'{name} SUCCESS'
        return f'{name} SUCCESS, then {last[name]}'
    return 'nothing ran'


def _attempts(events: Sequence[AtomEvent], retry_name: str | None) -> tuple[Attempt, ...]:
    grouped: dict[int, list[AtomEvent]] = {}
    for event in events:
        if event.attempt is not None:
            grouped.setdefault(event.attempt, []).append(event)
    attempts = []
    for number, group in grouped.items():
        atoms = [e for e in group if e.atom_name != retry_name]
        hosts = [e.host for e in group if e.host]
        runners: list[str] = []
        for event in group:
            if event.runner and event.runner not in runners:
                runners.append(event.runner)
        reached = {e.atom_name: e.state for e in atoms if e.state != states.PENDING}
        attempts.append(Attempt(number=number, host=hosts[-1] if hosts else None,
                                outcome=_attempt_outcome(atoms), runners=tuple(runners),
                                atom_states=reached, first_seq=group[0].seq))
    return tuple(attempts)


@dataclasses.dataclass
class _OpenRun:
    """The engine run being walked through."""

    runner: str | None
    first_seq: int
    ran_again: dict[str, int] = dataclasses.field(default_factory=dict)
    ended: str | None = None


class _RunTracker:
    """Splits the events into engine runs while walking them in order."""

    def __init__(self) -> None:
        self.runs: list[EngineRun] = []
        self._last_state: dict[str, str] = {}
        # atom -> runs of its current step (a RUNNING again without an end between).
        self._streak: dict[str, int] = {}
        self._current: _OpenRun | None = None

    def _start(self, event: AtomEvent) -> _OpenRun:
        self.finish()
        self._current = _OpenRun(runner=event.runner, first_seq=event.seq)
        return self._current

    def finish(self) -> None:
        current = self._current
        if current is None:
            return
        unfinished = () if current.ended is not None else tuple(
            name for name, state in self._last_state.items() if state in UNFINISHED_STATES)
        self.runs.append(EngineRun(
            number=len(self.runs) + 1, runner=current.runner,
            ran_again=dict(current.ran_again), ended=current.ended,
            left_unfinished=unfinished, first_seq=current.first_seq))
        self._current = None

    def flow_event(self, event: AtomEvent) -> None:
        if event.state == states.RUNNING:
            self._start(event)
        elif event.state in FLOW_END_STATES and self._current is not None:
            self._current.ended = event.state

    def atom_event(self, event: AtomEvent) -> None:
        # No flow event recorded before this one: one implicit run.
        current = self._current or self._start(event)
        if current.runner is None and event.runner:
            current.runner = event.runner
        name = event.atom_name
        if event.state in UNFINISHED_STATES and self._last_state.get(name) == event.state:
            self._streak[name] = self._streak.get(name, 1) + 1
            current.ran_again[name] = self._streak[name]
        elif event.state in UNFINISHED_STATES:
            self._streak[name] = 1
        self._last_state[name] = event.state


def build_account(flow_name: str, events: Iterable[AtomEvent],
                  retry_name: str | None = None) -> RunAccount:
    """The account of one run of ``flow_name`` from its events.

    :param retry_name: the retry controller whose runs number the attempts
        (its own events are left out of each attempt's outcome).
    """
    ordered = sorted(events, key=lambda e: e.seq)
    tracker = _RunTracker()
    flow_state: str | None = None
    for event in ordered:
        if event.atom_name == flow_name:
            tracker.flow_event(event)
            flow_state = event.state
        else:
            tracker.atom_event(event)
    tracker.finish()
    return RunAccount(flow_name=flow_name, runs=tuple(tracker.runs),
                      attempts=_attempts(ordered, retry_name), flow_state=flow_state)


def load_account(db: db_api.Database, instance_id: str, flow_name: str,
                 attempts_of: str | None = keys.HOST_RETRY) -> RunAccount:
    """The readable account of one instance's flow run, from its recorded events."""
    return build_account(flow_name, flow_states.load_atom_events(db, instance_id, flow_name),
                         retry_name=attempts_of)


def account_lines(run: RunAccount, title: str) -> Iterable[str]:
    """The account as plain text lines under a title (``--format text``)."""
    yield title
    lines = run.lines()
    if not lines:
        yield '  (no event recorded)'
    for line in lines:
        yield f'  {line}'
