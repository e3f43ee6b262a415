"""Fault injection from server metadata."""

from __future__ import annotations

import logging
import time

import pytest
from taskflow import engines
from taskflow.patterns import linear_flow

from nova_lite.common import exception
from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys
from nova_lite.conductor.jobboards import lease
from nova_lite.conductor.tasks import base as task_base


def test_no_metadata_no_faults():
    assert faults.from_metadata({}, keys.BOOT_TASKS, 10) is faults.NO_FAULTS
    assert faults.from_metadata({'other': 'x'}, keys.BOOT_TASKS, 10) is faults.NO_FAULTS


def test_fail_at_raises_in_that_task_only():
    injector = faults.from_metadata({faults.FAIL_AT_KEY: 'network'}, keys.BOOT_TASKS, 10)
    injector.before_execute('image')
    with pytest.raises(faults.InjectedFault, match='fault injected in network'):
        injector.before_execute('network')


def test_delay_at_waits():
    injector = faults.from_metadata({faults.DELAY_AT_KEY: 'spawn:0.2'}, keys.BOOT_TASKS, 10)
    started = time.monotonic()
    injector.before_execute('spawn')
    assert time.monotonic() - started >= 0.2
    injector.before_execute('image')  # no delay, no error


@pytest.mark.parametrize('metadata, key', [
    ({faults.FAIL_AT_KEY: 'nope'}, faults.FAIL_AT_KEY),
    ({faults.DELAY_AT_KEY: 'spawn'}, faults.DELAY_AT_KEY),
    ({faults.DELAY_AT_KEY: 'spawn:-1'}, faults.DELAY_AT_KEY),
    ({faults.DELAY_AT_KEY: 'spawn:11'}, faults.DELAY_AT_KEY),
    ({faults.DELAY_AT_KEY: 'nope:1'}, faults.DELAY_AT_KEY),
])
def test_malformed_metadata_names_the_key(metadata, key):
    with pytest.raises(exception.InvalidInput, match=key):
        faults.from_metadata(metadata, keys.BOOT_TASKS, 10)


# -- nova_lite:delay_after ---------------------------------------------------------------


def test_delay_after_is_parsed_for_its_task_with_the_subject():
    injector = faults.from_metadata({faults.DELAY_AFTER_KEY: 'network:2.5'}, keys.BOOT_TASKS,
                                    10, subject='inst-7')
    assert injector.delay_after == {'network': 2.5}
    assert injector.delay_at == {} and injector.fail_at == frozenset()
    assert injector.subject == 'inst-7'


def test_delay_after_up_to_max_delay_and_zero_are_accepted():
    assert faults.from_metadata({faults.DELAY_AFTER_KEY: 'spawn:10'}, keys.BOOT_TASKS,
                                10).delay_after == {'spawn': 10.0}
    assert faults.from_metadata({faults.DELAY_AFTER_KEY: 'spawn:0'}, keys.BOOT_TASKS,
                                10).delay_after == {'spawn': 0.0}


def test_delay_after_combines_with_the_other_faults():
    injector = faults.from_metadata({faults.DELAY_AFTER_KEY: 'volume:1',
                                     faults.DELAY_AT_KEY: 'spawn:2',
                                     faults.FAIL_AT_KEY: 'mark-active'}, keys.BOOT_TASKS, 10)
    assert injector.delay_after == {'volume': 1.0}
    assert injector.delay_at == {'spawn': 2.0}
    assert injector.fail_at == frozenset({'mark-active'})


@pytest.mark.parametrize('value', [
    'nope:1',         # not a task
    ':1',             # no task
    'spawn',          # no seconds
    'spawn:soon',     # not a number
    'spawn:-0.5',     # negative
    'spawn:10.01',    # over max_delay
    'spawn:nan',      # not a number either
])
def test_malformed_delay_after_is_invalid_input_naming_the_field(value):
    with pytest.raises(exception.InvalidInput) as raised:
        faults.from_metadata({faults.DELAY_AFTER_KEY: value}, keys.BOOT_TASKS, 10)
    assert 'metadata.nova_lite:delay_after' in raised.value.message
    assert '<task>:<seconds>' in raised.value.message


