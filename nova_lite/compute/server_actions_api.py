"""Server actions: each one a flow of :mod:`nova_lite.conductor.flows.server_action`.

An action on the host (stop, start, reboot, pause, unpause, suspend, resume)
checks the instance's state here, marks it with the action's task state (so a
second action is refused with 409 while the first runs), records the instance
action and casts the flow to a conductor; the caller gets 202 and the flow
moves the instance to its end state (or back, when it fails). The actions
that only change the record (lock, unlock, reset-state) are run by a conductor
while the caller waits (an ``rpc.call``), so their end is the answer. A
locked server refuses every action but unlock to a non-admin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import VmState
from nova_lite.compute import (
    action_specs,
    block_devices,
    instance_actions,
    instance_store,
    shelve_api,
    snapshot_api,
    volume_attach_api,
    volume_backed_snapshot,
)
from nova_lite.compute import api as compute_api
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import rpcapi as conductor_rpcapi

LOG = logging.getLogger(__name__)

GetServer = Callable[[nl_context.RequestContext, str], dict[str, Any]]
# Makes an action's arguments for the marked instance; returns them and their undo.
Prepare = Callable[[dict[str, Any]], tuple[dict[str, Any], Callable[[], None]]]

REBOOT_TYPES = ('SOFT', 'HARD')
RESET_STATES = {'active': VmState.ACTIVE, 'error': VmState.ERROR}
_CONSOLE_STATES = (VmState.ACTIVE, VmState.STOPPED)


def _tail(text: str, length: Any) -> str:
    """The last ``length`` lines of ``text`` (all of it for None or -1), counted as nova
    counts them: the pieces between newlines, so a log's final newline ends an
    empty last piece (``length`` 3 of ``"a\nb\nc\n"`` is ``"b\nc\n"``)."""
    if length is None or int(length) < 0:
        return text
    count = int(length)
    if count == 0:
        return ''
    return '\n'.join(text.split('\n')[-count:])


def _host_failure(host: str, exc: Exception, reason: str) -> exception.NovaLiteError:
    """What the caller gets when the compute host failed a console read."""
    if isinstance(exc, exception.Conflict):
        return exc
    if isinstance(exc, exception.NotFound):  # the host has no domain for it
        return exception.Conflict(reason=f'the hypervisor on {host} has no domain: {reason}')
    return exception.VirtDriverError(host=host, reason=reason)


class ServerActionsAPI:
    """The server actions of the caller's servers, and their console output."""

    def __init__(self, *, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI, get_server: GetServer,
                 conductor: conductor_rpcapi.ConductorAPI,
                 events: instance_actions.InstanceActionStore,
                 snapshots: snapshot_api.SnapshotImages | None = None,
                 volume_attachments: volume_attach_api.VolumeAttachments | None = None,
                 shelved_offload_time: int = 0,
                 volume_backed: volume_backed_snapshot.VolumeBackedSnapshots | None = None
                 ) -> None:
        """``snapshots``: makes createImage's image records (None: no createImage);
        ``volume_attachments``: checks volume attach and detach (None: neither);
        ``volume_backed``: createImage of volume-backed servers (None: via the host)."""
        self._volume_backed = volume_backed
        self._snapshots = snapshots
        self._volume_attachments = volume_attachments
        self._shelved_offload_time = shelved_offload_time
        self._instances = instances
        self._compute = compute
        self._get_server = get_server
        self._conductor = conductor
        self._events = events

    # Checks ------------------------------------------------------------------------

    def _ready(self, ctx: nl_context.RequestContext, server_id: str,
               spec: action_specs.ActionSpec, label: str,
               needs_host: bool = True) -> dict[str, Any]:
        instance = self._get_server(ctx, server_id)
        compute_api.check_not_locked(ctx, instance)
        if instance['vm_state'] not in spec.from_vm_states:
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state=instance['vm_state'], action=label,
                                         needed=' or '.join(spec.from_vm_states))
        if instance['task_state'] is not None:
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state=f'busy ({instance["task_state"]})',
                                         action=label, needed='no task in progress')
        if needs_host and not instance['host']:
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state='without a host', action=label,
                                         needed='a host')
        return instance

    def _request(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                 spec: action_specs.ActionSpec, args: dict[str, Any]) -> dict[str, Any]:
        """The flow's ``action_request``, with the instance action recorded for it."""
        self._events.start_action(instance_id=instance['id'], action=spec.instance_action,
                                  request_id=ctx.request_id, user_id=ctx.user_id,
                                  project_id=ctx.project_id)
        return {'action': spec.name, 'request_id': ctx.request_id,
                'global_request_id': ctx.global_request_id,
                'prior_vm_state': instance['vm_state'], 'task_state': spec.task_state,
                'user_id': ctx.user_id, 'project_id': ctx.project_id, 'args': args}

    # Host actions: cast to a conductor -----------------------------------------------

    def run_host_action(self, ctx: nl_context.RequestContext, server_id: str, action: str,
                        label: str | None = None,
                        prepare: Prepare | None = None,
                        needs_host: bool = True) -> dict[str, Any]:
        """Start ``action`` (a host action of action_specs.ACTIONS); 202 semantics.

        ``prepare`` makes the action's arguments once the instance is marked
        (createImage's image record); when the action cannot be cast, the
        instance is put back and ``prepare``'s undo is run.
        """
        spec = action_specs.ACTIONS[action]
        instance = self._ready(ctx, server_id, spec, label or action, needs_host)
        instance_id = instance['id']
        updated = self._instances.update(instance_id, expected_vm_states=(instance['vm_state'],),
                                         task_state=spec.task_state)
        args: dict[str, Any] = {}
        undo: Callable[[], None] = lambda: None  # noqa: E731
        if prepare is not None:
            try:
                args, undo = prepare(instance)
            except Exception:
                self._instances.update(instance_id, task_state=None)
                raise
        action_request = self._request(ctx, instance, spec, args)
        try:
            self._conductor.run_server_action(ctx, instance_id, action, instance['host'],
                                              action_request)
        except Exception as exc:
            LOG.warning('Could not cast %s of %s to a conductor: %s', action, instance_id, exc)
            self._instances.update(instance_id, task_state=None)
            self._events.finish_action(instance_id, ctx.request_id, message='Error')
            undo()
            raise
        return updated

    def create_image(self, ctx: nl_context.RequestContext, server_id: str, name: str,
                     metadata: dict[str, str] | None = None) -> str:
        """Snapshot the server into a new image (createImage); its id (202 semantics).

        The image record is made here, queued, with the caller's token; the
        snapshot flow fills it or deletes it. 409 unless the server is ACTIVE,
        SHUTOFF, PAUSED or SUSPENDED with no task in progress (a second
        snapshot while one is saving included).
        """
        snapshots = self._snapshots
        if snapshots is None:
            raise exception.Conflict(reason='this compute API takes no snapshots')
        volume_backed = self._volume_backed
        if volume_backed is not None:
            spec = action_specs.ACTIONS['snapshot']
            instance = self._ready(ctx, server_id, spec, 'createImage')
            if volume_backed.applies(instance):
                self._events.start_action(
                    instance_id=instance['id'], action=spec.instance_action,
                    request_id=ctx.request_id, user_id=ctx.user_id,
                    project_id=ctx.project_id)
                try:
                    image_id = volume_backed.create(ctx, instance, name, dict(metadata or {}))
                except Exception:
                    self._events.finish_action(instance['id'], ctx.request_id,
                                               message='Error')
                    raise
                self._events.finish_action(instance['id'], ctx.request_id)
                return image_id

        made: list[str] = []

        def prepare(instance: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            image = snapshots.create_record(ctx, instance, name, dict(metadata or {}))
            made.append(str(image['id']))
            # The flow's last task puts the instance back in the state it started in.
            args = {'image_id': image['id'], 'disk_format': image['disk_format'],
                    'vm_state': instance['vm_state']}
            return args, lambda: snapshots.delete_record(ctx, image['id'])

        self.run_host_action(ctx, server_id, 'snapshot', 'createImage', prepare)
        return made[0]

    def create_backup(self, ctx: nl_context.RequestContext, server_id: str, name: str,
                      backup_type: str, rotation: int,
                      metadata: dict[str, str] | None = None) -> str:
        """Back the server up into a new image (createBackup); its id (202 semantics).

        createImage's path with image_type 'backup' and the backup_type
        property; after the upload the flow keeps the server's ``rotation``
        newest backups of that type and deletes the others (rotation 0: all,
        the new one included). The same states and 409s as createImage; 400
        for a volume-backed server (as Nova).
        """
        snapshots = self._snapshots
        if snapshots is None:
            raise exception.Conflict(reason='this compute API takes no backups')
        made: list[str] = []

        def prepare(instance: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            if block_devices.boot_volume_id(instance) is not None:
                # As Nova: a volume-backed server has no disk of its own to back up.
                raise exception.InvalidInput(
                    field='createBackup', reason='a volume-backed server cannot be backed up')
            image = snapshots.create_record(ctx, instance, name, dict(metadata or {}),
                                            image_type='backup',
                                            extra={'backup_type': backup_type})
            made.append(str(image['id']))
            args = {'image_id': image['id'], 'disk_format': image['disk_format'],
                    'vm_state': instance['vm_state'], 'backup_type': backup_type,
                    'rotation': rotation}
            return args, lambda: snapshots.delete_record(ctx, image['id'])

        self.run_host_action(ctx, server_id, 'backup', 'createBackup', prepare)
        return made[0]

    def _attachments(self) -> volume_attach_api.VolumeAttachments:
        if self._volume_attachments is None:
            raise exception.Conflict(reason='this compute API attaches no volumes')
        return self._volume_attachments

    def attach_volume(self, ctx: nl_context.RequestContext, server_id: str, volume_id: str,
                      device: str | None = None) -> dict[str, Any]:
        """Attach an available volume to a booted server (202 semantics); the
        flow's arguments ({volume_id, mountpoint})."""
        prepare = self._attachments().attach_preparer(ctx, volume_id, device)
        made: list[dict[str, Any]] = []

        def remembered(instance: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            args, undo = prepare(instance)
            made.append(args)
            return args, undo

        self.run_host_action(ctx, server_id, 'attach-volume', 'attaching a volume',
                             remembered, needs_host=False)  # offloaded: no host
        return made[0]

    def detach_volume(self, ctx: nl_context.RequestContext, server_id: str,
                      volume_id: str) -> None:
        """Detach a volume from a server (202 semantics; 404 if not attached).

        The attachment is checked before the server is marked, so a 404 changes
        nothing.
        """
        attachments = self._attachments()
        server = self._get_server(ctx, server_id)
        attachments.ensure_attached(ctx, server['id'], volume_id)
        if volume_id == block_devices.boot_volume_id(server):
            raise exception.Invalid(message='Cannot detach a root device volume')
        self.run_host_action(ctx, server_id, 'detach-volume', 'detaching a volume',
                             attachments.detach_preparer(ctx, volume_id),
                             needs_host=False)  # offloaded: no host

    def stop_server(self, ctx: nl_context.RequestContext, server_id: str) -> dict[str, Any]:
        """Power off an ACTIVE server; it becomes SHUTOFF."""
        return self.run_host_action(ctx, server_id, 'stop')

    def start_server(self, ctx: nl_context.RequestContext, server_id: str) -> dict[str, Any]:
        """Power on a SHUTOFF server; it becomes ACTIVE."""
        return self.run_host_action(ctx, server_id, 'start')

    def reboot_server(self, ctx: nl_context.RequestContext, server_id: str,
                      reboot_type: str = 'SOFT') -> dict[str, Any]:
        """Reboot (SOFT: a running server; HARD: also a stopped or failed one)."""
        kind = reboot_type.upper() if isinstance(reboot_type, str) else ''
        if kind not in REBOOT_TYPES:
            raise exception.InvalidInput(field='reboot.type', reason='must be SOFT or HARD')
        return self.run_host_action(ctx, server_id, f'reboot-{kind.lower()}',
                                    f'a {kind} reboot')

    def shelve_server(self, ctx: nl_context.RequestContext, server_id: str) -> None:
        """Shelve: the guest powered off and its disk kept as the '<name>-shelved' image
        (then offloaded at once when [DEFAULT] shelved_offload_time is 0)."""
        if self._snapshots is None:
            raise exception.Conflict(reason='this compute API takes no snapshots')
        self.run_host_action(ctx, server_id, 'shelve', 'shelve', shelve_api.shelve_preparer(
            ctx, self._snapshots, self._shelved_offload_time))

    def shelve_offload_server(self, ctx: nl_context.RequestContext, server_id: str) -> None:
        """Offload a SHELVED server: its domain destroyed, its host's claim released."""
        self.run_host_action(ctx, server_id, 'shelve-offload', 'shelveOffload')

    def unshelve_server(self, ctx: nl_context.RequestContext, server_id: str,
                        body: dict[str, Any] | None = None) -> None:
        """Unshelve a SHELVED (powered on) or SHELVED_OFFLOADED (scheduled and spawned
        again) server; ``body``: its availability_zone (2.77) or host (2.91)."""
        instance = self._get_server(ctx, server_id)
        args = shelve_api.unshelve_args(instance, body)
        self.run_host_action(ctx, server_id, 'unshelve', 'unshelve',
                             lambda _instance: (args, lambda: None), needs_host=False)

    # Record-only actions: run by a conductor, waited for ----------------------------------------

    def _run_here(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                  action: str, args: dict[str, Any]) -> dict[str, Any]:
        spec = action_specs.ACTIONS[action]
        request = self._request(ctx, instance, spec, args)
        self._conductor.run_record_action(ctx, instance['id'], action, request)
        return self._instances.get(instance['id'])

    def lock_server(self, ctx: nl_context.RequestContext, server_id: str,
                    reason: str | None = None) -> dict[str, Any]:
        """Lock the server: non-admins can then do nothing to it but unlock it."""
        instance = self._get_server(ctx, server_id)
        return self._run_here(ctx, instance, 'lock', {
            'locked_by': 'admin' if ctx.is_admin else 'owner', 'locked_reason': reason})

    def unlock_server(self, ctx: nl_context.RequestContext,
                      server_id: str) -> dict[str, Any]:
        instance = self._get_server(ctx, server_id)
        if instance.get('locked_by') == 'admin' and not ctx.is_admin:
            raise exception.Forbidden(message='The server was locked by an admin.')
        return self._run_here(ctx, instance, 'unlock',
                              {'locked_by': None, 'locked_reason': None})

    def reset_state(self, ctx: nl_context.RequestContext, server_id: str,
                    state: str) -> dict[str, Any]:
        """Admin: set the vm state (active or error) and clear the task state."""
        if state not in RESET_STATES:
            raise exception.InvalidInput(field='os-resetState.state',
                                         reason='must be active or error')
        instance = self._get_server(ctx, server_id)
        return self._run_here(ctx, instance, 'reset-state',
                              {'vm_state': RESET_STATES[state]})

    # Console ------------------------------------------------------------------------

    def get_console_output(self, ctx: nl_context.RequestContext, server_id: str,
                           length: Any = None) -> str:
        """The tail (``length`` lines; all for None or -1) of the server's console log."""
        if length is not None:
            try:
                number = int(length)
            except (TypeError, ValueError):
                raise exception.InvalidInput(field='length',
                                             reason='must be an integer') from None
            if isinstance(length, bool) or number < -1:
                raise exception.InvalidInput(field='length', reason='must be -1 or more')
        instance = self._get_server(ctx, server_id)
        if instance['vm_state'] not in _CONSOLE_STATES or not instance['host']:
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state=instance['vm_state'],
                                         action='console output',
                                         needed=' or '.join(_CONSOLE_STATES))
        try:
            output = self._compute.get_console_output(ctx, instance['host'],
                                                      instance_id=instance['id'])
        except Exception as exc:
            reason = getattr(exc, 'message', None) or str(exc) or type(exc).__name__
            raise _host_failure(instance['host'], exc, reason) from exc
        return _tail(output, length)
