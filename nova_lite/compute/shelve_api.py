"""Shelve, shelveOffload and unshelve as the compute API starts them (202 semantics).

Shelve makes the '<server name>-shelved' image record (queued, with the
caller's token, as createImage does) and casts the shelve flow
(:mod:`nova_lite.conductor.flows.shelve`), telling it whether to offload at
once ([DEFAULT] shelved_offload_time 0). Unshelve takes, for an offloaded
server only, the zone (2.77) or host (2.91) it should land on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import VmState
from nova_lite.compute import snapshot_api

LOG = logging.getLogger(__name__)

Undo = Callable[[], None]
Prepare = Callable[[dict[str, Any]], tuple[dict[str, Any], Undo]]


def shelve_preparer(ctx: nl_context.RequestContext, snapshots: snapshot_api.SnapshotImages,
                    offload_time: int) -> Prepare:
    """Makes the shelved image record for the marked instance; the flow's args."""

    def prepare(instance: dict[str, Any]) -> tuple[dict[str, Any], Undo]:
        image = snapshots.create_record(ctx, instance, f'{instance["name"]}-shelved', {})
        args = {'image_id': image['id'], 'disk_format': image['disk_format'],
                'offload': offload_time == 0}
        return args, lambda: snapshots.delete_record(ctx, image['id'])

    return prepare


def unshelve_args(instance: dict[str, Any], body: dict[str, Any] | None) -> dict[str, Any]:
    """The unshelve flow's args from the request body (already checked by version).

    409 when a zone or host is asked for a server that is only SHELVED (its
    guest is still on its host), as Nova answers.
    """
    args: dict[str, Any] = {}
    for key in ('availability_zone', 'host'):
        if body and key in body:
            args[key] = body[key]
    if args and instance['vm_state'] != VmState.SHELVED_OFFLOADED:
        raise exception.InvalidState(
            resource='Instance', id=instance['id'], state=instance['vm_state'],
            action=f'unshelve with {" and ".join(sorted(args))}',
            needed=VmState.SHELVED_OFFLOADED)
    return args


def delete_shelved_image(ctx: nl_context.RequestContext, images: protocols.ImageWriter,
                         instance: dict[str, Any]) -> None:
    """A shelved server's delete also deletes its shelved image, as Nova's does (one
    already gone, or that cannot be deleted, is logged: the delete goes on)."""
    if instance['vm_state'] not in (VmState.SHELVED, VmState.SHELVED_OFFLOADED):
        return
    image_id = (instance.get('build_request') or {}).get('shelved_image_id')
    if not image_id:
        return
    try:
        images.delete_image(ctx, str(image_id))
    except exception.NotFound:
        LOG.info('The shelved image %s of %s is already gone', image_id, instance['id'])
    except Exception:
        LOG.exception('Could not delete the shelved image %s of %s', image_id,
                      instance['id'])