def test_delay_after_is_logged_naming_task_and_subject_before_the_wait(caplog):
    delay = 0.05
    injector = faults.from_metadata({faults.DELAY_AFTER_KEY: f'network:{delay}'},
                                    keys.BOOT_TASKS, 10, subject='inst-42')
    with caplog.at_level(logging.WARNING, logger=faults.__name__):
        injector.after_execute('image')  # another task: no wait, no log
        assert caplog.records == []
        injector.after_execute('network')
        returned_at = time.time()
    (record,) = caplog.records
    message = record.getMessage()
    assert 'network of inst-42 waits 0.05 s' in message
    assert 'after its work, before its result is saved' in message
    # Logged first, then the wait: the record is at least the delay older than the return.
    assert returned_at - record.created >= delay


def test_delay_at_is_logged_before_its_work(caplog):
    injector = faults.from_metadata({faults.DELAY_AT_KEY: 'spawn:0.01'}, keys.BOOT_TASKS,
                                    10, subject='inst-43')
    with caplog.at_level(logging.WARNING, logger=faults.__name__):
        injector.before_execute('spawn')
    assert 'spawn of inst-43 waits 0.01 s before its work' in caplog.text


# -- The fault-injecting wrapper around a FlowTask's hooks -----------------------------


class RecordingFaults(faults.FaultInjector):
    """A fault injector that records its hooks' calls into a shared journal."""

    def __init__(self, journal: list[str]) -> None:
        super().__init__()
        object.__setattr__(self, 'journal', journal)

    def before_execute(self, atom_name: str) -> None:
        self.journal.append(f'before_execute:{atom_name}')

    def after_execute(self, atom_name: str) -> None:
        self.journal.append(f'after_execute:{atom_name}')


class NoopTask(task_base.FlowTask):
    def execute(self) -> None:
        pass


def test_pre_execute_runs_before_execute_then_the_claim_check():
    journal: list[str] = []
    flow_task = faults.FaultInjectingTask(NoopTask('spawn', claim_check=lambda: journal.append(
        'claim_check')), RecordingFaults(journal))
    flow_task.pre_execute()
    assert journal == ['before_execute:spawn', 'claim_check']
    flow_task.post_execute()
    assert journal == ['before_execute:spawn', 'claim_check', 'after_execute:spawn']


def test_pre_execute_without_a_claim_check_only_runs_the_injector():
    journal: list[str] = []
    faults.FaultInjectingTask(NoopTask('image'), RecordingFaults(journal)).pre_execute()
    assert journal == ['before_execute:image']


def test_a_lost_claim_stops_pre_execute_after_the_delay():
    journal: list[str] = []

    def claim_check() -> None:
        journal.append('claim_check')
        raise lease.ClaimLost('boot-x', 'it expired before it was renewed')

    flow_task = faults.FaultInjectingTask(NoopTask('spawn', claim_check=claim_check),
                                          RecordingFaults(journal))
    with pytest.raises(lease.ClaimLost):
        flow_task.pre_execute()
    assert journal == ['before_execute:spawn', 'claim_check']


def test_an_injected_failure_comes_before_the_claim_check():
    checks: list[str] = []
    flow_task = faults.FaultInjectingTask(
        NoopTask('spawn', claim_check=lambda: checks.append('claim_check')),
        faults.FaultInjector(fail_at=frozenset({'spawn'})))
    with pytest.raises(faults.InjectedFault):
        flow_task.pre_execute()
    assert checks == []


