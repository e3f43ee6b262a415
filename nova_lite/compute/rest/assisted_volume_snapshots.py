"""``/os-assisted-volume-snapshots``: the block storage service asks for a snapshot of
a file-backed volume that only the host of its server can take (Nova's API shapes).

As in Nova, the request is checked (the body's fields; for delete the
``delete_info`` query parameter, JSON with ``volume_id``), and the volume must
be attached to a server (404 otherwise): the server is found through the
volume's attachments in the block storage service. The request is recorded
as the server's instance action ``volume_snapshot_create`` or
``volume_snapshot_delete``. What the host does NOT do here: Nova casts to the
server's host, which has libvirt take an external qcow2 snapshot of the
attached disk into ``new_file`` (a blockRebase/blockCommit on delete) and
reports the snapshot's status back to the block storage service. nova_lite's
file volume backend has no qcow2 chain the host could extend, so no overlay
file is made or removed and no status is reported back; the answer is the
one Nova gives once its cast is sent.
"""

from __future__ import annotations

import json
from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute.rest import base, proxy_policies

CREATE_ACTION = 'volume_snapshot_create'
DELETE_ACTION = 'volume_snapshot_delete'
_TEXT: dict[str, Any] = {'type': 'string', 'minLength': 1}

create_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'snapshot': {
        'type': 'object',
        'properties': {
            'volume_id': _TEXT,
            'create_info': {
                'type': 'object',
                'properties': {'snapshot_id': _TEXT,
                               'type': {'type': 'string', 'enum': ['qcow2']},
                               'new_file': _TEXT, 'id': _TEXT},
                'required': ['snapshot_id', 'type', 'new_file'],
                'additionalProperties': False,
            },
        },
        'required': ['volume_id', 'create_info'],
        'additionalProperties': False,
    }},
    'required': ['snapshot'],
    'additionalProperties': False,
}


def delete_volume_id(raw: str | None) -> str:
    """The volume id of ``delete_info`` (400 naming it when missing or not JSON)."""
    if not raw:
        raise exception.InvalidInput(field='delete_info', reason='is required')
    try:
        info = json.loads(raw)
    except ValueError:
        raise exception.InvalidInput(field='delete_info', reason='must be JSON') from None
    volume_id = info.get('volume_id') if isinstance(info, dict) else None
    if not isinstance(volume_id, str) or not volume_id:
        raise exception.InvalidInput(field='delete_info.volume_id', reason='is required')
    return volume_id


class AssistedVolumeSnapshotsHandler(base.ComputeController):
    def routes(self) -> list[routing.Route]:
        return [('POST', '/os-assisted-volume-snapshots', self.create),
                ('DELETE', '/os-assisted-volume-snapshots/{snapshot_id}', self.delete)]

    def create(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, proxy_policies.ASSISTED_SNAPSHOT_CREATE)
        snapshot = controller.read_body(req, create_request)['snapshot']
        volume_id = snapshot['volume_id']
        self._record(req.context, volume_id, CREATE_ACTION)
        return wsgi.json_response(200, {'snapshot': {
            'id': snapshot['create_info']['snapshot_id'], 'volumeId': volume_id}})

    def delete(self, req: wsgi.Request, snapshot_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, proxy_policies.ASSISTED_SNAPSHOT_DELETE)
        volume_id = delete_volume_id(req.GET.get('delete_info'))
        self._record(req.context, volume_id, DELETE_ACTION)
        return wsgi.json_response(204)

    def _server_of(self, ctx: nl_context.RequestContext, volume_id: str) -> str:
        """The server the volume is attached to (404 when it is on none)."""
        try:
            volume = self._rest.services.volume_proxy.get_volume(ctx, volume_id)
        except exception.NotFound:
            raise exception.NotFound(
                message=f'No volume Block Device Mapping with id {volume_id}.') from None
        for attachment in volume.get('attachments') or []:
            if attachment.get('server_id'):
                return str(attachment['server_id'])
        raise exception.NotFound(
            message=f'No volume Block Device Mapping with id {volume_id}.')

    def _record(self, ctx: nl_context.RequestContext, volume_id: str, action: str) -> None:
        server_id = self._server_of(ctx, volume_id)
        instance = self._rest.services.compute_api.get_server(ctx, server_id)
        events = self._rest.services.instance_actions
        events.start_action(instance_id=instance['id'], action=action,
                            request_id=str(ctx.request_id), user_id=ctx.user_id,
                            project_id=ctx.project_id)
        events.finish_action(instance['id'], str(ctx.request_id))
