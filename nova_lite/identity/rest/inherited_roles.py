"""``/v3/OS-INHERIT``: roles granted on a domain or a project, inherited by
every project under it, to a user or a group; and their rows of
``/v3/role_assignments`` (:func:`listed_assignments`).

Inherited grants use the grant rules (``identity:create_grant`` ...), as
keystone's do. Group grants need the group backend connected to the store
(:class:`nova_lite.identity.inherited_grants.GroupLookup`); until then every
group is unknown (404).
"""

from __future__ import annotations

import functools
from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.identity import inherited_grants
from nova_lite.identity.rest import common, views
from nova_lite.identity.rest.extension_common import unknown_id_is_not_found

INHERITED_TO_KEY = 'OS-INHERIT:inherited_to'
_TARGETS = {'domains': 'domain', 'projects': 'project'}
_ACTORS = {'users': 'user', 'groups': 'group'}


def grant_link(v3_url: str, grant: dict[str, Any]) -> str:
    return (f"{v3_url}/OS-INHERIT/{grant['target_type']}s/{grant['target_id']}/"
            f"{grant['actor_type']}s/{grant['actor_id']}/roles/{grant['role_id']}"
            '/inherited_to_projects')


class InheritedRoleController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        routes: list[routing.Route] = []
        for targets, target_type in _TARGETS.items():
            for actors, actor_type in _ACTORS.items():
                roles = f'/v3/OS-INHERIT/{targets}/{{target_id}}/{actors}/{{actor_id}}/roles'
                one = f'{roles}/{{role_id}}/inherited_to_projects'
                bind = functools.partial
                routes += [
                    ('PUT', one, bind(self.grant, target_type, actor_type)),
                    ('HEAD', one, bind(self.check, target_type, actor_type)),
                    ('DELETE', one, bind(self.revoke, target_type, actor_type)),
                    ('GET', f'{roles}/inherited_to_projects',
                     bind(self.index, target_type, actor_type)),
                ]
        return routes

    @property
    def _store(self) -> inherited_grants.InheritedGrantStore:
        return self._api.identity.extensions.inherited_grants

    def _authorize(self, req: wsgi.Request, rule: str, actor_type: str,
                   actor_id: str) -> None:
        self.authorizer.authorize(req.context, rule,
                                  {'user_id': actor_id if actor_type == 'user' else ''})

    def grant(self, target_type: str, actor_type: str, req: wsgi.Request, target_id: str,
              actor_id: str, role_id: str) -> webob.Response:
        self._authorize(req, 'identity:create_grant', actor_type, actor_id)
        with unknown_id_is_not_found('RoleAssignment', role_id):
            self._store.grant(inherited_grants.Grant(actor_type, actor_id, target_type,
                                                     target_id, role_id))
        return wsgi.json_response(204)

    def check(self, target_type: str, actor_type: str, req: wsgi.Request, target_id: str,
              actor_id: str, role_id: str) -> webob.Response:
        self._authorize(req, 'identity:check_grant', actor_type, actor_id)
        with unknown_id_is_not_found('RoleAssignment', role_id):
            held = self._store.exists(inherited_grants.Grant(actor_type, actor_id,
                                                             target_type, target_id, role_id))
        if not held:
            raise exception.NotFound(resource='RoleAssignment', id=role_id)
        return wsgi.json_response(204)

    def revoke(self, target_type: str, actor_type: str, req: wsgi.Request, target_id: str,
               actor_id: str, role_id: str) -> webob.Response:
        self._authorize(req, 'identity:revoke_grant', actor_type, actor_id)
        with unknown_id_is_not_found('RoleAssignment', role_id):
            self._store.revoke(inherited_grants.Grant(actor_type, actor_id, target_type,
                                                      target_id, role_id))
        return wsgi.json_response(204)

    def index(self, target_type: str, actor_type: str, req: wsgi.Request, target_id: str,
              actor_id: str) -> webob.Response:
        self._authorize(req, 'identity:list_grants', actor_type, actor_id)
        with unknown_id_is_not_found(target_type.capitalize(), target_id):
            roles = self._store.roles_of(actor_type, actor_id, target_type, target_id)
        return wsgi.json_response(200, views.collection(
            'roles', [views.role(self._api.v3_url, r) for r in roles],
            common.self_url(req, self._api)))
