"""``/os-server-groups``: create, list, show and delete server groups.

The body follows the negotiated microversion: 2.1 shows ``policies`` (a list
of one) and ``metadata`` ({}), 2.13 adds ``project_id`` and ``user_id``, 2.15
allows the soft policies, 2.64 shows one ``policy`` and its ``rules``
instead of ``policies`` and ``metadata``. The list pages with ``limit`` and
``offset``; ``all_projects`` lists every project's groups for admins (others
still get their own).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute import server_group_schemas, server_groups
from nova_lite.compute.rest import base, policies, query_params, version_changes
from nova_lite.compute.rest.api_version import Version, api_version

# The most groups one list answer carries (nova's [api] max_limit default).
MAX_LIMIT = 1000


def view(group: dict[str, Any], version: Version) -> dict[str, Any]:
    """A server group as the API shows it at ``version``."""
    body: dict[str, Any] = {'id': group['id'], 'name': group['name']}
    if version >= version_changes.SERVER_GROUP_POLICY_RULES:
        body['policy'] = group['policy']
        body['rules'] = dict(group['rules'])
    else:
        body['policies'] = [group['policy']]
        body['metadata'] = {}
    body['members'] = list(group['members'])
    if version >= version_changes.SERVER_GROUP_OWNER:
        body['project_id'] = group['project_id']
        body['user_id'] = group['user_id']
    return body


def _policy_and_rules(group: dict[str, Any], version: Version) -> tuple[str, dict[str, Any]]:
    """The policy and rules of a create request body the schema accepted."""
    if version < version_changes.SERVER_GROUP_POLICY_RULES:
        return group['policies'][0], {}
    policy = group['policy']
    rules = dict(group.get('rules') or {})
    if rules and policy != server_groups.ANTI_AFFINITY:
        raise exception.InvalidInput(
            field='server_group.rules',
            reason=f'only the anti-affinity policy takes rules, not {policy}')
    if server_groups.MAX_SERVER_PER_HOST in rules:
        value = int(rules[server_groups.MAX_SERVER_PER_HOST])
        if value < 1:
            raise exception.InvalidInput(field='server_group.rules.max_server_per_host',
                                         reason='must be an integer >= 1')
        rules[server_groups.MAX_SERVER_PER_HOST] = value
    return policy, rules


class ServerGroupsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._store = rest.services.server_groups

    def routes(self) -> list[routing.Route]:
        return routing.crud('/os-server-groups', 'server_group_id', self)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        version = api_version(req)
        self.authorizer.authorize(ctx, policies.SERVER_GROUPS_CREATE)
        body = controller.read_body(req, server_group_schemas.create_request(version))
        group = body['server_group']
        policy, rules = _policy_and_rules(group, version)
        if ctx.project_id is None or ctx.user_id is None:
            raise exception.Forbidden()
        quotas = self._rest.services.quotas
        project_id, user_id = ctx.project_id, ctx.user_id
        created = self._store.create(
            name=group['name'], project_id=project_id, user_id=user_id, policy=policy,
            rules=rules, quota_check=lambda session: quotas.check_server_groups(
                session, project_id, user_id))
        return wsgi.json_response(200, {'server_group': view(created, version)})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.SERVER_GROUPS_INDEX)
        params = query_params.read(req, server_group_schemas.list_query)
        # Nova's rule: all_projects (any value) from a non-admin lists their own groups.
        if 'all_projects' in params and ctx.is_admin:
            self.authorizer.authorize(ctx, policies.SERVER_GROUPS_ALL_PROJECTS)
            groups = self._store.list_groups(project_id=None)
        else:
            if ctx.project_id is None:
                raise exception.Forbidden()
            groups = self._store.list_groups(project_id=ctx.project_id)
        offset = int(params.get('offset', 0))
        limit = min(int(params.get('limit', MAX_LIMIT)), MAX_LIMIT)
        version = api_version(req)
        return wsgi.json_response(200, {'server_groups': [
            view(group, version) for group in groups[offset:offset + limit]]})

    def _group(self, req: wsgi.Request, group_id: str, rule: str) -> dict[str, Any]:
        group = self._store.get(group_id)
        self.authorizer.authorize(req.context, rule, project_id=group['project_id'])
        return group

    def show(self, req: wsgi.Request, server_group_id: str) -> webob.Response:
        group = self._group(req, server_group_id, policies.SERVER_GROUPS_SHOW)
        return wsgi.json_response(200, {'server_group': view(group, api_version(req))})

    def delete(self, req: wsgi.Request, server_group_id: str) -> webob.Response:
        group = self._group(req, server_group_id, policies.SERVER_GROUPS_DELETE)
        self._store.delete(group['id'])
        return wsgi.json_response(204)
