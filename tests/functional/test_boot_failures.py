"""A failure in any boot task ends in ERROR with a fault, and leaves nothing behind."""

from __future__ import annotations

import logging

import pytest

from nova_lite import audit
from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys

ZERO_USAGE = {'vcpus_used': 0, 'memory_mb_used': 0, 'local_gb_used': 0}


def _assert_clean_error(env, server, needle):
    assert server['status'] == 'ERROR'
    assert server['task_state'] is None
    assert needle in server['fault']['message']
    assert env.leftovers(server['id']).as_dict() == {
        'ports': 0, 'ips': 0, 'claims': 0, 'volume_attachments': 0, 'domains': 0,
        'instance_dirs': 0}
    assert env.volume()['status'] == 'available'
    assert env.host_usage() == {'host1': ZERO_USAGE}
    cloud = env.cloud
    orphans, unreachable_hosts = audit.Auditor(
        cloud.db, cloud.instances, cloud.compute_rpcapi, cloud.resources,
        build_timeout=900).find()
    assert (orphans, unreachable_hosts) == ([], [])


@pytest.mark.parametrize('task_name', keys.BOOT_TASKS)
def test_failure_in_each_task(make_env, task_name):
    env = make_env(hosts=['host1'], virt_driver='libvirt',
                   fault_injector=faults.FaultInjector(fail_at=frozenset({task_name})))
    server = env.boot()
    _assert_clean_error(env, server, f'fault injected in {task_name}')


# Every task's revert (the first task's own revert failing is the next test).
@pytest.mark.parametrize('failing_revert',
                         [t for t in keys.BOOT_TASKS if t != keys.INSTANCE_TO_ERROR_ON_REVERT])
def test_failed_revert_is_logged_and_instance_ends_in_error(make_env, caplog,
                                                           failing_revert):
    env = make_env(hosts=['host1'], virt_driver='libvirt',
                   fault_injector=faults.FaultInjector(
                       fail_at=frozenset({keys.MARK_ACTIVE}),
                       fail_revert_at=frozenset({failing_revert})))
    with caplog.at_level(logging.WARNING):
        server = env.boot()
    assert f'Revert of task {failing_revert} for instance {server["id"]} failed' in caplog.text
    # The conductor's sweep frees what the failed revert left.
    _assert_clean_error(env, server, f'fault injected in {keys.MARK_ACTIVE}')


def test_revert_of_error_task_failing_still_leaves_no_build(make_env, caplog):
    env = make_env(hosts=['host1'], fault_injector=faults.FaultInjector(
        fail_at=frozenset({keys.SPAWN}),
        fail_revert_at=frozenset({keys.INSTANCE_TO_ERROR_ON_REVERT})))
    server = env.boot()
    assert server['status'] == 'ERROR'
    assert env.leftovers(server['id']).total() == 0


def test_no_valid_host_is_an_error_with_the_reason(make_env):
    env = make_env(hosts=['host1'], memory_mb=256)
    server = env.boot()
    assert server['status'] == 'ERROR'
    assert 'No valid host' in server['fault']['message']
    assert env.leftovers(server['id']).total() == 0
