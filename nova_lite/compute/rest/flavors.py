"""``/flavors``: list and show for everyone with a token; create and delete for admins."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import validation, wsgi
from nova_lite.common import exception
from nova_lite.compute import schemas as body_schemas
from nova_lite.compute.rest import base, policies, schemas, views


class FlavorsHandler:
    def __init__(self, rest: base.ComputeRest) -> None:
        self._rest = rest
        self._api = rest.services.compute_api

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        body = req.read_json()
        validation.validate(body_schemas.flavor_create_request, body)
        self._rest.authorize(ctx, policies.FLAVORS_CREATE)
        flavor = self._api.create_flavor(ctx, body['flavor'])
        return wsgi.json_response(200, {'flavor': views.flavor_detail(flavor,
                                                                      self._rest.links)})

    def _listed(self, req: wsgi.Request, path: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        ctx = req.context
        params = base.query(req, schemas.flavors_query)
        self._rest.authorize(ctx, policies.FLAVORS_READ)
        flavors = self._api.list_flavors(ctx, min_ram=int(params.get('minRam', 0)),
                                         min_disk=int(params.get('minDisk', 0)))
        page, links = base.paginate(flavors, params, f'{self._rest.links.base_url}{path}')
        return page, ({'flavors_links': links} if links else {})

    def index(self, req: wsgi.Request) -> webob.Response:
        page, extra = self._listed(req, '/flavors')
        return wsgi.json_response(200, {
            'flavors': [views.flavor_brief(f, self._rest.links) for f in page], **extra})

    def detail(self, req: wsgi.Request) -> webob.Response:
        page, extra = self._listed(req, '/flavors/detail')
        return wsgi.json_response(200, {
            'flavors': [views.flavor_detail(f, self._rest.links) for f in page], **extra})

    def show(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        self._rest.authorize(req.context, policies.FLAVORS_READ)
        flavor = self._api.get_flavor(req.context, flavor_id)
        return wsgi.json_response(200, {'flavor': views.flavor_detail(flavor,
                                                                      self._rest.links)})

    def delete(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        self._rest.authorize(req.context, policies.FLAVORS_DELETE)
        self._api.delete_flavor(req.context, flavor_id)
        return wsgi.json_response(202)

    def extra_specs(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        self._rest.authorize(req.context, policies.FLAVORS_READ)
        flavor = self._api.get_flavor(req.context, flavor_id)
        return wsgi.json_response(200, {'extra_specs': dict(flavor['extra_specs'])})

    def access(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        """Private flavors are the admins' alone here: no project is granted one."""
        self._rest.authorize(req.context, policies.FLAVOR_ACCESS)
        flavor = self._api.get_flavor(req.context, flavor_id)
        if flavor['is_public']:
            raise exception.NotFound(
                message=f'Access list not available for public flavor {flavor_id}.')
        return wsgi.json_response(200, {'flavor_access': []})
