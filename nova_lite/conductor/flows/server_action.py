"""The server action flows: one TaskFlow flow per action, built from its spec.

::

    server-action-<name> (linear)
      action-to-error-on-revert  (createImage: its revert also deletes the image)
      host-call            (only for actions the host does;
                            createImage: snapshot-upload instead;
                            createBackup: snapshot-upload, rotate-backups)
      record-state

The actions with a host call (stop, start, reboot, pause, unpause, suspend,
resume) are cast to a conductor, which saves the run as a logbook and posts
it as a job (:mod:`nova_lite.conductor.action_runner`); the ones without
(lock, unlock, reset-state) only change the record and run in the API at once.
"""

from __future__ import annotations

import dataclasses
import typing

from taskflow.patterns import linear_flow

from nova_lite.clients import protocols
from nova_lite.compute import instance_actions, instance_store, migrations
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute.action_specs import ACTIONS
from nova_lite.conductor import faults, token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.flows import shelve as shelve_flows
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.conductor.tasks import backup as backup_tasks
from nova_lite.conductor.tasks import interface_actions as interface_tasks
from nova_lite.conductor.tasks import rebuild as rebuild_tasks
from nova_lite.conductor.tasks import resize as resize_tasks
from nova_lite.conductor.tasks import snapshot as snapshot_tasks
from nova_lite.conductor.tasks import volume_actions as volume_tasks
from nova_lite.scheduler import rpcapi as scheduler_rpcapi

# The action whose flow has its own tasks in place of host-call.
SNAPSHOT = 'snapshot'
BACKUP = 'backup'
ATTACH_VOLUME = 'attach-volume'
DETACH_VOLUME = 'detach-volume'
ATTACH_INTERFACE = 'attach-interface'
DETACH_INTERFACE = 'detach-interface'
RESIZE = 'resize'
CONFIRM_RESIZE = 'confirm-resize'
REVERT_RESIZE = 'revert-resize'
REBUILD = 'rebuild'
RESIZE_ACTIONS = frozenset({RESIZE, CONFIRM_RESIZE, REVERT_RESIZE})
# The host actions whose flows are not the common three tasks.
OWN_TASK_ACTIONS = (frozenset({SNAPSHOT, BACKUP, ATTACH_VOLUME, DETACH_VOLUME,
                               ATTACH_INTERFACE, DETACH_INTERFACE, REBUILD})
                    | RESIZE_ACTIONS | shelve_flows.SHELVE_ACTIONS)


def action_flow_name(action: str) -> str:
    return f'{keys.SERVER_ACTION_FLOW_PREFIX}{action}'


@dataclasses.dataclass(frozen=True)
class ActionDependencies:
    """What the action tasks talk to; handed to the factory, never global."""

    instances: instance_store.InstanceStore
    events: instance_actions.InstanceActionStore
    compute: compute_rpcapi.ComputeAPI
    fault_injector: faults.FaultInjector = faults.NO_FAULTS
    # The snapshot action's image service (with the user's token) and the
    # conductors' token sealer (None: this runner takes no snapshots).
    images: protocols.ImageWriter | None = None
    # The volume attach/detach actions' block storage service (the user's token).
    volumes: protocols.VolumeClient | None = None
    sealer: token_seal.TokenSealer | None = None
    # The interface attach/detach actions' network service, as the conductor
    # itself (binding a port to a host is a service's act).
    networks: protocols.NetworkClient | None = None
    # Unshelve's scheduling, shelve-offload's claim release and the resize flows'
    # claims (None: none of them; a drawing).
    scheduler: scheduler_rpcapi.SchedulerAPI | None = None
    # The resize flows' migration records (None: a drawing).
    migrations: migrations.MigrationStore | None = None
    # The volume service with the conductor's own credentials: the volumes a domain
    # defined again (resize, rebuild) keeps (None: it keeps none).
    service_volumes: protocols.VolumeClient | None = None


