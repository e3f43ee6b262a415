"""``/flavors/{flavor_id}/os-flavor-access`` and the addTenantAccess/removeTenantAccess
actions: which projects may see and boot a private flavor (admins manage it)."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import admin_policies, base, policies

_tenant: dict[str, Any] = {
    'type': 'object',
    'properties': {'tenant': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
    'required': ['tenant'], 'additionalProperties': False,
}
action_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'addTenantAccess': _tenant, 'removeTenantAccess': _tenant},
    'minProperties': 1, 'maxProperties': 1, 'additionalProperties': False,
}


def _access_list(flavor_id: str, projects: list[str]) -> dict[str, Any]:
    return {'flavor_access': [{'flavor_id': flavor_id, 'tenant_id': project}
                              for project in projects]}


class FlavorAccessHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._api = rest.services.compute_api
        self._store = rest.services.admin_stores.flavor_access

    def routes(self) -> list[routing.Route]:
        return [('GET', '/flavors/{flavor_id}/os-flavor-access', self.index),
                ('POST', '/flavors/{flavor_id}/action', self.action)]

    def index(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, policies.FLAVOR_ACCESS)
        flavor = self._api.get_flavor(req.context, flavor_id)
        if flavor['is_public']:
            raise exception.NotFound(
                message=f'Access list not available for public flavor {flavor_id}.')
        return wsgi.json_response(200, _access_list(flavor['id'],
                                                    self._store.projects(flavor['id'])))

    def action(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        body = controller.read_body(req, action_request)
        if 'addTenantAccess' in body:
            self.authorizer.authorize(req.context, admin_policies.FLAVOR_ACCESS_ADD)
            projects = self._store.add(flavor_id, body['addTenantAccess']['tenant'])
        else:
            self.authorizer.authorize(req.context, admin_policies.FLAVOR_ACCESS_REMOVE)
            projects = self._store.remove(flavor_id, body['removeTenantAccess']['tenant'])
        return wsgi.json_response(200, _access_list(flavor_id, projects))
