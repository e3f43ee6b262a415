"""``/v3/{project_id}/attachments``: how a compute side reserves and connects volumes.

The shapes follow cinder's attachments API: POST reserves a volume for an
instance, PUT with a connector connects it to a host and answers its
connection info, DELETE detaches it, GET lists them (``instance_id`` filter).
The whole API needs microversion 3.27; from 3.44 ``POST .../action`` with
``os-complete`` confirms a connected attachment (204).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, wsgi
from nova_lite.api.validation import UUID_PATTERN
from nova_lite.common import exception
from nova_lite.volume.rest import policies, scope

_UUID: dict[str, Any] = {'type': 'string', 'pattern': UUID_PATTERN}

CREATE_SCHEMA: dict[str, Any] = {
    'type': 'object',
    'properties': {'attachment': {
        'type': 'object',
        'properties': {'volume_uuid': _UUID, 'instance_uuid': _UUID,
                       'connector': {'type': ['object', 'null']},
                       'mode': {'type': 'string', 'enum': ['rw']}},
        'required': ['volume_uuid', 'instance_uuid'],
        'additionalProperties': False,
    }},
    'required': ['attachment'],
    'additionalProperties': False,
}

UPDATE_SCHEMA: dict[str, Any] = {
    'type': 'object',
    'properties': {'attachment': {
        'type': 'object',
        'properties': {'connector': {
            'type': 'object',
            'properties': {'host': {'type': 'string', 'minLength': 1, 'maxLength': 255},
                           'mountpoint': {'type': 'string', 'minLength': 1,
                                          'maxLength': 255}},
            'required': ['mountpoint'],
        }},
        'required': ['connector'],
        'additionalProperties': False,
    }},
    'required': ['attachment'],
    'additionalProperties': False,
}

COMPLETE_SCHEMA: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-complete': {'type': ['object', 'null']}},
    'required': ['os-complete'],
    'additionalProperties': False,
}


def _view(attachment: dict[str, Any],
          connection_info: dict[str, Any] | None = None) -> dict[str, Any]:
    info = connection_info if connection_info is not None else attachment.get(
        'connection_info')
    return {'id': attachment['id'], 'volume_id': attachment['volume_id'],
            'instance': attachment['instance_id'],
            'status': attachment['attach_status'],
            'attach_mode': 'rw', 'attached_host': attachment.get('attached_host'),
            'mountpoint': attachment.get('mountpoint'), 'connection_info': info}


class AttachmentsController(scope.VolumeController):
    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.ATTACHMENT_CREATE)
        body = controller.read_body(req, CREATE_SCHEMA)
        request = body['attachment']
        attachment = self._services.volumes.reserve_volume(
            ctx, request['volume_uuid'], request['instance_uuid'])
        return wsgi.json_response(200, {'attachment': _view(attachment)})

    def update(self, req: wsgi.Request, project_id: str,
               attachment_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.ATTACHMENT_UPDATE)
        body = controller.read_body(req, UPDATE_SCHEMA)
        connector = body['attachment']['connector']
        info: dict[str, Any] | None = None
        if connector.get('host') is None:  # attached with no host (a shelved server)
            self._services.volumes.mark_attached(ctx, attachment_id, connector['mountpoint'])
        else:
            info = self._services.volumes.attach_volume(ctx, attachment_id, connector['host'],
                                                        connector['mountpoint'])
        [attachment] = [a for a in self._services.volumes.list_attachments(ctx)
                        if a['id'] == attachment_id]
        return wsgi.json_response(200, {'attachment': _view(attachment, info)})

    def delete(self, req: wsgi.Request, project_id: str,
               attachment_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.ATTACHMENT_DELETE)
        self._services.volumes.detach_volume(ctx, attachment_id)
        return wsgi.json_response(200, {'attachments': []})

    def complete(self, req: wsgi.Request, project_id: str,
                 attachment_id: str) -> webob.Response:
        """3.44's os-complete: the attachment's connection is in use. nova_lite marks a
        volume attached when its connector is set (PUT), so this only checks that it is:
        a reserved attachment is a 400."""
        ctx = self._context(req, project_id, policies.ATTACHMENT_UPDATE)
        controller.read_body(req, COMPLETE_SCHEMA)
        found = [a for a in self._services.volumes.list_attachments(ctx)
                 if a['id'] == attachment_id]
        if not found:
            raise exception.NotFound(resource='Attachment', id=attachment_id)
        if found[0]['attach_status'] != 'attached':
            raise exception.InvalidInput(
                field='os-complete',
                reason=f'attachment {attachment_id} is {found[0]["attach_status"]}; '
                       'set its connector (PUT) first')
        return wsgi.json_response(204)

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.ATTACHMENT_GET_ALL)
        instance_id = req.GET.get('instance_id')
        volume_id = req.GET.get('volume_id')
        attachments = self._services.volumes.list_attachments(
            ctx, instance_id=instance_id or None, volume_id=volume_id or None)
        return wsgi.json_response(200, {'attachments': [_view(a) for a in attachments]})
