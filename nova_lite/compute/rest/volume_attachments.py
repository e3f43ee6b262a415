"""``POST /servers/{id}/os-volume_attachments`` and ``DELETE .../{volume_id}``: attach
a volume to a booted server and detach it (each an action flow); GET is in servers."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import action_policies, base
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import Version, api_version

_ATTACH_BODY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'volumeAttachment': {
            'type': 'object',
            'properties': {
                'volumeId': {'type': 'string', 'minLength': 1, 'maxLength': 255},
                'device': {'type': ['string', 'null'], 'maxLength': 255},
                'tag': {'type': 'string', 'minLength': 1, 'maxLength': 60,
                        'pattern': '^[^,/]*$'},
                'delete_on_termination': {'type': 'boolean'},
            },
            'required': ['volumeId'],
            'additionalProperties': False,
        },
    },
    'required': ['volumeAttachment'],
    'additionalProperties': False,
}


_UPDATE_BODY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'volumeAttachment': {
            'type': 'object',
            'properties': {
                'volumeId': {'type': 'string', 'minLength': 1, 'maxLength': 255},
                'delete_on_termination': {'type': 'boolean'},
                'device': {'type': ['string', 'null']}, 'tag': {'type': 'string'},
                'id': {'type': 'string'}, 'serverId': {'type': 'string'},
            },
            'required': ['volumeId'],
            'additionalProperties': False,
        },
    },
    'required': ['volumeAttachment'],
    'additionalProperties': False,
}


def _refuse_newer(version: Version, args: dict[str, Any], field: str,
                  since: Version) -> None:
    if field in args and version < since:
        raise exception.InvalidInput(field=f'volumeAttachment.{field}',
                                     reason=f'needs microversion {since[0]}.{since[1]}')


class VolumeAttachmentsHandler(base.ComputeController):
    def routes(self) -> list[routing.Route]:
        return [('POST', '/servers/{server_id}/os-volume_attachments', self.attach),
                ('PUT', '/servers/{server_id}/os-volume_attachments/{volume_id}',
                 self.update),
                ('DELETE', '/servers/{server_id}/os-volume_attachments/{volume_id}',
                 self.detach)]

    def _instance(self, req: wsgi.Request, server_id: str, rule: str) -> dict[str, Any]:
        instance = self._rest.services.compute_api.get_server(req.context, server_id)
        self.authorizer.authorize(req.context, rule, project_id=instance['project_id'])
        return instance

    def attach(self, req: wsgi.Request, server_id: str) -> webob.Response:
        args = controller.read_body(req, _ATTACH_BODY)['volumeAttachment']
        version = api_version(req)
        _refuse_newer(version, args, 'tag', changes.VOLUME_ATTACH_TAG)
        _refuse_newer(version, args, 'delete_on_termination',
                      changes.ATTACH_DELETE_ON_TERM)
        instance = self._instance(req, server_id, action_policies.ATTACH_VOLUME)
        started = self._rest.actions.attach_volume(req.context, instance['id'],
                                                   args['volumeId'], args.get('device'))
        if version >= changes.VOLUME_ATTACH_ASYNC:
            return wsgi.json_response(202)
        body: dict[str, Any] = {'id': args['volumeId'], 'serverId': instance['id'],
                                'volumeId': args['volumeId'],
                                'device': started['mountpoint']}
        if version >= changes.VOLUME_ATTACH_TAG_SHOWN:
            body['tag'] = args.get('tag')
        if version >= changes.ATTACH_DELETE_ON_TERM:
            body['delete_on_termination'] = bool(args.get('delete_on_termination', False))
        return wsgi.json_response(200, {'volumeAttachment': body})

    def detach(self, req: wsgi.Request, server_id: str, volume_id: str) -> webob.Response:
        instance = self._instance(req, server_id, action_policies.DETACH_VOLUME)
        self._rest.actions.detach_volume(req.context, instance['id'], volume_id)
        return wsgi.json_response(202)

    def update(self, req: wsgi.Request, server_id: str, volume_id: str) -> webob.Response:
        """PUT: Nova's volume swap (admin) and, from 2.85, a change of
        delete_on_termination. The attachment must exist (404); nova_lite swaps
        no volumes and changes no attachment, which is a 400 that says so."""
        args = controller.read_body(req, _UPDATE_BODY)['volumeAttachment']
        rule = (action_policies.ATTACH_VOLUME if args['volumeId'] == volume_id
                else action_policies.SWAP_VOLUME)
        instance = self._instance(req, server_id, rule)
        attached = {attachment['volume_id'] for attachment in
                    self._rest.services.volumes.list_attachments(req.context,
                                                                 instance_id=instance['id'])}
        if volume_id not in attached:
            raise exception.NotFound(message=f'Volume {volume_id} is not attached to server '
                                             f'{server_id}.')
        raise exception.InvalidInput(
            field='volumeAttachment.volumeId',
            reason='swapping a volume or changing an attachment is not supported by nova_lite')
