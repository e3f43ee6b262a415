"""A volume's admin actions: ``os-reset_status`` and ``os-force_delete``.

Both are the admin's by default (cinder's ``volume_admin_actions`` rules) and
answer 202 with no body. ``os-reset_status`` takes ``status``,
``attach_status`` and/or ``migration_status`` (each checked against cinder's
values, 400 naming the field); ``os-force_delete`` deletes the volume in any
status (see :mod:`nova_lite.volume.status_admin`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import policy, validation, wsgi
from nova_lite.volume.rest import policies, scope

_NAME = {'type': 'string', 'maxLength': 64}
RESET_STATUS: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-reset_status': {
        'type': 'object',
        'properties': {'status': _NAME, 'attach_status': _NAME, 'migration_status': _NAME},
        'additionalProperties': False,
    }},
    'required': ['os-reset_status'],
}
FORCE_DELETE: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-force_delete': {'type': ['object', 'null']}},
    'required': ['os-force_delete'],
}

Action = Callable[[wsgi.Request, str, str, dict[str, Any]], webob.Response]


class VolumeAdminActions(scope.VolumeController):
    """The handlers of the admin's volume actions."""

    def reset_status(self, req: wsgi.Request, project_id: str, volume_id: str,
                     body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.RESET_STATUS)
        validation.validate(RESET_STATUS, body)
        spec = body['os-reset_status']
        self._services.volumes.admin.reset_status(
            ctx, volume_id, status=spec.get('status'), attach_status=spec.get('attach_status'),
            migration_status=spec.get('migration_status'))
        return wsgi.json_response(202)

    def force_delete(self, req: wsgi.Request, project_id: str, volume_id: str,
                     body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.FORCE_DELETE)
        validation.validate(FORCE_DELETE, body)
        self._services.volumes.admin.force_delete(ctx, volume_id)
        return wsgi.json_response(202)


def handlers(services: scope.VolumeServices,
             authorizer: policy.Authorizer) -> dict[str, Action]:
    """The actions this module handles, by the name a body gives them."""
    actions = VolumeAdminActions(services, authorizer)
    return {'os-reset_status': actions.reset_status, 'os-force_delete': actions.force_delete}
