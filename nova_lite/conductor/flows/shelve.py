"""The shelve, shelve-offload and unshelve flows (built for
:func:`nova_lite.conductor.flows.server_action.get_action_flow`).

::

    server-action-shelve (linear)
      action-to-error-on-revert  (its revert also deletes the shelved image)
      shelve-power-off
      shelve-upload
      record-shelved
      offload-destroy            (these two only act with args.offload:
      offload-release             [DEFAULT] shelved_offload_time 0)

    server-action-shelve-offload (linear)
      action-to-error-on-revert, offload-destroy, offload-release

    server-action-unshelve (linear)
      action-to-error-on-revert
      unshelve-schedule          (offloaded: a host chosen and claimed again)
      unshelve-spawn             (offloaded: spawned from the shelved image;
                                  shelved: powered on)
      record-state
      delete-shelved-image

All three act with the caller's token, sealed in the run's store (the
shelved image is the user's).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from taskflow import task
from taskflow.patterns import linear_flow

from nova_lite.clients import protocols
from nova_lite.compute.action_specs import ActionSpec
from nova_lite.conductor import token_seal
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.conductor.tasks import shelve as shelve_tasks
from nova_lite.conductor.tasks import unshelve as unshelve_tasks

SHELVE = 'shelve'
SHELVE_OFFLOAD = 'shelve-offload'
UNSHELVE = 'unshelve'
SHELVE_ACTIONS = frozenset({SHELVE, SHELVE_OFFLOAD, UNSHELVE})


def add_tasks(flow: linear_flow.Flow, spec: ActionSpec, deps: Any,
              faulty: Callable[[task.Task], task.Task]) -> linear_flow.Flow:
    """Add the tasks of ``spec`` (one of :data:`SHELVE_ACTIONS`) to ``flow``.

    ``deps``: the action flows' ActionDependencies. Without an image service,
    sealer or scheduler (a drawing) the flow is built all the same; the runner
    refuses to save a run it cannot do.
    """
    images = typing.cast(protocols.ImageWriter, deps.images)
    reader = typing.cast(protocols.ImageClient, deps.images)
    sealer = typing.cast(token_seal.TokenSealer, deps.sealer)
    scheduler = typing.cast(Any, deps.scheduler)
    instances, events, compute = deps.instances, deps.events, deps.compute
    if spec.name == SHELVE:
        flow.add(faulty(shelve_tasks.ShelveToErrorOnRevert(spec, instances, events,
                                                           images=images, sealer=sealer)),
                 faulty(shelve_tasks.ShelvePowerOff(instances, compute)),
                 faulty(shelve_tasks.ShelveUpload(instances, images, compute, sealer)),
                 faulty(shelve_tasks.RecordShelved(spec, instances, events)))
    elif spec.name == SHELVE_OFFLOAD:
        flow.add(faulty(action_tasks.ActionToErrorOnRevert(spec, instances, events)))
    if spec.name in (SHELVE, SHELVE_OFFLOAD):
        return flow.add(
            faulty(shelve_tasks.OffloadDestroy(instances, compute, reader, sealer)),
            faulty(shelve_tasks.OffloadRelease(spec, instances, events, scheduler)))
    return flow.add(
        faulty(action_tasks.ActionToErrorOnRevert(spec, instances, events)),
        faulty(unshelve_tasks.UnshelveSchedule(instances, scheduler)),
        faulty(unshelve_tasks.UnshelveSpawn(instances, compute, reader, sealer,
                                            volumes=deps.volumes)),
        faulty(unshelve_tasks.RecordUnshelved(spec, instances, events)),
        faulty(unshelve_tasks.DeleteShelvedImage(instances, images, sealer)))
