"""The 29 boot steps of BOOT-SEQUENCE.md, told from the services' notifications.

The services publish what happens (:mod:`nova_lite.common.notifications`):
the compute API accepted a request, a service checked a token, the scheduler
chose a host, the hypervisor started a domain; the conductor's listener
publishes each boot task's start (with its arguments) and success (with its
result). The narrator hears them and tells each as a boot step: a log record
on the ``nova_lite.steps`` logger with the step number and what carried it
(REST, rpc.call, rpc.cast, DB, libvirt, ...), so that daemons write the steps
to their logs and ``nova-lite demo`` prints them live. The step numbers and
the texts live here only.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from taskflow import states as tf_states

from nova_lite.common import notifications as notes
from nova_lite.conductor.flows import keys

STEP_LOGGER = 'nova_lite.steps'
_LOG = logging.getLogger(STEP_LOGGER)


class Carrier(enum.StrEnum):
    REST = 'REST'
    API = 'API call'
    RPC_CALL = 'rpc.call'
    RPC_CAST = 'rpc.cast'
    DB = 'DB'
    LIBVIRT = 'libvirt'
    LOCAL = 'in-process'


@dataclasses.dataclass(frozen=True)
class Step:
    """One boot step told: its number (e.g. "8" or "16-17"), its carrier, what happened."""

    step: str
    carrier: Carrier
    message: str


def tell(step: Step, instance_id: str | None = None) -> None:
    """Log ``step`` on the steps logger (what the demo and the daemons' logs show)."""
    _LOG.info('step %s [%s] %s', step.step, step.carrier.value, step.message,
              extra={'boot_step': step.step, 'boot_carrier': step.carrier.value,
                     'boot_instance': instance_id, 'boot_message': step.message})


# The services' own notifications --------------------------------------------------

# The step in which each service checks the user's token on a boot.
TOKEN_CHECK_STEPS = {'image': '21', 'network': '24', 'block storage': '27'}


def _roles(roles: tuple[str, ...]) -> str:
    return ','.join(roles)


def _server_create_received(note: notes.ServerCreateReceived) -> Iterator[Step]:
    if note.over_http:
        yield Step('3', Carrier.REST, f'{note.request} arrived at the compute API')
    else:
        yield Step('3', Carrier.API, f'compute API received {note.request}')


def _token_checked(note: notes.TokenChecked) -> Iterator[Step]:
    carrier = Carrier.REST if note.over_http else Carrier.API
    if note.service == 'compute':
        who = 'auth_token middleware' if note.over_http else 'compute API'
        yield Step('4-5', carrier, f'{who} had identity validate the token: user '
                                   f'{note.user_name}, project {note.project_name}, roles '
                                   f'{_roles(note.roles)}')
    elif note.service in TOKEN_CHECK_STEPS:
        yield Step(TOKEN_CHECK_STEPS[note.service], carrier,
                   f'{note.service} API checked the token with identity: user '
                   f'{note.user_name}, project {note.project_name}')


def _server_create_validated(note: notes.ServerCreateValidated) -> Iterator[Step]:
    yield Step('6', Carrier.API, f'request validated: flavor {note.flavor_name}, image '
                                 f'{note.image_id}, {note.networks} network(s), '
                                 f'{note.volumes} volume(s)')


def _instance_recorded(note: notes.InstanceRecorded) -> Iterator[Step]:
    yield Step('7', Carrier.DB, f'instance {note.instance_id} recorded: vm_state '
                                f'{note.vm_state}, task_state {note.task_state}')


def _boot_cast(note: notes.BootCast) -> Iterator[Step]:
    yield Step('7+', Carrier.RPC_CAST,
               f'compute API casts the boot of {note.instance_id} to a conductor')


def _destinations_requested(note: notes.DestinationsRequested) -> Iterator[Step]:
    yield Step('9', Carrier.RPC_CALL, 'scheduler received select_destinations')


def _hosts_considered(note: notes.HostsConsidered) -> Iterator[Step]:
    yield Step('10', Carrier.DB, f'scheduler read {note.hosts} compute node(s); running '
                                 f'filters {list(note.filters)} and weighers')


def _host_chosen(note: notes.HostChosen) -> Iterator[Step]:
    yield Step('11', Carrier.DB, f'scheduler chose {note.host} and recorded it for the '
                                 f'instance (resources claimed: {dict(note.resources)})')


def _spawn_received(note: notes.SpawnReceived) -> Iterator[Step]:
    yield Step('13', Carrier.RPC_CALL,
               f'compute host {note.host} received the build request for instance '
               f'{note.instance_id} ({note.instance_name})')


def _image_cached(note: notes.ImageCached) -> Iterator[Step]:
    if note.downloaded:
        yield Step('22', Carrier.API,
                   f'downloaded image {note.image_id} ({note.size} bytes) from the image '
                   f'API into the image cache (cache miss): {note.path}')
    else:
        yield Step('22', Carrier.API, f'image {note.image_id} found in the image cache '
                                      f'(cache hit, no download): {note.path}')


def _guest_definition_written(note: notes.GuestDefinitionWritten) -> Iterator[Step]:
    yield Step('29', Carrier.LIBVIRT,
               f'wrote libvirt.xml ({note.vcpus} vCPU, {note.memory_kib} KiB, '
               f'{note.disks} disk(s), {note.nics} NIC(s)): {note.path}')


def _domain_started(note: notes.DomainStarted) -> Iterator[Step]:
    state = f' (power state {note.power_state})' if note.power_state else ''
    yield Step('29', Carrier.LIBVIRT,
               f'defined and started domain {note.domain_name} on {note.hypervisor}{state}')


# The boot flow's tasks, from the conductor's listener ----------------------------

def _authenticated(note: notes.FlowTaskChanged) -> Iterator[Step]:
    ctx = note.result or {}
    yield Step('4-5', Carrier.API,
               f'boot flow: identity validated the token: user {ctx.get("user_name")}, '
               f'project {ctx.get("project_name")}, roles {_roles(ctx.get("roles", ()))}')


def _scheduling(note: notes.FlowTaskChanged) -> Iterator[Step]:
    yield Step('8', Carrier.RPC_CALL,
               f'asking the scheduler for a host for instance {note.instance_id}')


def _reading_flavor(note: notes.FlowTaskChanged) -> Iterator[Step]:
    yield Step('14-15', Carrier.LOCAL, 'boot flow asks for the flavor (the conductor '
                                       'drives the boot, so no rpc hop is needed)')


def _flavor_read(note: notes.FlowTaskChanged) -> Iterator[Step]:
    flavor = note.result or {}
    name = note.instance_name or note.instance_id
    yield Step('16-17', Carrier.DB,
               f'conductor read instance {name} and flavor {flavor.get("name")} '
               f'({flavor.get("vcpus")} vCPU, {flavor.get("memory_mb")} MiB, '
               f'{flavor.get("root_gb")} GiB)')
    yield Step('18-19', Carrier.LOCAL, 'flavor handed to the flow; it reaches the compute '
                                       'host in the spawn rpc.call')


def _request_spec(note: notes.FlowTaskChanged) -> Mapping[str, Any]:
    spec = note.arguments.get(keys.REQUEST_SPEC)
    return spec if isinstance(spec, Mapping) else {}


def _asking_image(note: notes.FlowTaskChanged) -> Iterator[Step]:
    image_id = _request_spec(note).get('image', {}).get('id')
    yield Step('20', Carrier.API, f'asking the image API for image {image_id}')


def _image_found(note: notes.FlowTaskChanged) -> Iterator[Step]:
    image = note.result or {}
    yield Step('22', Carrier.API, f'image {image.get("name")} is {image.get("status")}, '
                                  f'{image.get("size")} bytes at {image.get("location")}')


def _asking_ports(note: notes.FlowTaskChanged) -> Iterator[Step]:
    yield Step('23', Carrier.API, f'asking the network API for '
                                  f'{len(_request_spec(note).get("networks", []))} port(s)')


def _ports_bound(note: notes.FlowTaskChanged) -> Iterator[Step]:
    host = note.arguments.get(keys.HOST)
    for vif in note.result or []:
        ips = ','.join(ip['ip_address'] for ip in vif.get('fixed_ips', []))
        yield Step('25', Carrier.API, f'port {vif.get("port_id")} MAC '
                                      f'{vif.get("mac_address")} IP {ips} on '
                                      f'{vif.get("network_name")}, bound to {host}')


def _asking_volumes(note: notes.FlowTaskChanged) -> Iterator[Step]:
    for volume_id in _request_spec(note).get('volume_ids', []):
        yield Step('26', Carrier.API, f'asking the block storage API for volume {volume_id}')


def _volumes_attached(note: notes.FlowTaskChanged) -> Iterator[Step]:
    for device in note.result or []:
        info = device.get('connection_info') or {}
        yield Step('28', Carrier.API,
                   f'volume {device.get("volume_id")} attached as {device.get("mountpoint")}: '
                   f'{info.get("driver_volume_type")} '
                   f'{(info.get("data") or {}).get("device_path", "")}')


def _spawning(note: notes.FlowTaskChanged) -> Iterator[Step]:
    yield Step('12', Carrier.RPC_CALL,
               f'build request for instance {note.instance_id} sent to compute host '
               f'{note.arguments.get(keys.HOST)} (spawn_instance)')


def _active(note: notes.FlowTaskChanged) -> Iterator[Step]:
    result = note.result or {}
    yield Step('29', Carrier.DB, f'instance {note.instance_id} is ACTIVE on '
                                 f'{result.get("host")}')


_BOOT_TASK_STEPS: dict[tuple[str, str],
                       Callable[[notes.FlowTaskChanged], Iterator[Step]]] = {
    (keys.AUTHENTICATE, tf_states.SUCCESS): _authenticated,
    (keys.SCHEDULE, tf_states.RUNNING): _scheduling,
    (keys.GET_FLAVOR, tf_states.RUNNING): _reading_flavor,
    (keys.GET_FLAVOR, tf_states.SUCCESS): _flavor_read,
    (keys.GET_IMAGE, tf_states.RUNNING): _asking_image,
    (keys.GET_IMAGE, tf_states.SUCCESS): _image_found,
    (keys.ALLOCATE_NETWORK, tf_states.RUNNING): _asking_ports,
    (keys.ALLOCATE_NETWORK, tf_states.SUCCESS): _ports_bound,
    (keys.ATTACH_VOLUMES, tf_states.RUNNING): _asking_volumes,
    (keys.ATTACH_VOLUMES, tf_states.SUCCESS): _volumes_attached,
    (keys.SPAWN, tf_states.RUNNING): _spawning,
    (keys.MARK_ACTIVE, tf_states.SUCCESS): _active,
}


def _flow_task_changed(note: notes.FlowTaskChanged) -> Iterator[Step]:
    if note.flow != keys.BOOT_FLOW:
        return iter(())
    told = _BOOT_TASK_STEPS.get((note.task, note.state))
    return told(note) if told is not None else iter(())


_STEPS_OF: dict[type[notes.Notification], Callable[[Any], Iterator[Step]]] = {
    notes.ServerCreateReceived: _server_create_received,
    notes.TokenChecked: _token_checked,
    notes.ServerCreateValidated: _server_create_validated,
    notes.InstanceRecorded: _instance_recorded,
    notes.BootCast: _boot_cast,
    notes.DestinationsRequested: _destinations_requested,
    notes.HostsConsidered: _hosts_considered,
    notes.HostChosen: _host_chosen,
    notes.SpawnReceived: _spawn_received,
    notes.ImageCached: _image_cached,
    notes.GuestDefinitionWritten: _guest_definition_written,
    notes.DomainStarted: _domain_started,
    notes.FlowTaskChanged: _flow_task_changed,
}


def steps_of(note: notes.Notification) -> list[Step]:
    """The boot steps ``note`` tells (none for a notification of no step)."""
    told = _STEPS_OF.get(type(note))
    return list(told(note)) if told is not None else []


def narrate(note: notes.Notification) -> None:
    """A notification listener: tells the steps of ``note`` on the steps logger."""
    for step in steps_of(note):
        tell(step, note.instance_id)


def install(notifier: notes.Notifier = notes.NOTIFIER) -> None:
    """Tell the boot steps of every notification ``notifier`` publishes (idempotent)."""
    notifier.subscribe(narrate)


def uninstall(notifier: notes.Notifier = notes.NOTIFIER) -> None:
    notifier.unsubscribe(narrate)
