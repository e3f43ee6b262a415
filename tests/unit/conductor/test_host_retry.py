"""HostRetry keeps the hosts that failed, also after the history was read back from
the database (where a failure has lost its exception, and so its host)."""

from __future__ import annotations

from taskflow import retry
from taskflow.types import failure as tf_failure

from nova_lite.common import exception
from nova_lite.conductor.flows import host_retry, keys


def _spawn_failure(host: str) -> tf_failure.Failure:
    try:
        raise exception.RetryableBuildError(instance_id='i1', host=host, reason='refused')
    except exception.RetryableBuildError:
        return tf_failure.Failure()


def _read_back(failure: tf_failure.Failure) -> tf_failure.Failure:
    return tf_failure.Failure.from_dict(failure.to_dict())


def test_live_failures_name_their_hosts() -> None:
    history = retry.History([([], {keys.SPAWN: _spawn_failure('host1')}),
                             (['host1'], {keys.SPAWN: _spawn_failure('host2')})])
    assert host_retry.HostRetry(3).execute(history) == ['host1', 'host2']


def test_hosts_of_read_back_failures_come_from_the_saved_results() -> None:
    read_back = _read_back(_spawn_failure('host1'))
    assert read_back.exception is None
    # Attempt 2 (on host2) failed live after a resume; attempt 1's failure was read back.
    history = retry.History([([], {keys.SPAWN: read_back}),
                             (['host1'], {keys.SPAWN: _spawn_failure('host2')})])
    assert host_retry.HostRetry(3).execute(history) == ['host1', 'host2']


def test_a_failure_that_is_not_a_host_failure_adds_no_host() -> None:
    try:
        raise exception.InvalidInput(field='x', reason='bad')
    except exception.InvalidInput:
        other = tf_failure.Failure()
    history = retry.History([([], {keys.SPAWN: other})])
    assert host_retry.HostRetry(3).execute(history) == []
    assert host_retry.HostRetry(3).on_failure(history) == retry.REVERT_ALL
