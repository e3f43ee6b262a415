"""``POST /v3/{project_id}/snapshots/{snapshot_id}/action``: cinder's snapshot actions.

``os-reset_status`` (admin) sets any status, ``os-force_delete`` (admin)
deletes a snapshot whatever its status, and ``os-update_snapshot_status``
reports a creating or deleting snapshot's outcome and progress.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import routing, validation, wsgi
from nova_lite.common import exception
from nova_lite.common.states import SnapshotStatus
from nova_lite.volume.rest import policies, scope

_STATUS: dict[str, Any] = {'type': 'string', 'enum': list(SnapshotStatus.ALL)}
SCHEMAS: dict[str, dict[str, Any]] = {
    'os-reset_status': {'type': 'object', 'properties': {'status': _STATUS},
                        'required': ['status'], 'additionalProperties': False},
    'os-force_delete': {'type': ['object', 'null']},
    'os-update_snapshot_status': {
        'type': 'object',
        'properties': {'status': _STATUS,
                       'progress': {'type': 'string', 'pattern': '^[0-9]{1,3}%$'}},
        'required': ['status'], 'additionalProperties': False},
}

Action = Callable[[wsgi.Request, str, str, Any], webob.Response]


class SnapshotActionsController(scope.VolumeController):
    """Dispatches a snapshot action body to the handler of the action it names."""

    def _actions(self) -> dict[str, Action]:
        return {'os-reset_status': self.reset_status, 'os-force_delete': self.force_delete,
                'os-update_snapshot_status': self.update_status}

    def action(self, req: wsgi.Request, project_id: str, snapshot_id: str) -> webob.Response:
        body = req.read_json()
        if not isinstance(body, dict) or len(body) != 1:
            raise exception.InvalidInput(field='action',
                                         reason='the body must name exactly one action')
        (name,) = body
        handler = self._actions().get(name)
        if handler is None:
            raise exception.InvalidInput(field=str(name)[:64],
                                         reason='this snapshot action is not supported')
        validation.validate({'type': 'object', 'properties': {name: SCHEMAS[name]}}, body)
        return handler(req, project_id, snapshot_id, body[name])

    def reset_status(self, req: wsgi.Request, project_id: str, snapshot_id: str,
                     spec: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_RESET_STATUS)
        self._services.volumes.snapshots.reset_status(ctx, snapshot_id, spec['status'])
        return wsgi.json_response(202)

    def force_delete(self, req: wsgi.Request, project_id: str, snapshot_id: str,
                     spec: Any) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_FORCE_DELETE)
        self._services.volumes.snapshots.delete(ctx, snapshot_id, force=True)
        return wsgi.json_response(202)

    def update_status(self, req: wsgi.Request, project_id: str, snapshot_id: str,
                      spec: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_UPDATE_STATUS)
        self._services.volumes.snapshots.update_status(ctx, snapshot_id, spec['status'],
                                                       spec.get('progress'))
        return wsgi.json_response(202)


def routes(actions: SnapshotActionsController) -> list[routing.Route]:
    return [('POST', '/snapshots/{snapshot_id}/action', actions.action)]
