"""The tasks of the snapshot action (createImage): guard the image, capture and upload.

The compute API made the image record (queued, with the caller's token)
before it cast the action; these tasks fill it or, when anything fails,
delete it, so no half image is left. The flow is
action-to-error-on-revert (:class:`SnapshotToErrorOnRevert`),
snapshot-upload, record-state. Both act with the user's token, sealed
in the run's store (:mod:`nova_lite.conductor.token_seal`).
"""

from __future__ import annotations

import logging
from typing import Any

from taskflow.types import failure as tf_failure

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.compute import instance_actions, instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute.action_specs import ActionSpec
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import actions as action_tasks
from nova_lite.conductor.tasks import base

LOG = logging.getLogger(__name__)


def user_context(action_request: dict[str, Any], sealed_token: str,
                 sealer: token_seal.TokenSealer) -> nl_context.RequestContext:
    """The action's user, with the token the run was saved with (unsealed in memory)."""
    ctx = nl_context.RequestContext(auth_token=sealer.unseal(sealed_token),
                                    user_id=action_request.get('user_id'),
                                    project_id=action_request.get('project_id'))
    nl_context.set_request_ids(ctx, {
        'request_id': action_request['request_id'],
        'global_request_id': action_request.get('global_request_id')})
    return ctx


def _image_id(action_request: dict[str, Any]) -> str:
    return str(action_request['args']['image_id'])


class SnapshotToErrorOnRevert(action_tasks.ActionToErrorOnRevert):
    """Marks the start of the snapshot and checks its image is there, queued.

    Reversion strategy: as every action's first task, it puts the instance
    back in the state it started from (the snapshot never changes the
    guest, so never to ERROR) and finishes the event as Error; then it
    deletes the image record (queued, saving or even active) with the user's
    token, so a failed snapshot leaves no image behind. An image already
    gone (its owner deleted it while it was saving) is fine. A delete that
    fails (the token expired) is logged: the image stays queued or killed,
    never active with partial data.
    """

    def __init__(self, spec: ActionSpec, instances: instance_store.InstanceStore,
                 events: instance_actions.InstanceActionStore, *,
                 images: protocols.ImageWriter, sealer: token_seal.TokenSealer,
                 **kwargs: Any) -> None:
        super().__init__(spec, instances, events, **kwargs)
        self._images = images
        self._sealer = sealer

    def execute(self, instance_id: str, action_request: dict[str, Any],  # type: ignore[override]
                sealed_token: str) -> None:
        ctx = user_context(action_request, sealed_token, self._sealer)
        image = self._images.get_image(ctx, _image_id(action_request))
        if image.get('status') not in (ImageStatus.QUEUED, ImageStatus.ACTIVE):
            raise exception.Conflict(reason=f'snapshot image {image["id"]} is '
                                     f'{image.get("status")}, not queued')
        super().execute(instance_id, action_request)

    def revert(self, instance_id: str, action_request: dict[str, Any],  # type: ignore[override]
               sealed_token: str, result: Any = None,
               flow_failures: dict[str, tf_failure.Failure] | None = None,
               **kwargs: Any) -> None:
        super().revert(instance_id, action_request, result=result,
                       flow_failures=flow_failures, **kwargs)

        def undo() -> None:
            ctx = user_context(action_request, sealed_token, self._sealer)
            try:
                self._images.delete_image(ctx, _image_id(action_request))
            except exception.NotFound:
                LOG.info('Snapshot image %s of %s is already gone',
                         _image_id(action_request), instance_id)

        self.best_effort_revert(instance_id, undo)


class UploadSnapshot(base.FlowTask):
    """Asks the instance's host to capture its disk and upload it as the image's data.

    Provides the power state (None: a snapshot leaves it as it was). After a
    takeover it is not redone when the image is already active.

    Reversion strategy: nothing of its own to undo: the host removes its
    capture file whatever happens, and the image (with whatever data reached
    it) is deleted by the first task's revert.
    """

    def __init__(self, images: protocols.ImageWriter, compute: compute_rpcapi.ComputeAPI,
                 sealer: token_seal.TokenSealer, **kwargs: Any) -> None:
        super().__init__(keys.SNAPSHOT_UPLOAD,
                         requires=[keys.INSTANCE_ID, keys.HOST, keys.ACTION_REQUEST,
                                   keys.SEALED_TOKEN],
                         provides=keys.POWER_STATE, **kwargs)
        self._images = images
        self._compute = compute
        self._sealer = sealer

    def execute(self, instance_id: str, host: str, action_request: dict[str, Any],
                sealed_token: str) -> None:
        ctx = user_context(action_request, sealed_token, self._sealer)
        image_id = _image_id(action_request)
        if self._images.get_image(ctx, image_id).get('status') == ImageStatus.ACTIVE:
            LOG.info('Snapshot image %s of %s is already uploaded', image_id, instance_id)
            return None
        self._compute.snapshot_instance(ctx, host, instance_id=instance_id, image_id=image_id,
                                        disk_format=action_request['args']['disk_format'])
        return None

    def revert(self, instance_id: str, result: Any = None, **kwargs: Any) -> None:
        if isinstance(result, tf_failure.Failure):
            LOG.warning('Snapshot of %s failed on its host: %s', instance_id,
                        result.exception_str)
