"""/v2.0/security-groups: each project's ``default`` group.

nova_lite filters no traffic, so it has no security groups to manage; clients
that look up a project's ``default`` group find one, without rules, whose id
is derived from the project id (stable across restarts, nothing stored).

An admin may delete any project's default group, as in neutron (Tempest
deletes it when it removes a test project); a member is refused with
neutron's 409. The group holds no rules and no port uses it (nova_lite's
ports have no security groups), so the delete has nothing to remove: like
neutron, which makes a project's default group again when it is next
needed, the group is still listed while its project exists.
"""

from __future__ import annotations

import uuid
from typing import Any

import webob

from nova_lite.api import filters, paging, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.network import access
from nova_lite.network.rest import common, listing

_NAMESPACE = uuid.UUID('6f1c3a52-1d0e-4c55-9a55-1f2b8f0f6c1e')

def default_group(project_id: str) -> dict[str, Any]:
    return {'id': str(uuid.uuid5(_NAMESPACE, project_id)), 'name': 'default',
            'description': 'Default security group (nova_lite filters no traffic)',
            'project_id': project_id, 'tenant_id': project_id, 'security_group_rules': [],
            'stateful': True, 'shared': False, 'tags': [], 'revision_number': 1}


class SecurityGroupsController(common.NetworkController):

    def _groups(self, ctx: nl_context.RequestContext) -> list[dict[str, Any]]:
        if access.is_admin(ctx):
            projects = [project['id'] for project in self._deps.identity.list_projects()]
        else:
            projects = [ctx.project_id] if ctx.project_id else []
        return [default_group(project_id) for project_id in projects]

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_security_group')

        def page_of(wanted: list[filters.Wanted],
                    request: paging.PageRequest) -> paging.Page[dict[str, Any]]:
            return paging.paginate(filters.matching(self._groups(ctx), wanted), request)

        return common.list_response(self._deps, req, 'security_groups', 'security-groups',
                                    page_of, dict, listing.SECURITY_GROUPS)

    def show(self, req: wsgi.Request, security_group_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_security_group')
        for group in self._groups(ctx):
            if group['id'] == security_group_id:
                return common.show_response(req, 'security_group', group)
        raise exception.NotFound(resource='SecurityGroup', id=security_group_id)

    def delete(self, req: wsgi.Request, security_group_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'delete_security_group')
        if not any(group['id'] == security_group_id for group in self._groups(ctx)):
            raise exception.NotFound(resource='SecurityGroup', id=security_group_id)
        if not access.is_admin(ctx):
            raise SecurityGroupCannotRemoveDefault()
        return wsgi.json_response(204)


class SecurityGroupCannotRemoveDefault(exception.Conflict):
    """Neutron's answer to a project member deleting its default group."""

    msg_fmt = 'Insufficient rights for removing default security group.'