def get_action_flow(action: str, deps: ActionDependencies) -> linear_flow.Flow:
    """Build the flow of ``action`` (a key of :data:`ACTIONS`; KeyError otherwise).

    Its store needs ``instance_id`` and ``action_request``, and ``host`` when
    the action has a host call. With a fault injector, each task is wrapped in
    one that injects its faults.
    """
    spec = ACTIONS[action]
    faulty = faults.wrapper_for(deps.fault_injector)
    flow = linear_flow.Flow(action_flow_name(action))
    if action in shelve_flows.SHELVE_ACTIONS:
        return shelve_flows.add_tasks(flow, spec, deps, faulty)
    if action in (SNAPSHOT, BACKUP):
        # Its first task also guards (and on revert deletes) the image. Without
        # an image service or sealer (a drawing) the flow is built all the same;
        # the runner refuses to save a snapshot it cannot run. createBackup
        # then rotates the server's older backups of its type.
        images = typing.cast(protocols.ImageWriter, deps.images)
        sealer = typing.cast(token_seal.TokenSealer, deps.sealer)
        flow.add(faulty(snapshot_tasks.SnapshotToErrorOnRevert(
                     spec, deps.instances, deps.events, images=images, sealer=sealer)),
                 faulty(snapshot_tasks.UploadSnapshot(images, deps.compute, sealer)))
        if action == BACKUP:
            flow.add(faulty(backup_tasks.RotateBackups(images, sealer)))
        return flow.add(faulty(action_tasks.RecordState(spec, deps.instances, deps.events)))
    if action in (ATTACH_INTERFACE, DETACH_INTERFACE):
        return _interface_flow(action, deps, flow, faulty)
    if action in RESIZE_ACTIONS:
        return _resize_flow(flow, action, deps, faulty)
    if action == REBUILD:
        sealer = typing.cast(token_seal.TokenSealer, deps.sealer)
        return flow.add(
            faulty(rebuild_tasks.RebuildToErrorOnRevert(spec, deps.instances, deps.events)),
            faulty(rebuild_tasks.RebuildOnHost(deps.instances, deps.compute, sealer,
                                               deps.service_volumes)),
            faulty(rebuild_tasks.RecordRebuilt(spec, deps.instances, deps.events)))
    flow.add(faulty(action_tasks.ActionToErrorOnRevert(spec, deps.instances, deps.events)))
    if action in (ATTACH_VOLUME, DETACH_VOLUME):
        volumes = typing.cast(protocols.VolumeClient, deps.volumes)
        sealer = typing.cast(token_seal.TokenSealer, deps.sealer)
        steps = ((volume_tasks.ReserveVolume, volume_tasks.AttachOnHost)
                 if action == ATTACH_VOLUME else
                 (volume_tasks.DetachOnHost, volume_tasks.ReleaseVolume))
        for step in steps:
            flow.add(faulty(step(volumes, deps.compute, sealer)))
    elif spec.host_method is not None:
        flow.add(faulty(action_tasks.HostCall(spec, deps.compute)))
    return flow.add(faulty(action_tasks.RecordState(spec, deps.instances, deps.events)))


def _interface_flow(action: str, deps: ActionDependencies, flow: linear_flow.Flow,
                    faulty: typing.Callable[[typing.Any], typing.Any]) -> linear_flow.Flow:
    """The attach-interface and detach-interface flows (their own tasks)."""
    spec = ACTIONS[action]
    networks = typing.cast(protocols.NetworkClient, deps.networks)
    if action == ATTACH_INTERFACE:
        flow.add(faulty(interface_tasks.InterfaceToErrorOnRevert(
            spec, deps.instances, deps.events, networks=networks)))
        steps: tuple[typing.Any, ...] = (interface_tasks.BindPort, interface_tasks.PlugOnHost,
                                         interface_tasks.RecordInterface)
    else:
        flow.add(faulty(action_tasks.ActionToErrorOnRevert(spec, deps.instances,
                                                           deps.events)))
        steps = (interface_tasks.UnplugOnHost, interface_tasks.ForgetInterface,
                 interface_tasks.ReleasePort)
    for step in steps:
        flow.add(faulty(step(networks, deps.compute, deps.instances)))
    return flow.add(faulty(action_tasks.RecordState(spec, deps.instances, deps.events)))
def _resize_flow(flow: linear_flow.Flow, action: str, deps: ActionDependencies,
                 faulty: typing.Callable[[typing.Any], typing.Any]) -> linear_flow.Flow:
    """The tasks of a resize, its confirm or its revert (conductor/tasks/resize.py)."""
    spec = ACTIONS[action]
    scheduler = typing.cast(scheduler_rpcapi.SchedulerAPI, deps.scheduler)
    store = typing.cast(migrations.MigrationStore, deps.migrations)
    host_task = {RESIZE: keys.RESIZE_ON_HOST, CONFIRM_RESIZE: keys.CONFIRM_ON_HOST,
                 REVERT_RESIZE: keys.REVERT_ON_HOST}[action]
    flow.add(faulty(resize_tasks.ResizeToErrorOnRevert(
        spec, deps.instances, deps.events, migration_store=store, host_task=host_task)))
    if action == RESIZE:
        steps = [resize_tasks.ResizeClaim(scheduler),
                 resize_tasks.ResizeOnHost(deps.instances, deps.compute,
                                           deps.service_volumes),
                 resize_tasks.RecordResized(spec, deps.instances, deps.events, store)]
    elif action == CONFIRM_RESIZE:
        steps = [resize_tasks.ReleaseOldFlavor(scheduler),
                 resize_tasks.ConfirmOnHost(deps.compute),
                 resize_tasks.RecordConfirmed(spec, deps.instances, deps.events, store)]
    else:
        steps = [resize_tasks.RevertOnHost(deps.instances, deps.compute,
                                           deps.service_volumes),
                 resize_tasks.ReleaseNewFlavor(scheduler),
                 resize_tasks.RecordReverted(spec, deps.instances, deps.events, store)]
    for step in steps:
        flow.add(faulty(step))
    return flow
