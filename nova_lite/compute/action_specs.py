"""What each server action is: the states it starts from, shows and ends in, and the
host calls that do and undo it. The compute API checks requests against it; the
conductor builds each action's flow from it
(:mod:`nova_lite.conductor.flows.server_action`).
"""

from __future__ import annotations

import dataclasses

from nova_lite.common.states import TaskState, VmState


@dataclasses.dataclass(frozen=True)
class ActionSpec:
    """What one server action is: its states, its host call and that call's undo."""

    # The flow's name after the prefix (also the fault-injection subject).
    name: str
    # What os-instance-actions calls it (Nova's names: 'reboot' for both kinds).
    instance_action: str
    # The task state it shows while it runs (None: it runs in the API, at once).
    task_state: str | None
    # The vm states it may start from (empty: any).
    from_vm_states: tuple[str, ...]
    # The vm state it ends in (None: the one it started from, or reset-state's argument).
    end_vm_state: str | None
    # The compute RPC method that does it on the host (None: no host call).
    host_method: str | None = None
    # The compute RPC method that undoes it (None: nothing to undo on the host).
    undo_method: str | None = None


_ANY: tuple[str, ...] = ()

ACTIONS: dict[str, ActionSpec] = {spec.name: spec for spec in (
    ActionSpec('stop', 'stop', TaskState.POWERING_OFF, (VmState.ACTIVE,), VmState.STOPPED,
               host_method='power_off', undo_method='power_on'),
    ActionSpec('start', 'start', TaskState.POWERING_ON, (VmState.STOPPED,), VmState.ACTIVE,
               host_method='power_on', undo_method='power_off'),
    # Nova's rules: a soft reboot needs a running server, a hard one also
    # revives stopped and failed ones.
    ActionSpec('reboot-soft', 'reboot', TaskState.REBOOTING, (VmState.ACTIVE,),
               VmState.ACTIVE, host_method='reboot'),
    ActionSpec('reboot-hard', 'reboot', TaskState.REBOOTING_HARD,
               (VmState.ACTIVE, VmState.STOPPED, VmState.ERROR), VmState.ACTIVE,
               host_method='reboot'),
    ActionSpec('pause', 'pause', TaskState.PAUSING, (VmState.ACTIVE,), VmState.PAUSED,
               host_method='pause', undo_method='unpause'),
    ActionSpec('unpause', 'unpause', TaskState.UNPAUSING, (VmState.PAUSED,), VmState.ACTIVE,
               host_method='unpause', undo_method='pause'),
    ActionSpec('suspend', 'suspend', TaskState.SUSPENDING, (VmState.ACTIVE,),
               VmState.SUSPENDED, host_method='suspend', undo_method='resume'),
    ActionSpec('resume', 'resume', TaskState.RESUMING, (VmState.SUSPENDED,), VmState.ACTIVE,
               host_method='resume', undo_method='suspend'),
    # createImage: the host captures and uploads the disk (its own tasks, see
    # conductor/flows/server_action.py); the instance ends in the state it was in.
    ActionSpec('snapshot', 'createImage', TaskState.IMAGE_SNAPSHOT,
               (VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED), None,
               host_method='snapshot_instance'),
    # createBackup: a snapshot (image_type 'backup') then the rotation of the
    # server's older backups of that type (conductor/tasks/backup.py).
    ActionSpec('backup', 'createBackup', TaskState.IMAGE_BACKUP,
               (VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED), None,
               host_method='snapshot_instance'),
    # Volumes after boot (own tasks too); no task state, as in Nova. A shelved
    # server's too: with no host (offloaded) only the volume service's record
    # changes, and unshelve connects the volumes on the new host.
    ActionSpec('attach-volume', 'attach_volume', None,
               (VmState.ACTIVE, VmState.PAUSED, VmState.STOPPED, VmState.SHELVED,
                VmState.SHELVED_OFFLOADED), None,
               host_method='attach_volume'),
    ActionSpec('detach-volume', 'detach_volume', None,
               (VmState.ACTIVE, VmState.PAUSED, VmState.STOPPED, VmState.SHELVED,
                VmState.SHELVED_OFFLOADED), None,
               host_method='detach_volume'),
    # Interfaces after boot (own tasks too); no task state, as in Nova.
    ActionSpec('attach-interface', 'attach_interface', None,
               (VmState.ACTIVE, VmState.PAUSED, VmState.STOPPED), None,
               host_method='attach_interface'),
    ActionSpec('detach-interface', 'detach_interface', None,
               (VmState.ACTIVE, VmState.PAUSED, VmState.STOPPED), None,
               host_method='detach_interface'),
    # Shelve (its own tasks, conductor/flows/shelve.py): power off, upload the
    # disk as '<name>-shelved'; with [DEFAULT] shelved_offload_time 0 it goes on to
    # offload (domain destroyed, claim released, no host). Unshelve schedules again
    # when offloaded, spawns from that image and deletes it; else powers on.
    ActionSpec('shelve', 'shelve', TaskState.SHELVING,
               (VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED),
               VmState.SHELVED, host_method='power_off'),
    ActionSpec('shelve-offload', 'shelveOffload', TaskState.SHELVING_OFFLOADING,
               (VmState.SHELVED,), VmState.SHELVED_OFFLOADED,
               host_method='destroy_instance'),
    ActionSpec('unshelve', 'unshelve', TaskState.UNSHELVING,
               (VmState.SHELVED, VmState.SHELVED_OFFLOADED), VmState.ACTIVE,
               host_method='spawn_instance'),
    # Resize on one host (its own tasks): it waits in VERIFY_RESIZE for the
    # user's confirm (the new flavor stays) or revert (the old one is back);
    # both end in the state the power state shows (ACTIVE or SHUTOFF). Their
    # host tasks undo themselves (conductor/tasks/resize.py): no undo_method.
    ActionSpec('resize', 'resize', TaskState.RESIZE_PREP, (VmState.ACTIVE, VmState.STOPPED),
               VmState.RESIZED, host_method='resize_instance'),
    ActionSpec('confirm-resize', 'confirmResize', TaskState.RESIZE_CONFIRMING,
               (VmState.RESIZED,), None, host_method='confirm_resize'),
    ActionSpec('revert-resize', 'revertResize', TaskState.RESIZE_REVERTING,
               (VmState.RESIZED,), None, host_method='revert_resize'),
    # Rebuild (own tasks): the disk made again from the new image.
    ActionSpec('rebuild', 'rebuild', TaskState.REBUILDING,
               (VmState.ACTIVE, VmState.STOPPED, VmState.ERROR), None,
               host_method='rebuild_instance'),
    ActionSpec('lock', 'lock', None, _ANY, None),
    ActionSpec('unlock', 'unlock', None, _ANY, None),
    ActionSpec('reset-state', 'resetState', None, _ANY, None),
)}


