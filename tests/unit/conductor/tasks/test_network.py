"""AllocateNetwork: one port per requested network, bound to the host; reused on a re-run."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.conductor import resource_cleanup, token_seal
from nova_lite.conductor.tasks import network
from tests.unit.conductor.tasks import fake_services, fakes

REQUEST_SPEC = {'availability_zone': 'az1',
                'networks': [{'uuid': 'net-1'}, {'uuid': 'net-2', 'fixed_ip': '10.0.1.9'}]}


@pytest.fixture
def networks() -> fakes.FakeNetwork:
    fake = fakes.FakeNetwork()
    fake.add_network('net-1', 'private')
    fake.add_network('net-2', 'storage')
    return fake


def _task(networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
          sealer: token_seal.TokenSealer) -> network.AllocateNetwork:
    cleanup = resource_cleanup.InstanceResources(networks, fakes.FakeVolumes(), None, None)
    return network.AllocateNetwork(networks, instances, sealer, cleanup)


def _user_port(networks: fakes.FakeNetwork) -> str:
    """A port the user made beforehand, to pass in the boot request."""
    return networks.create_port(fakes.user_request_context(), network_id='net-1')['id']


def _port_ids(networks: fakes.FakeNetwork, instance_id: str) -> list[str]:
    return sorted(port['id'] for port in networks.ports_of(instance_id))


def test_execute_creates_a_port_per_network_bound_to_the_host(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    network_info = _task(networks, instances, sealer).execute(
        context, instance_id, REQUEST_SPEC, 'host1')

    # The fake's ports have no security groups: nothing for the host to filter.
    no_groups = {'port_security_enabled': True, 'stateful': True, 'security_group_rules': []}
    assert network_info == [
        {'port_id': 'port-1', 'mac_address': 'fa:16:3e:00:00:01',
         'fixed_ips': [{'subnet_id': 'net-1-subnet', 'ip_address': '10.0.0.2'}],
         'network_id': 'net-1', 'network_name': 'private', **no_groups},
        {'port_id': 'port-2', 'mac_address': 'fa:16:3e:00:00:02',
         'fixed_ips': [{'subnet_id': 'net-2-subnet', 'ip_address': '10.0.1.9'}],
         'network_id': 'net-2', 'network_name': 'storage', **no_groups}]
    for port in networks.ports_of(instance_id):
        assert (port['device_owner'], port['binding:host_id']) == ('compute:az1', 'host1')
    assert _port_ids(networks, instance_id) == ['port-1', 'port-2']
    assert instances.get(instance_id)['task_state'] == 'networking'
    assert {call.token for call in networks.calls} == {fakes.TOKEN}


def test_a_port_the_user_passed_in_is_bound_not_created(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    user_port = _user_port(networks)
    spec = {'networks': [{'port': user_port}]}

    network_info = _task(networks, instances, sealer).execute(context, instance_id, spec,
                                                              'host1')

    assert [info['port_id'] for info in network_info] == [user_port]
    assert len(networks.called('create_port')) == 1  # the user's own, above
    port = networks.ports[user_port]
    assert (port['device_id'], port['device_owner'], port['binding:host_id']) == (
        instance_id, 'compute:nova', 'host1')


def test_a_rerun_after_a_crash_reuses_the_ports_and_provides_the_same_info(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(networks, instances, sealer)
    first = task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    again = task.execute(context, instance_id, REQUEST_SPEC, 'host1')

    assert again == first
    assert _port_ids(networks, instance_id) == ['port-1', 'port-2']
    assert len(networks.called('create_port')) == 2


def test_two_nics_on_one_network_rerun_reuses_each_port_once(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    spec = {'networks': [{'uuid': 'net-1'}, {'uuid': 'net-1'}]}
    task = _task(networks, instances, sealer)
    first = task.execute(context, instance_id, spec, 'host1')
    again = task.execute(context, instance_id, spec, 'host1')

    assert [info['port_id'] for info in first] == ['port-1', 'port-2']
    assert again == first
    assert _port_ids(networks, instance_id) == ['port-1', 'port-2']


def test_a_rerun_does_not_take_a_user_port_for_a_network_request(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    user_port = _user_port(networks)
    spec = {'networks': [{'port': user_port}, {'uuid': 'net-1'}]}
    task = _task(networks, instances, sealer)
    first = task.execute(context, instance_id, spec, 'host1')
    again = task.execute(context, instance_id, spec, 'host1')

    assert again == first
    assert [info['port_id'] for info in first][0] == user_port
    assert len(set(info['port_id'] for info in first)) == 2
    assert len(networks.ports_of(instance_id)) == 2


def test_a_rerun_after_a_crash_inside_create_port_makes_no_second_port(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(networks, instances, sealer)
    # The first port is made, but its answer never comes back.
    networks.fail('create_port', TimeoutError('connection reset'), after_effect=True)
    with pytest.raises(TimeoutError):
        task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    assert _port_ids(networks, instance_id) == ['port-1']

    network_info = task.execute(context, instance_id, REQUEST_SPEC, 'host1')

    assert [info['port_id'] for info in network_info] == ['port-1', 'port-2']
    assert _port_ids(networks, instance_id) == ['port-1', 'port-2']


def test_a_rerun_with_a_user_port_binds_it_again_and_makes_none(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    user_port = _user_port(networks)
    spec = {'networks': [{'port': user_port}, {'uuid': 'net-2'}]}
    task = _task(networks, instances, sealer)
    first = task.execute(context, instance_id, spec, 'host1')
    assert task.execute(context, instance_id, spec, 'host1') == first
    assert _port_ids(networks, instance_id) == sorted([user_port, first[1]['port_id']])
    assert len(networks.ports) == 2


def test_revert_deletes_the_ports_made_and_unbinds_the_users(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    user_port = _user_port(networks)
    other = networks.create_port(fakes.user_request_context(), network_id='net-1',
                                 device_id='another-instance')['id']
    spec = {'networks': [{'port': user_port}, {'uuid': 'net-2'}]}
    task = _task(networks, instances, sealer)
    result = task.execute(context, instance_id, spec, 'host1')

    task.revert(context, instance_id, spec, result=result)

    assert sorted(networks.ports) == sorted([user_port, other])
    port = networks.ports[user_port]
    assert (port['device_id'], port['device_owner'], port['binding:host_id']) == ('', '', '')
    assert networks.ports[other]['device_id'] == 'another-instance'
    # The revert acts as the conductor, not with the user's token.
    assert {call.token for call in networks.calls[-3:]} == {None}


def test_revert_frees_the_ports_after_the_user_was_deleted_mid_boot(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _task(networks, instances, sealer)
    result = task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    networks.refused_tokens.add(fakes.TOKEN)

    task.revert(context, instance_id, REQUEST_SPEC, result=result)

    assert networks.ports == {}
    assert fakes.revert_failures(caplog.records) == []


def test_revert_after_an_execute_that_failed_half_way_finds_its_ports(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str) -> None:
    task = _task(networks, instances, sealer)
    networks.fail('get_network', exception.NotFound(resource='Network', id='net-1'))
    with pytest.raises(exception.NotFound):
        task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    assert _port_ids(networks, instance_id) == ['port-1']

    task.revert(context, instance_id, REQUEST_SPEC, result=None)

    assert networks.ports == {}


def test_revert_a_second_time_finds_nothing_left(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _task(networks, instances, sealer)
    result = task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    task.revert(context, instance_id, REQUEST_SPEC, result=result)
    task.revert(context, instance_id, REQUEST_SPEC, result=result)
    assert networks.ports == {}
    assert len(networks.called('delete_port')) == 2
    assert fakes.revert_failures(caplog.records) == []


def test_a_revert_that_fails_is_logged_not_raised(
        networks: fakes.FakeNetwork, instances: fake_services.FakeInstanceStore,
        sealer: token_seal.TokenSealer, context: dict[str, Any], instance_id: str,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _task(networks, instances, sealer)
    result = task.execute(context, instance_id, REQUEST_SPEC, 'host1')
    error = ConnectionError('network API unreachable')
    networks.fail('delete_port', error)

    task.revert(context, instance_id, REQUEST_SPEC, result=result)

    [(message, logged)] = fakes.revert_failures(caplog.records)
    assert logged is error and instance_id in message
    # What it could not free stays for the conductor's sweep.
    assert 'port-1' in _port_ids(networks, instance_id)
