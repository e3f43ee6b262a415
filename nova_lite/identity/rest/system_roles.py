"""Role grants on the system (``/v3/system/users/{user_id}/roles``), role
implications (``/v3/roles/{prior_role_id}/implies/{implied_role_id}``,
``/v3/role_inferences``) and role deletion (``DELETE /v3/roles/{role_id}``)."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, views

SYSTEM_GRANT = '/v3/system/users/{user_id}/roles/{role_id}'
IMPLIES = '/v3/roles/{prior_role_id}/implies/{implied_role_id}'


class SystemRoleController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('PUT', SYSTEM_GRANT, self.grant),
            ('HEAD', SYSTEM_GRANT, self.check),
            ('GET', SYSTEM_GRANT, self.check),
            ('DELETE', SYSTEM_GRANT, self.revoke),
            ('GET', '/v3/system/users/{user_id}/roles', self.index),
            ('PUT', IMPLIES, self.imply),
            ('GET', IMPLIES, self.show_implied),
            ('HEAD', IMPLIES, self.check_implied),
            ('DELETE', IMPLIES, self.unimply),
            ('GET', '/v3/roles/{prior_role_id}/implies', self.implied),
            ('GET', '/v3/role_inferences', self.inferences),
            ('DELETE', '/v3/roles/{role_id}', self.delete_role),
        ]

    def delete_role(self, req: wsgi.Request, role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_role')
        self._exists(None, role_id)
        self._api.identity.delete_role(role_id)
        return wsgi.json_response(204)

    def _exists(self, user_id: str | None, role_id: str) -> None:
        identity = self._api.identity
        try:
            if user_id is not None:
                identity.get_user(user_id)
            identity.get_role(role_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='User or role', id=role_id) from None

    def grant(self, req: wsgi.Request, user_id: str, role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_system_grant_for_user')
        self._exists(user_id, role_id)
        self._api.identity.grant_system_role(user_id, role_id)
        return wsgi.json_response(204)

    def check(self, req: wsgi.Request, user_id: str, role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:check_system_grant_for_user')
        self._exists(user_id, role_id)
        held = {role['id'] for role in self._api.identity.list_system_roles(user_id)}
        if role_id not in held:
            raise exception.NotFound(f'Role {role_id} is not granted to user {user_id} on '
                                     'the system.', resource='RoleAssignment', id=role_id)
        return wsgi.json_response(204)

    def revoke(self, req: wsgi.Request, user_id: str, role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:revoke_system_grant_for_user')
        self._exists(user_id, role_id)
        self._api.identity.revoke_system_role(user_id, role_id)
        return wsgi.json_response(204)

    def index(self, req: wsgi.Request, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_system_grants_for_user')
        try:
            roles = self._api.identity.list_system_roles(user_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='User', id=user_id) from None
        return wsgi.json_response(200, views.collection(
            'roles', [views.role(self._api.v3_url, r) for r in roles],
            common.self_url(req, self._api)))

    # Implications --------------------------------------------------------------------

    def _ref(self, role: dict[str, Any]) -> dict[str, Any]:
        return {'id': role['id'], 'name': role['name'],
                'links': {'self': f"{self._api.v3_url}/roles/{role['id']}"}}

    def _inference(self, record: dict[str, Any]) -> dict[str, Any]:
        prior, implied = record['prior_role'], record['implied']
        return {'role_inference': {'prior_role': self._ref(prior),
                                   'implies': self._ref(implied)},
                'links': {'self': f"{self._api.v3_url}/roles/{prior['id']}/implies/"
                                  f"{implied['id']}"}}

    def imply(self, req: wsgi.Request, prior_role_id: str,
              implied_role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_implied_role')
        self._exists(None, prior_role_id)
        self._exists(None, implied_role_id)
        record = self._api.identity.create_implied_role(prior_role_id, implied_role_id)
        return wsgi.json_response(201, self._inference(record))

    def _implied_record(self, prior_role_id: str, implied_role_id: str) -> dict[str, Any]:
        try:
            return self._api.identity.get_implied_role(prior_role_id, implied_role_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='ImpliedRole', id=implied_role_id) from None

    def show_implied(self, req: wsgi.Request, prior_role_id: str,
                     implied_role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_implied_role')
        return wsgi.json_response(200, self._inference(
            self._implied_record(prior_role_id, implied_role_id)))

    def check_implied(self, req: wsgi.Request, prior_role_id: str,
                      implied_role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_implied_role')
        self._implied_record(prior_role_id, implied_role_id)
        return wsgi.json_response(204)

    def unimply(self, req: wsgi.Request, prior_role_id: str,
                implied_role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_implied_role')
        self._implied_record(prior_role_id, implied_role_id)
        self._api.identity.delete_implied_role(prior_role_id, implied_role_id)
        return wsgi.json_response(204)

    def _rules(self, prior_role_id: str | None) -> list[dict[str, Any]]:
        """``{prior_role, implies: [...]}`` per prior role."""
        roles = {r['id']: r for r in self._api.identity.list_roles()}
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in self._api.identity.list_implied_roles(prior_role_id):
            grouped.setdefault(row['prior_role_id'], []).append(
                self._ref(roles[row['implied_role_id']]))
        return [{'prior_role': self._ref(roles[prior]), 'implies': implied}
                for prior, implied in grouped.items()]

    def implied(self, req: wsgi.Request, prior_role_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_implied_roles')
        self._exists(None, prior_role_id)
        rules = self._rules(prior_role_id)
        prior = self._ref(self._api.identity.get_role(prior_role_id))
        inference = rules[0] if rules else {'prior_role': prior, 'implies': []}
        return wsgi.json_response(200, {
            'role_inference': inference,
            'links': {'self': f'{self._api.v3_url}/roles/{prior_role_id}/implies'}})

    def inferences(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_role_inference_rules')
        return wsgi.json_response(200, {
            'role_inferences': self._rules(None),
            'links': {'self': common.self_url(req, self._api)}})
