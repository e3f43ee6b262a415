"""Boot from volume on the libvirt driver: it boots, and a failure in any boot task
ends in ERROR leaving nothing behind, the volumes the boot made included."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.conductor import faults
from nova_lite.conductor.flows import keys
from tests.functional.test_boot_failures import _assert_clean_error


def _bfv_body(env: Any) -> dict[str, Any]:
    return {'with_volume': False, 'imageRef': '', 'block_device_mapping_v2': [
        {'source_type': 'image', 'uuid': env.image['id'], 'destination_type': 'volume',
         'boot_index': 0, 'volume_size': 1, 'delete_on_termination': True},
        {'source_type': 'blank', 'destination_type': 'volume', 'volume_size': 1},
        {'source_type': 'volume', 'uuid': env.volumes[0]['id'],
         'destination_type': 'volume'}]}


def _volume_ids(env: Any) -> set[str]:
    return {v['id'] for v in env.cloud.volumes.list_volumes(env.ctx)}


def test_boot_from_volume_on_libvirt(make_env):
    env = make_env(hosts=['host1'], virt_driver='libvirt')
    before = _volume_ids(env)
    server = env.boot(**_bfv_body(env))
    assert server['status'] == 'ACTIVE', server.get('fault')
    assert server['image_id'] == ''
    made = _volume_ids(env) - before
    assert len(made) == 2
    assert env.volume()['status'] == 'in-use'
    env.delete(server['id'])
    # The image volume went with the server (delete_on_termination); the blank one
    # and the user's volume stay, detached.
    assert len(_volume_ids(env) - before) == 1
    assert env.volume()['status'] == 'available'


@pytest.mark.parametrize('task_name', keys.BOOT_TASKS[keys.BOOT_TASKS.index(
    keys.CREATE_VOLUMES):])
def test_failure_in_each_task_of_a_boot_from_volume(make_env, task_name):
    env = make_env(hosts=['host1'], virt_driver='libvirt',
                   fault_injector=faults.FaultInjector(fail_at=frozenset({task_name})))
    before = _volume_ids(env)
    server = env.boot(**_bfv_body(env))
    _assert_clean_error(env, server, f'fault injected in {task_name}')
    assert _volume_ids(env) == before  # the image and blank volumes were deleted


def test_a_failed_create_volumes_revert_is_covered_by_the_sweep(make_env):
    env = make_env(hosts=['host1'], virt_driver='libvirt',
                   fault_injector=faults.FaultInjector(
                       fail_at=frozenset({keys.MARK_ACTIVE}),
                       fail_revert_at=frozenset({keys.CREATE_VOLUMES})))
    before = _volume_ids(env)
    server = env.boot(**_bfv_body(env))
    _assert_clean_error(env, server, f'fault injected in {keys.MARK_ACTIVE}')
    assert _volume_ids(env) == before  # the conductor's sweep deleted what the boot made
