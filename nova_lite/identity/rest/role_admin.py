"""``PATCH /v3/roles/{role_id}``: a role's rename (create, list and show are in roles.py)."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, schemas, views

ROLE_UPDATE: dict[str, Any] = {
    'type': 'object', 'required': ['role'], 'additionalProperties': False,
    'properties': {'role': {
        'type': 'object', 'additionalProperties': False, 'minProperties': 1,
        'properties': {'name': schemas.NAME, 'options': schemas.EMPTY_OBJECT},
    }},
}


class RoleAdminController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('PATCH', '/v3/roles/{role_id}', self.update),
        ]

    def _exists(self, role_id: str) -> None:
        try:
            self._api.identity.get_role(role_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='Role', id=role_id) from None

    def update(self, req: wsgi.Request, role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_role')
        spec = controller.read_body(req, ROLE_UPDATE)['role']
        self._exists(role_id)
        record = self._api.admin.roles.update_role(role_id, name=spec.get('name'))
        return wsgi.json_response(200, {'role': views.role(self._api.v3_url, record)})
