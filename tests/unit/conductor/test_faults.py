"""Fault injection from server metadata."""

from __future__ import annotations

import time

import pytest

from nova_lite.common import exception
from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys


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