def test_post_execute_waits_delay_after(caplog):
    flow_task = faults.FaultInjectingTask(NoopTask('network'), faults.FaultInjector(
        delay_after={'network': 0.02}, subject='inst-44'))
    with caplog.at_level(logging.WARNING, logger=faults.__name__):
        flow_task.pre_execute()  # delay_after does not wait before the work
        assert caplog.records == []
        flow_task.post_execute()
    assert 'network of inst-44 waits 0.02 s after its work' in caplog.text


def test_an_engine_calls_the_hooks_around_execute():
    journal: list[str] = []

    class Journaled(task_base.FlowTask):
        def execute(self) -> None:
            journal.append(f'execute:{self.name}')

    recording = RecordingFaults(journal)
    flow = linear_flow.Flow('hooks').add(
        faults.FaultInjectingTask(
            Journaled('one', claim_check=lambda: journal.append('claim_check')), recording),
        faults.FaultInjectingTask(Journaled('two'), recording))
    engines.run(flow)
    assert journal == ['before_execute:one', 'claim_check', 'execute:one',
                       'after_execute:one', 'before_execute:two', 'execute:two',
                       'after_execute:two']


# -- The flow factories apply the injector from outside the tasks ------------------------


class ReadOnly(task_base.FlowTask):
    """A task with no revert of its own (read only).

    Reversion strategy: nothing to undo.
    """

    def __init__(self, name: str, journal: list[str]) -> None:
        super().__init__(name, requires=['instance_id'], provides='value')
        self.journal = journal

    def execute(self, instance_id: str) -> str:
        self.journal.append(f'execute:{self.name}')
        return instance_id


class Failing(task_base.FlowTask):
    def execute(self) -> None:
        raise RuntimeError('boom')


def test_no_faults_leaves_each_task_as_it_is():
    flow_task = NoopTask('spawn')
    assert faults.wrapper_for(faults.NO_FAULTS)(flow_task) is flow_task


def test_the_wrapper_keeps_the_tasks_name_and_contract():
    inner = ReadOnly('image', [])
    wrapped = faults.wrapper_for(faults.FaultInjector(fail_at=frozenset({'image'})))(inner)
    assert isinstance(wrapped, faults.FaultInjectingTask) and wrapped.wrapped is inner
    assert (wrapped.name, set(wrapped.requires), set(wrapped.provides)) == (
        'image', {'instance_id'}, {'value'})
    assert dict(wrapped.rebind) == dict(inner.rebind)


def test_an_injected_revert_fault_fails_a_read_only_tasks_revert(caplog):
    """A task with no revert of its own still has a revert that can fail, and the
    flow goes on reverting (the failure is logged, the flow ends REVERTED)."""
    journal: list[str] = []
    injector = faults.FaultInjector(fail_revert_at=frozenset({'image'}))
    faulty = faults.wrapper_for(injector)
    flow = linear_flow.Flow('reverting').add(faulty(ReadOnly('image', journal)),
                                             faulty(Failing('spawn')))
    engine = engines.load(flow, store={'instance_id': 'inst-45'})
    with caplog.at_level(logging.ERROR, logger=faults.__name__):
        with pytest.raises(RuntimeError, match='boom'):
            engine.run()
    assert journal == ['execute:image']
    assert 'Revert of task image for instance inst-45 failed' in caplog.text
    assert engine.storage.get_flow_state() == 'REVERTED'


def test_the_wrapped_revert_runs_when_no_revert_fault_is_asked():
    reverted: list[str] = []

    class Undoing(ReadOnly):
        def revert(self, instance_id: str, **kwargs: object) -> None:
            reverted.append(instance_id)

    faulty = faults.wrapper_for(faults.FaultInjector(fail_at=frozenset({'spawn'})))
    flow = linear_flow.Flow('reverting').add(faulty(Undoing('image', [])),
                                             faulty(NoopTask('spawn')))
    with pytest.raises(faults.InjectedFault):
        engines.run(flow, store={'instance_id': 'inst-46'})
    assert reverted == ['inst-46']
