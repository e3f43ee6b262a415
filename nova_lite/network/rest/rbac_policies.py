"""/v2.0/rbac-policies: share a network with a project (or every project, ``'*'``)
or make it external for one (neutron's rbac-policies extension).

Targeting ``'*'`` is for admins (``create_rbac_policy:target_tenant``,
``update_rbac_policy:target_tenant``); everything else is for the network's owner.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import filters, routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.network import rbac
from nova_lite.network.rest import common, rbac_schemas
from nova_lite.network.rest.listing import PROJECT

RBAC_POLICIES = {
    'id': filters.Filter('id'), 'object_id': filters.Filter('object_id'),
    'object_type': filters.Filter('object_type'), 'action': filters.Filter('action'),
    'target_tenant': filters.Filter('target_project'),
    'target_project': filters.Filter('target_project'), **PROJECT,
}


def _target(fields: dict[str, Any]) -> tuple[Any, str] | None:
    """The target project of a body (``target_tenant`` or its new name
    ``target_project``) and the field it came in."""
    tenant, project = fields.get('target_tenant'), fields.get('target_project')
    if tenant is not None and project is not None and tenant != project:
        raise exception.InvalidInput(field='target_project',
                                     reason='differs from target_tenant; give one of them')
    if tenant is not None:
        return tenant, 'target_tenant'
    if project is not None:
        return project, 'target_project'
    return None


class RBACPoliciesController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        return routing.crud(f'{common.API_PATH}/rbac-policies', 'rbac_policy_id', self)

    def _check_wildcard(self, ctx: nl_context.RequestContext, rule: str, target: Any) -> None:
        if target == rbac.WILDCARD:
            self.authorizer.authorize(ctx, rule)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, rbac_schemas.RBAC_POLICY_CREATE, 'rbac_policy')
        project_id = common.requested_project(fields, ctx)
        self.authorizer.authorize(ctx, 'create_rbac_policy', project_id=project_id)
        target = _target(fields)
        if target is None:
            raise exception.InvalidInput(field='target_tenant', reason='is required')
        self._check_wildcard(ctx, 'create_rbac_policy:target_tenant', target[0])
        created = self._networks.create_rbac_policy(
            ctx, object_type=fields['object_type'], object_id=fields['object_id'],
            action=fields['action'], target_project=target[0], target_field=target[1],
            project_id=project_id)
        return wsgi.json_response(201, {'rbac_policy': created})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_rbac_policy')
        return common.list_response(
            self._deps, req, 'rbac_policies', 'rbac-policies',
            common.database_page(lambda *args: self._networks.page_rbac_policies(ctx, *args)),
            dict, RBAC_POLICIES)

    def show(self, req: wsgi.Request, rbac_policy_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_rbac_policy')
        return common.show_response(req, 'rbac_policy',
                                    self._networks.get_rbac_policy(ctx, rbac_policy_id))

    def update(self, req: wsgi.Request, rbac_policy_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, rbac_schemas.RBAC_POLICY_UPDATE, 'rbac_policy')
        current = self._networks.get_rbac_policy(ctx, rbac_policy_id)
        self.authorizer.authorize(ctx, 'update_rbac_policy', project_id=current['project_id'])
        target = _target(fields)
        if target is None:
            return wsgi.json_response(200, {'rbac_policy': current})
        self._check_wildcard(ctx, 'update_rbac_policy:target_tenant', target[0])
        updated = self._networks.update_rbac_policy(
            ctx, rbac_policy_id, target_project=target[0], target_field=target[1])
        return wsgi.json_response(200, {'rbac_policy': updated})

    def delete(self, req: wsgi.Request, rbac_policy_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_rbac_policy(ctx, rbac_policy_id)
        self.authorizer.authorize(ctx, 'delete_rbac_policy', project_id=current['project_id'])
        self._networks.delete_rbac_policy(ctx, rbac_policy_id)
        return wsgi.json_response(204)
