"""``/v3/roles`` and a user's role grants on a project.

A role created with a ``domain_id`` is that domain's (domain_roles.py);
``GET /v3/roles`` lists the global roles, ``?domain_id=`` a domain's.

Group and domain grants are in grants.py, ``/v3/role_assignments`` in
assignments.py.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, schemas, views

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
        ]

    def _role(self, role_id: str) -> dict[str, Any]:
        try:
            (record,) = self._api.admin.domain_roles.with_domains(
                [self._api.identity.get_role(role_id)])
            return record
        except exception.InvalidInput:
            raise exception.NotFound(resource='Role', id=role_id) from None

    def create(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_role')
        spec = controller.read_body(req, schemas.ROLE_CREATE)['role']
        if spec.get('domain_id') is not None:  # a domain-specific role (domain_roles.py)
            record = self._api.admin.domain_roles.create_role(spec['name'], spec['domain_id'])
        else:
            record = self._api.identity.create_role(spec['name'])
        return wsgi.json_response(201, {'role': views.role(self._api.v3_url, record)})

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_roles')
        params = controller.read_query(req, schemas.ROLE_QUERY)
        # The global roles, or with ``domain_id`` that domain's own.
        records = [r for r in self._api.admin.domain_roles.with_domains(
            self._api.identity.list_roles()) if r['domain_id'] == params.get('domain_id')]
        records = common.filtered(records, params, common.filters_of('name'))
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
