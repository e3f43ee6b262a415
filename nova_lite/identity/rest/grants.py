"""Role grants to a group on a project, and to a user or a group on a domain:
``/v3/{projects|domains}/{target}/{users|groups}/{actor}/roles[/{role}]``
(a user's grants on a project are in roles.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, views

# (target collection, actor collection) pairs served here.
_KINDS = (('projects', 'groups'), ('domains', 'users'), ('domains', 'groups'))


class GrantController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        routes: list[routing.Route] = []
        for targets, actors in _KINDS:
            base = f'/v3/{targets}/{{target_id}}/{actors}/{{actor_id}}/roles'
            target, actor = targets[:-1], actors[:-1]
            routes += [
                ('GET', base, self._bind(self.list_roles, target, actor)),
                ('PUT', f'{base}/{{role_id}}', self._bind(self.grant, target, actor)),
                ('HEAD', f'{base}/{{role_id}}', self._bind(self.check, target, actor)),
                ('DELETE', f'{base}/{{role_id}}', self._bind(self.revoke, target, actor)),
            ]
        return routes

    @staticmethod
    def _bind(handler: Callable[..., webob.Response], target: str,
              actor: str) -> Callable[..., webob.Response]:
        def bound(req: wsgi.Request, **ids: str) -> webob.Response:
            return handler(req, target, actor, **ids)
        bound.__name__ = f'{handler.__name__}_{actor}_on_{target}'
        return bound

    def _refs(self, req: wsgi.Request, rule: str, target: str, target_id: str, actor: str,
              actor_id: str, role_id: str | None = None) -> None:
        """``rule`` allows the caller, and the target, actor and role exist (else 404)."""
        self.authorizer.authorize(req.context, rule,
                                  {'user_id': actor_id if actor == 'user' else ''})
        identity, admin = self._api.identity, self._api.admin
        getters: list[tuple[Callable[[str], Any], str, str | None]] = [
            (identity.get_project if target == 'project' else identity.get_domain,
             target.capitalize(), target_id),
            (identity.get_user if actor == 'user' else admin.groups.get_group,
             actor.capitalize(), actor_id),
            (identity.get_role, 'Role', role_id)]
        for getter, resource, value in getters:
            if value is None:
                continue
            try:
                getter(value)
            except exception.InvalidInput:
                raise exception.NotFound(resource=resource, id=value) from None

    def grant(self, req: wsgi.Request, target: str, actor: str, target_id: str,
              actor_id: str, role_id: str) -> webob.Response:
        self._refs(req, 'identity:create_other_grant', target, target_id, actor, actor_id,
                   role_id)
        self._api.admin.grants.grant(actor, actor_id, target, target_id, role_id)
        return wsgi.json_response(204)

    def check(self, req: wsgi.Request, target: str, actor: str, target_id: str,
              actor_id: str, role_id: str) -> webob.Response:
        self._refs(req, 'identity:check_other_grant', target, target_id, actor, actor_id,
                   role_id)
        if not self._api.admin.grants.has_grant(actor, actor_id, target, target_id, role_id):
            raise exception.NotFound(f'Role {role_id} is not granted to {actor} {actor_id} '
                                     f'on {target} {target_id}.',
                                     resource='RoleAssignment', id=role_id)
        return wsgi.json_response(204)

    def revoke(self, req: wsgi.Request, target: str, actor: str, target_id: str,
               actor_id: str, role_id: str) -> webob.Response:
        self._refs(req, 'identity:revoke_other_grant', target, target_id, actor, actor_id,
                   role_id)
        self._api.admin.grants.revoke(actor, actor_id, target, target_id, role_id)
        return wsgi.json_response(204)

    def list_roles(self, req: wsgi.Request, target: str, actor: str, target_id: str,
                   actor_id: str) -> webob.Response:
        self._refs(req, 'identity:list_other_grants', target, target_id, actor, actor_id)
        held = self._api.admin.grants.roles(actor, actor_id, target, target_id)
        return wsgi.json_response(200, views.collection(
            'roles', [views.role(self._api.v3_url, r) for r in held],
            common.self_url(req, self._api)))
