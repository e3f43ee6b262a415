"""A spawn failure on one host moves the boot to another; max_attempts bounds it."""

from __future__ import annotations

from typing import Any

from nova_lite.common import exception
from nova_lite.conductor import flow_states
from nova_lite.conductor.flows import keys

ZERO = {'vcpus_used': 0, 'memory_mb_used': 0, 'local_gb_used': 0}


def _break_spawn_on(env, host: str) -> list[str]:
    """Make the hypervisor of ``host`` fail every spawn; returns the instance ids tried."""
    [compute] = [c for c in env.cloud.compute_hosts if c.host == host]
    driver = compute.manager.driver
    tried: list[str] = []

    def failing_spawn(instance: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        tried.append(instance['id'])
        raise exception.VirtDriverError(host=host, reason='hypervisor refused the domain')

    driver.spawn = failing_spawn  # type: ignore[method-assign]
    return tried


def test_spawn_failure_on_first_host_reschedules(make_env):
    env = make_env(hosts=['host1', 'host2', 'host3'])
    tried = _break_spawn_on(env, 'host1')  # host1 is weighed first (ties go by name)
    server = env.boot()
    assert tried == [server['id']]
    assert server['status'] == 'ACTIVE', server['fault']
    assert server['host'] in ('host2', 'host3')
    usage = env.host_usage()
    assert usage['host1'] == ZERO
    assert usage[server['host']]['vcpus_used'] == 1
    # The port now lives on the new host; host1 kept nothing.
    [port] = env.cloud.networks.list_ports(env.ctx, device_id=server['id'])
    assert port['binding:host_id'] == server['host']
    assert server['id'] not in env.cloud.compute_hosts[0].manager.driver.list_instance_ids()
    # The drawing of the run shows the reschedule: schedule, gather and spawn ran twice.
    _states, runs = flow_states.load_atom_states(env.cloud.db, server['id'], keys.BOOT_FLOW)
    assert runs[keys.SCHEDULE] == 2 and runs[keys.SPAWN] == 2
    assert runs[keys.AUTHENTICATE] == 1


def test_max_attempts_one_gives_error_after_one_try(make_env, conf):
    conf.set_override('max_attempts', 1, group='scheduler')
    env = make_env(hosts=['host1', 'host2'])
    tried = _break_spawn_on(env, 'host1')
    server = env.boot()
    assert tried == [server['id']]
    assert server['status'] == 'ERROR'
    assert 'hypervisor refused the domain' in server['fault']['message']
    assert env.host_usage() == {'host1': ZERO, 'host2': ZERO}
    assert env.leftovers(server['id']).total() == 0


def test_every_host_failing_ends_in_error_with_nothing_left(make_env):
    env = make_env(hosts=['host1', 'host2'])
    for host in ('host1', 'host2'):
        _break_spawn_on(env, host)
    server = env.boot()
    assert server['status'] == 'ERROR'
    assert env.host_usage() == {'host1': ZERO, 'host2': ZERO}
    assert env.leftovers(server['id']).total() == 0
    assert env.volume()['status'] == 'available'
