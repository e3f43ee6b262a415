"""build_account: engine runs, attempts and hosts told from atom events; and its drawing."""

from __future__ import annotations

import itertools

import pytest
from taskflow import states

from nova_lite.flowviz import account, dot
from tests.unit.flowviz import flows, graphs

pytestmark = pytest.mark.filterwarnings('ignore::DeprecationWarning:pydot.*')

FLOW = 'boot:main'
RETRY = 'attempt:retry'


class _Events:
    """Writes events in order, as the recorder would."""

    def __init__(self) -> None:
        self._seq = itertools.count(1)
        self.events: list[account.AtomEvent] = []

    def add(self, atom: str, *atom_states: str, attempt: int | None = None,
            host: str | None = None, runner: str | None = None) -> _Events:
        for state in atom_states:
            self.events.append(account.AtomEvent(seq=next(self._seq), atom_name=atom,
                                                 state=state, attempt=attempt, host=host,
                                                 runner=runner))
        return self


R, S, F = states.RUNNING, states.SUCCESS, states.FAILURE
RV, RD, P = states.REVERTING, states.REVERTED, states.PENDING


def _rescheduled(runner: str | None = 'a') -> _Events:
    ev = _Events().add(FLOW, R, runner=runner).add('prepare', R, S, runner=runner)
    ev.add(RETRY, R, S, attempt=1, runner=runner)
    ev.add('place', R, attempt=1, runner=runner).add('place', S, attempt=1, host='h1',
                                                     runner=runner)
    ev.add('launch', R, F, RV, RD, attempt=1, host='h1', runner=runner)
    ev.add('place', RV, RD, attempt=1, host='h1', runner=runner)
    ev.add(RETRY, states.RETRYING, attempt=1, runner=runner)
    ev.add('place', P, attempt=1, host='h1', runner=runner)
    ev.add('launch', P, attempt=1, host='h1', runner=runner)
    ev.add(RETRY, R, S, attempt=2, runner=runner).add('place', R, attempt=2, runner=runner)
    ev.add('place', S, attempt=2, host='h2', runner=runner)
    return ev


def test_a_reschedule_is_told_per_attempt_with_its_host() -> None:
    ev = _rescheduled().add('launch', R, S, attempt=2, host='h2', runner='a')
    ev.add('finish', R, S, runner='a').add(FLOW, S, runner='a')
    told = account.build_account(FLOW, ev.events, retry_name=RETRY)
    assert told.lines() == ['started by conductor a',
                            'attempt 1 on h1 by a: launch FAILED, reverted',
                            'attempt 2 on h2 by a: launch SUCCESS',
                            f'{FLOW} ended SUCCESS']
    assert told.atom_notes()['launch'] == ['attempt 1 on h1: REVERTED',
                                           'attempt 2 on h2: SUCCESS']
    assert 'finish' not in told.atom_notes()


def test_a_crash_then_a_resume_is_told_with_the_tasks_run_twice() -> None:
    ev = _rescheduled(runner=None).add('launch', R, attempt=2, host='h2')
    ev.add('fetch-a', R, S).add('fetch-b', R)  # parallel atoms outside the attempts
    # Conductor b resumes: the flow starts again, launch and fetch-b run again.
    ev.add(FLOW, R, runner='b').add('launch', R, attempt=2, host='h2', runner='b')
    ev.add('fetch-b', R, runner='b').add('fetch-b', S, runner='b')
    ev.add('launch', S, attempt=2, host='h2', runner='b').add(FLOW, S, runner='b')
    told = account.build_account(FLOW, ev.events, retry_name=RETRY)
    first, second = told.runs
    assert first.left_unfinished == ('launch', 'fetch-b') and first.ended is None
    assert second.ran_again == {'launch': 2, 'fetch-b': 2}
    assert told.ran_twice == ('launch', 'fetch-b')
    assert 'resumed by conductor b (tasks run twice: launch, fetch-b)' in told.lines()
    assert told.lines()[0] == 'started; stopped while running launch, fetch-b'
    assert 'attempt 2 on h2 by b: launch SUCCESS' in told.lines()
    assert 'run again after a stop by b' in told.atom_notes()['fetch-b']


def test_a_second_crash_in_the_same_task_is_three_times() -> None:
    ev = _Events().add(FLOW, R, runner='a').add('launch', R, runner='a')
    ev.add(FLOW, R, runner='b').add('launch', R, runner='b')
    ev.add(FLOW, R, runner='c').add('launch', R, runner='c').add('launch', S, runner='c')
    told = account.build_account(FLOW, ev.events)
    assert [run.ran_again for run in told.runs] == [{}, {'launch': 2}, {'launch': 3}]
    assert 'resumed by conductor c (tasks run three times: launch)' in told.lines()
    assert told.lines()[-1] == f'{FLOW} still running'


def test_a_run_with_no_end_yet_is_not_said_to_have_stopped() -> None:
    ev = _Events().add(FLOW, R).add('prepare', R, S).add('launch', R)
    told = account.build_account(FLOW, ev.events)
    assert told.lines() == ['started', f'{FLOW} not finished: launch running (or left '
                                       'running by a conductor that stopped)']


def test_no_host_chosen_and_events_without_a_flow_event() -> None:
    ev = _Events().add(RETRY, R, S, attempt=1).add('place', R, F, RV, RD, attempt=1)
    ev.add(RETRY, RV, RD, attempt=1)
    told = account.build_account(FLOW, ev.events, retry_name=RETRY)
    assert told.lines() == ['started', 'attempt 1 (no host chosen): place FAILED, reverted']
    assert told.flow_state is None
    assert account.build_account(FLOW, []).lines() == []


def test_the_drawing_carries_the_account_and_the_notes() -> None:
    ev = _rescheduled().add('launch', R, S, attempt=2, host='h2', runner='a')
    told = account.build_account(FLOW, ev.events, retry_name=RETRY)
    graph = graphs.parse(dot.flow_to_dot(flows.sample_flow(),
                                         atom_states={'launch': states.SUCCESS},
                                         atom_notes=told.atom_notes(),
                                         account=told.lines()))
    nodes = graphs.nodes(graph)
    assert 'attempt 1 on h1: REVERTED' in graphs.attr(nodes['launch'], 'label')
    note = graphs.attr(nodes['account'], 'label')
    assert graphs.attr(nodes['account'], 'shape') == 'note'
    assert 'attempt 1 on h1 by a: launch FAILED, reverted<br align="left"/>' in note
    assert graphs.cluster_labelled(graph, 'the run') is not None
    # No account given: no note.
    plain = graphs.nodes(graphs.parse(dot.flow_to_dot(flows.sample_flow())))
    assert 'account' not in plain
