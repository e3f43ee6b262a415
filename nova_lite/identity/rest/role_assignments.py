"""``GET /v3/role_assignments``: user and group grants on projects and domains.

Filters: ``user.id``, ``group.id``, ``scope.project.id``, ``scope.domain.id``,
``role.id``, ``scope.system``, ``scope.OS-INHERIT:inherited_to``; ``effective``
expands group grants into their members' (each with ``links.membership``);
``include_names`` adds names; ``include_subtree`` with ``scope.project.id``
adds the grants on the project's descendants. System grants are listed when
no project or domain filter is given; inherited grants (OS-INHERIT) come from
:mod:`.inherited_assignments`.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.identity import role_assignment_list
from nova_lite.identity.rest import common, inherited_assignments, schemas


def assignment_view(v3_url: str, grant: dict[str, Any],
                    names: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    """One assignment in keystone's shape."""
    actor, target = grant['actor_type'], grant['target_type']
    role_ref: dict[str, Any] = {'id': grant['role_id']}
    actor_ref: dict[str, Any] = {'id': grant['actor_id']}
    target_ref: dict[str, Any] = {'id': grant['target_id']}
    if names is not None:
        role_ref['name'] = grant['role_name']
        actor_ref.update(names[actor].get(grant['actor_id'], {}))
        target_ref.update(names[target].get(grant['target_id'], {}))
    via_group = grant.get('via_group')
    link_actor = ('groups', via_group) if via_group else (f'{actor}s', grant['actor_id'])
    assigned_role = grant.get('prior_role') or grant['role_id']
    links = {'assignment': f"{v3_url}/{target}s/{grant['target_id']}/{link_actor[0]}/"
                           f"{link_actor[1]}/roles/{assigned_role}"}
    if via_group:
        links['membership'] = f"{v3_url}/groups/{via_group}/users/{grant['actor_id']}"
    if grant.get('prior_role'):
        links['prior_role'] = f"{v3_url}/roles/{grant['prior_role']}"
    return {'role': role_ref, actor: actor_ref, 'scope': {target: target_ref},
            'links': links}


class AssignmentController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [('GET', '/v3/role_assignments', self.index)]

    def index(self, req: wsgi.Request) -> webob.Response:
        params = controller.read_query(req, schemas.ASSIGNMENT_QUERY)
        self.authorizer.authorize(req.context, 'identity:list_role_assignments',
                                  {'user_id': params.get('user.id', '')})
        records: list[dict[str, Any]] = []
        inherited_only = 'scope.OS-INHERIT:inherited_to' in req.GET
        if 'scope.system' not in params and not inherited_only:
            wanted = role_assignment_list.AssignmentFilter(
                user_id=params.get('user.id'), group_id=params.get('group.id'),
                project_id=params.get('scope.project.id'),
                domain_id=params.get('scope.domain.id'), role_id=params.get('role.id'),
                effective=common.flag(req, 'effective'),
                include_subtree=common.flag(req, 'include_subtree'))
            records = self._api.admin.assignments.list_assignments(wanted)
        names = (self._api.admin.assignments.names() if common.flag(req, 'include_names')
                 else None)
        items = [assignment_view(self._api.v3_url, r, names) for r in records]
        if not inherited_only:
            items += self._system_assignments(req, params)
        if 'scope.system' not in params:
            items += inherited_assignments.listed_assignments(self._api, req)
        return wsgi.json_response(200, {
            'role_assignments': items,
            'links': {'self': common.self_url(req, self._api), 'previous': None,
                      'next': None}})

    def _system_assignments(self, req: wsgi.Request,
                            params: dict[str, str]) -> list[dict[str, Any]]:
        """Grants on the system (to users and to groups), unless a project or a domain
        is asked for."""
        if {'scope.project.id', 'scope.domain.id'} & set(params):
            return []
        v3_url = self._api.v3_url
        rows = [('user', r) for r in self._api.identity.list_system_assignments()
                if 'group.id' not in params]
        if 'user.id' not in params:
            rows += [('group', r)
                     for r in self._api.identity.system_group_grants.all_grants()]
        with_names = common.flag(req, 'include_names')
        found = []
        for actor, row in rows:
            actor_id = row[f'{actor}_id']
            if params.get(f'{actor}.id', actor_id) != actor_id:
                continue
            if params.get('role.id', row['role_id']) != row['role_id']:
                continue
            role = {'id': row['role_id']}
            if with_names:
                role['name'] = row['role_name']
            found.append({'role': role, actor: {'id': actor_id},
                          'scope': {'system': {'all': True}},
                          'links': {'assignment': f'{v3_url}/system/{actor}s/{actor_id}/roles/'
                                                  f"{row['role_id']}"}})
        return found
