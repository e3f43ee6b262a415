"""/v2.0/security-groups and /v2.0/security-group-rules, as neutron serves them.

The rules themselves (what is valid, the default group, what is in use) are
the network manager's; here are the bodies, the filters and the policy.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import filters, query, routing, wsgi
from nova_lite.network.rest import common, listing
from nova_lite.network.rest import sg_schemas as schemas

_BOOLEAN = filters.boolean(query.NEUTRON_BOOLEAN)

GROUP_FILTERS = {
    'id': filters.Filter('id'), 'name': filters.Filter('name'), **listing.PROJECT,
    'description': filters.Filter('description'),
    'stateful': filters.Filter('stateful', _BOOLEAN),
    'revision_number': filters.Filter('revision_number', filters.integer),
    **listing.TAGS,
}
RULE_FILTERS = {
    **{key: filters.Filter(key) for key in (
        'id', 'security_group_id', 'direction', 'ethertype', 'protocol', 'remote_group_id',
        'description')},
    'port_range_min': filters.Filter('port_range_min', filters.integer),
    'port_range_max': filters.Filter('port_range_max', filters.integer),
    'remote_ip_prefix': filters.Filter('remote_ip_prefix'),
    'revision_number': filters.Filter('revision_number', filters.integer),
    **listing.PROJECT,
}
_RULE_ATTRIBUTES = ('direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max',
                    'remote_ip_prefix', 'remote_group_id')


def _same(item: dict[str, Any]) -> dict[str, Any]:
    return item


class SecurityGroupsController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        return routing.crud(f'{common.API_PATH}/security-groups', 'security_group_id', self)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.GROUP_CREATE, 'security_group')
        project_id = common.requested_project(fields, ctx)
        self.authorizer.authorize(ctx, 'create_security_group', project_id=project_id)
        created = self._networks.create_security_group(
            ctx, project_id=project_id,
            **common.only(fields, {'name': 'name', 'description': 'description',
                                   'stateful': 'stateful'}))
        return wsgi.json_response(201, {'security_group': created})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_security_group')
        return common.list_response(
            self._deps, req, 'security_groups', 'security-groups',
            common.database_page(
                lambda *args: self._networks.page_security_groups(ctx, *args)),
            _same, GROUP_FILTERS)

    def show(self, req: wsgi.Request, security_group_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_security_group')
        return common.show_response(
            req, 'security_group', self._networks.get_security_group(ctx, security_group_id))

    def update(self, req: wsgi.Request, security_group_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.GROUP_UPDATE, 'security_group')
        current = self._networks.get_security_group(ctx, security_group_id)
        self.authorizer.authorize(ctx, 'update_security_group',
                                  project_id=current['project_id'])
        updated = self._networks.update_security_group(
            ctx, security_group_id,
            **common.only(fields, {'name': 'name', 'description': 'description'}))
        return wsgi.json_response(200, {'security_group': updated})

    def delete(self, req: wsgi.Request, security_group_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_security_group(ctx, security_group_id)
        self.authorizer.authorize(ctx, 'delete_security_group',
                                  project_id=current['project_id'])
        self._networks.delete_security_group(ctx, security_group_id)
        return wsgi.json_response(204)


class SecurityGroupRulesController(common.NetworkController):
    """Rules are created and deleted, never updated (neutron has no PUT for them)."""

    def routes(self) -> list[routing.Route]:
        return routing.crud(f'{common.API_PATH}/security-group-rules',
                            'security_group_rule_id', self)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.RULE_CREATE, 'security_group_rule')
        group = self._networks.get_security_group(ctx, fields['security_group_id'])
        self.authorizer.authorize(ctx, 'create_security_group_rule',
                                  project_id=group['project_id'])
        created = self._networks.create_security_group_rule(
            ctx, fields['security_group_id'], description=fields.get('description') or '',
            **{key: fields[key] for key in _RULE_ATTRIBUTES if key in fields})
        return wsgi.json_response(201, {'security_group_rule': created})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_security_group_rule')
        return common.list_response(
            self._deps, req, 'security_group_rules', 'security-group-rules',
            common.database_page(
                lambda *args: self._networks.page_security_group_rules(ctx, *args)),
            _same, RULE_FILTERS)

    def show(self, req: wsgi.Request, security_group_rule_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_security_group_rule')
        return common.show_response(
            req, 'security_group_rule',
            self._networks.get_security_group_rule(ctx, security_group_rule_id))

    def delete(self, req: wsgi.Request, security_group_rule_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_security_group_rule(ctx, security_group_rule_id)
        self.authorizer.authorize(ctx, 'delete_security_group_rule',
                                  project_id=current['project_id'])
        self._networks.delete_security_group_rule(ctx, security_group_rule_id)
        return wsgi.json_response(204)
