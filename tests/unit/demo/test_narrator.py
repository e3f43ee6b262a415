"""The narrator tells the services' notifications as the boot steps of BOOT-SEQUENCE.md."""

from __future__ import annotations

import logging

import pytest
from taskflow import states

from nova_lite.common import notifications as notes
from nova_lite.conductor.flows import keys
from nova_lite.demo import narrator

API, REST = narrator.Carrier.API, narrator.Carrier.REST


def _told(note: notes.Notification) -> list[tuple[str, str, str]]:
    return [(s.step, s.carrier.value, s.message) for s in narrator.steps_of(note)]


def test_the_compute_api_steps_read_as_before() -> None:
    assert _told(notes.ServerCreateReceived(request="POST /servers 'vm'", over_http=True)) == [
        ('3', 'REST', "POST /servers 'vm' arrived at the compute API")]
    assert _told(notes.ServerCreateReceived(request="POST /servers 'vm'", over_http=False)) == [
        ('3', 'API call', "compute API received POST /servers 'vm'")]
    assert _told(notes.TokenChecked(service='compute', user_name='u', project_name='p',
                                    roles=('admin', 'member'))) == [
        ('4-5', 'API call', 'compute API had identity validate the token: user u, project p, '
                            'roles admin,member')]
    assert _told(notes.InstanceRecorded(instance_id='i-1', vm_state='building',
                                        task_state='scheduling')) == [
        ('7', 'DB', 'instance i-1 recorded: vm_state building, task_state scheduling')]
    assert _told(notes.BootCast(instance_id='i-1')) == [
        ('7+', 'rpc.cast', 'compute API casts the boot of i-1 to a conductor')]


@pytest.mark.parametrize('service, step', [('image', '21'), ('network', '24'),
                                           ('block storage', '27')])
def test_each_service_checks_the_token_in_its_step(service: str, step: str) -> None:
    note = notes.TokenChecked(service=service, user_name='u', project_name='p',
                              over_http=True)
    assert _told(note) == [(step, 'REST', f'{service} API checked the token with identity: '
                                          'user u, project p')]


def test_a_token_check_of_no_step_tells_nothing() -> None:
    assert _told(notes.TokenChecked(service='identity', user_name='u', project_name='p')) == []


def test_the_hypervisor_steps() -> None:
    assert _told(notes.GuestDefinitionWritten(path='/x/libvirt.xml', vcpus=1, memory_kib=2,
                                              disks=2, nics=1)) == [
        ('29', 'libvirt', 'wrote libvirt.xml (1 vCPU, 2 KiB, 2 disk(s), 1 NIC(s)): '
                          '/x/libvirt.xml')]
    assert _told(notes.DomainStarted(domain_name='d', hypervisor='test:///default',
                                     power_state='running')) == [
        ('29', 'libvirt', 'defined and started domain d on test:///default '
                          '(power state running)')]
    assert _told(notes.DomainStarted(domain_name='d', hypervisor='the fake hypervisor')) == [
        ('29', 'libvirt', 'defined and started domain d on the fake hypervisor')]


def _task(task: str, state: str, **fields: object) -> notes.FlowTaskChanged:
    return notes.FlowTaskChanged(instance_id='i-1', instance_name='vm', flow=keys.BOOT_FLOW,
                                 task=task, state=state, **fields)  # type: ignore[arg-type]


def test_the_boot_tasks_steps_from_their_arguments_and_results() -> None:
    spec = {'image': {'id': 'img'}, 'networks': [{'uuid': 'n'}], 'volume_ids': ['v1', 'v2']}
    assert [s for s, _c, _m in _told(_task(keys.GET_FLAVOR, states.SUCCESS, result={
        'name': 'tiny', 'vcpus': 1, 'memory_mb': 256, 'root_gb': 1}))] == ['16-17', '18-19']
    assert _told(_task(keys.GET_FLAVOR, states.SUCCESS, result={
        'name': 'tiny', 'vcpus': 1, 'memory_mb': 256, 'root_gb': 1}))[0][2] == (
        'conductor read instance vm and flavor tiny (1 vCPU, 256 MiB, 1 GiB)')
    assert _told(_task(keys.GET_IMAGE, states.RUNNING,
                       arguments={keys.REQUEST_SPEC: spec})) == [
        ('20', 'API call', 'asking the image API for image img')]
    assert [m for _s, _c, m in _told(_task(keys.ATTACH_VOLUMES, states.RUNNING,
                                           arguments={keys.REQUEST_SPEC: spec}))] == [
        'asking the block storage API for volume v1',
        'asking the block storage API for volume v2']
    assert _told(_task(keys.SPAWN, states.RUNNING, arguments={keys.HOST: 'h1'})) == [
        ('12', 'rpc.call', 'build request for instance i-1 sent to compute host h1 '
                           '(spawn_instance)')]
    assert _told(_task(keys.MARK_ACTIVE, states.SUCCESS, result={'host': 'h1'})) == [
        ('29', 'DB', 'instance i-1 is ACTIVE on h1')]


def test_states_and_flows_of_no_step_tell_nothing() -> None:
    assert _told(_task(keys.GET_IMAGE, states.REVERTED)) == []
    assert _told(_task(keys.INSTANCE_TO_ERROR_ON_REVERT, states.SUCCESS)) == []
    other = notes.FlowTaskChanged(flow=keys.DELETE_FLOW, task=keys.MARK_ACTIVE,
                                  state=states.SUCCESS, result={'host': 'h1'})
    assert _told(other) == []


def test_installed_it_logs_each_step_on_the_steps_logger(
        caplog: pytest.LogCaptureFixture) -> None:
    notifier = notes.Notifier()
    narrator.install(notifier)
    narrator.install(notifier)  # once is enough: the steps are not told twice
    try:
        with caplog.at_level(logging.INFO, logger=narrator.STEP_LOGGER):
            notifier.publish(notes.HostChosen(instance_id='i-1', host='h1',
                                              resources={'vcpus': 1}))
    finally:
        narrator.uninstall(notifier)
    (record,) = caplog.records
    assert record.getMessage() == ("step 11 [DB] scheduler chose h1 and recorded it for the "
                                   "instance (resources claimed: {'vcpus': 1})")
    assert (record.boot_step, record.boot_carrier, record.boot_instance) == ('11', 'DB', 'i-1')
    notifier.publish(notes.BootCast(instance_id='i-2'))
    assert len(caplog.records) == 1  # uninstalled: no more steps


def test_a_failing_listener_does_not_break_the_publisher(
        caplog: pytest.LogCaptureFixture) -> None:
    notifier = notes.Notifier()
    heard: list[notes.Notification] = []

    def broken(note: notes.Notification) -> None:
        raise RuntimeError('listener bug')

    notifier.subscribe(broken)
    notifier.subscribe(heard.append)
    notifier.publish(notes.BootCast(instance_id='i-3'))
    assert heard == [notes.BootCast(instance_id='i-3')]
    assert 'listener bug' in caplog.text
