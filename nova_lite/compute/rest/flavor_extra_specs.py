"""``/flavors/{flavor_id}/os-extra_specs``: read by anyone who sees the flavor, changed by admins.

From microversion 2.86 the keys of known namespaces are validated
(:func:`nova_lite.compute.flavor_extra_specs.validate_known`).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute import flavor_extra_specs
from nova_lite.compute.rest import admin_policies, base, version_changes
from nova_lite.compute.rest.api_version import api_version

_specs: dict[str, Any] = {'type': 'object', 'minProperties': 1}
create_request: dict[str, Any] = {
    'type': 'object', 'properties': {'extra_specs': _specs},
    'required': ['extra_specs'], 'additionalProperties': False,
}


class FlavorExtraSpecsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._api = rest.services.compute_api
        self._store = rest.services.admin_stores.flavor_extra_specs

    def routes(self) -> list[routing.Route]:
        path = '/flavors/{flavor_id}/os-extra_specs'
        return [('GET', path, self.index), ('POST', path, self.create),
                ('GET', path + '/{key}', self.show), ('PUT', path + '/{key}', self.update),
                ('DELETE', path + '/{key}', self.delete)]

    def _visible(self, req: wsgi.Request, flavor_id: str) -> None:
        """404 unless the caller may see the flavor (a private one: admins, granted projects)."""
        self._api.get_flavor(req.context, flavor_id)

    def _checked(self, req: wsgi.Request, specs: dict[str, Any]) -> dict[str, str]:
        checked = flavor_extra_specs.validate_basic(specs)
        if api_version(req) >= version_changes.FLAVOR_SPECS_VALIDATED:
            flavor_extra_specs.validate_known(checked)
        return checked

    def index(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.FLAVOR_EXTRA_SPECS_INDEX)
        self._visible(req, flavor_id)
        return wsgi.json_response(200, {'extra_specs': self._store.get_all(flavor_id)})

    def show(self, req: wsgi.Request, flavor_id: str, key: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.FLAVOR_EXTRA_SPECS_SHOW)
        self._visible(req, flavor_id)
        return wsgi.json_response(200, {key: self._store.get(flavor_id, key)})

    def create(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.FLAVOR_EXTRA_SPECS_CREATE)
        body = controller.read_body(req, create_request)
        specs = self._checked(req, body['extra_specs'])
        self._store.update(flavor_id, specs)
        return wsgi.json_response(200, {'extra_specs': specs})

    def update(self, req: wsgi.Request, flavor_id: str, key: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.FLAVOR_EXTRA_SPECS_UPDATE)
        body = controller.read_body(req, {'type': 'object', 'minProperties': 1,
                                          'maxProperties': 1})
        if key not in body:
            raise exception.Invalid(message='Request body and URI mismatch')
        specs = self._checked(req, body)
        self._store.update(flavor_id, specs)
        return wsgi.json_response(200, specs)

    def delete(self, req: wsgi.Request, flavor_id: str, key: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.FLAVOR_EXTRA_SPECS_DELETE)
        self._store.delete(flavor_id, key)
        return wsgi.json_response(200)
