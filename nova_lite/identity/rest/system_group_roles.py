"""``/v3/system/groups/{group_id}/roles[/{role_id}]``: roles of groups on the system."""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, views

GRANT = '/v3/system/groups/{group_id}/roles/{role_id}'


class SystemGroupRoleController(common.IdentityController):

    def __init__(self, api: common.IdentityApi) -> None:
        super().__init__(api)
        self._grants = api.identity.system_group_grants

    def routes(self) -> list[routing.Route]:
        return [
            ('PUT', GRANT, self.grant),
            ('HEAD', GRANT, self.check),
            ('GET', GRANT, self.check),
            ('DELETE', GRANT, self.revoke),
            ('GET', '/v3/system/groups/{group_id}/roles', self.index),
        ]

    def grant(self, req: wsgi.Request, group_id: str, role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_system_grant_for_group')
        self._grants.grant(group_id, role_id)
        return wsgi.json_response(204)

    def check(self, req: wsgi.Request, group_id: str, role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:check_system_grant_for_group')
        if not self._grants.held(group_id, role_id):
            raise exception.NotFound(f'Role {role_id} is not granted to group {group_id} on '
                                     'the system.', resource='RoleAssignment', id=role_id)
        return wsgi.json_response(204)

    def revoke(self, req: wsgi.Request, group_id: str, role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:revoke_system_grant_for_group')
        self._grants.revoke(group_id, role_id)
        return wsgi.json_response(204)

    def index(self, req: wsgi.Request, group_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_system_grants_for_group')
        roles = self._grants.roles_of(group_id)
        return wsgi.json_response(200, views.collection(
            'roles', [views.role(self._api.v3_url, r) for r in roles],
            common.self_url(req, self._api)))
