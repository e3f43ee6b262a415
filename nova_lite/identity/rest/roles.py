"""``/v3/roles``, project role grants and ``/v3/role_assignments``.

nova_lite has direct user-on-project assignments only (no groups, domain or
system scopes, no inheritance): filters on those give an empty list.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, inherited_assignments, schemas, views

GRANT_PATH = '/v3/projects/{project_id}/users/{user_id}/roles/{role_id}'


class RoleController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('POST', '/v3/roles', self.create),
            ('GET', '/v3/roles', self.index),
            ('GET', '/v3/roles/{role_id}', self.show),
            ('PUT', GRANT_PATH, self.grant),
            ('HEAD', GRANT_PATH, self.check_grant),
            ('DELETE', GRANT_PATH, self.revoke_grant),
            ('GET', '/v3/projects/{project_id}/users/{user_id}/roles', self.grants),
            ('GET', '/v3/role_assignments', self.assignments),
        ]

    def _role(self, role_id: str) -> dict[str, Any]:
        try:
            return self._api.identity.get_role(role_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='Role', id=role_id) from None

    def create(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_role')
        spec = controller.read_body(req, schemas.ROLE_CREATE)['role']
        record = self._api.identity.create_role(spec['name'])
        return wsgi.json_response(201, {'role': views.role(self._api.v3_url, record)})

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_roles')
        params = controller.read_query(req, schemas.NAME_QUERY)
        records = common.filtered(self._api.identity.list_roles(), params,
                                  common.filters_of('name'))
        return wsgi.json_response(200, views.collection(
            'roles', [views.role(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))

    def show(self, req: wsgi.Request, role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_role')
        return wsgi.json_response(
            200, {'role': views.role(self._api.v3_url, self._role(role_id))})

    def _grant_refs(self, project_id: str, user_id: str) -> None:
        """404 unless the project and the user exist."""
        for getter, resource, value in ((self._api.identity.get_project, 'Project',
                                         project_id),
                                        (self._api.identity.get_user, 'User', user_id)):
            try:
                getter(value)
            except exception.InvalidInput:
                raise exception.NotFound(resource=resource, id=value) from None

    def _grant(self, req: wsgi.Request, rule: str, project_id: str, user_id: str,
               role_id: str, target: dict[str, str] | None = None) -> None:
        """``rule`` allows the caller, and the project, user and role exist (else 404)."""
        self.authorizer.authorize(req.context, rule, target)
        self._grant_refs(project_id, user_id)
        self._role(role_id)

    def grant(self, req: wsgi.Request, project_id: str, user_id: str,
              role_id: str) -> webob.Response:
        self._grant(req, 'identity:create_grant', project_id, user_id, role_id)
        self._api.identity.assign_role(user_id, project_id, role_id)
        return wsgi.json_response(204)

    def check_grant(self, req: wsgi.Request, project_id: str, user_id: str,
                    role_id: str) -> webob.Response:
        self._grant(req, 'identity:check_grant', project_id, user_id, role_id,
                    {'user_id': user_id})
        held = self._api.identity.list_role_assignments(user_id=user_id,
                                                        project_id=project_id)
        if not any(a['role_id'] == role_id for a in held):
            raise exception.NotFound(resource='RoleAssignment', id=role_id)
        return wsgi.json_response(204)

    def revoke_grant(self, req: wsgi.Request, project_id: str, user_id: str,
                     role_id: str) -> webob.Response:
        self._grant(req, 'identity:revoke_grant', project_id, user_id, role_id)
        self._api.identity.unassign_role(user_id, project_id, role_id)
        return wsgi.json_response(204)

    def grants(self, req: wsgi.Request, project_id: str, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_grants', {'user_id': user_id})
        self._grant_refs(project_id, user_id)
        held = self._api.identity.list_role_assignments(user_id=user_id,
                                                        project_id=project_id)
        roles = [views.role(self._api.v3_url, {'id': a['role_id'], 'name': a['role_name']})
                 for a in held]
        return wsgi.json_response(200, views.collection('roles', roles,
                                                        common.self_url(req, self._api)))

    def assignments(self, req: wsgi.Request) -> webob.Response:
        params = controller.read_query(req, schemas.ASSIGNMENT_QUERY)
        self.authorizer.authorize(req.context, 'identity:list_role_assignments',
                            {'user_id': params.get('user.id', '')})
        records: list[dict[str, Any]] = []
        if (not {'scope.domain.id', 'group.id', 'scope.system'} & set(params)
                and 'scope.OS-INHERIT:inherited_to' not in req.GET):
            records = self._api.identity.list_role_assignments(
                user_id=params.get('user.id'), project_id=params.get('scope.project.id'))
        if 'role.id' in params:
            records = [r for r in records if r['role_id'] == params['role.id']]
        names = self._names() if common.flag(req, 'include_names') else None
        items = [views.role_assignment(self._api.v3_url, r, names) for r in records]
        items += inherited_assignments.listed_assignments(self._api, req)
        return wsgi.json_response(200, views.collection(
            'role_assignments', items, common.self_url(req, self._api)))

    def _names(self) -> dict[str, Any]:
        """Names of users and projects, with their domains, for ``include_names``."""
        identity = self._api.identity
        domains = {d['id']: {'id': d['id'], 'name': d['name']}
                   for d in identity.list_domains()}

        def named(records: list[dict[str, Any]]) -> dict[str, Any]:
            return {r['id']: {'name': r['name'], 'domain': domains.get(
                r['domain_id'], {'id': r['domain_id'], 'name': None})} for r in records}

        return {'users': named(identity.list_users()),
                'projects': named(identity.list_projects())}
