"""``/flavors``: list and show for everyone with a token; create and delete for admins."""

from __future__ import annotations

import re
from typing import Any

import webob

from nova_lite.api import controller, paging, query, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import (
    base,
    policies,
    query_params,
    request_bodies,
    schemas,
    version_changes,
    versioned_views,
    views,
)
from nova_lite.compute.rest.api_version import api_version


def _is_public(value: str | None) -> bool | None:
    """The ``is_public`` filter (admins'): absent is True, 'none' is every flavor."""
    if value is None:
        return True
    if value.strip().lower() == 'none':
        return None
    if value.strip().lower() in schemas.TRUE_WORDS:
        return True
    if value.strip().lower() in schemas.FALSE_WORDS:
        return False
    raise exception.InvalidInput(field='is_public', reason=f'invalid filter {value!r}')


# sort_key -> the flavor field it sorts by (Nova's column names).
_SORT_FIELDS = {'flavorid': 'id', 'ephemeral_gb': 'ephemeral_gb', 'memory_mb': 'memory_mb',
                'root_gb': 'root_gb', 'vcpus': 'vcpus', 'name': 'name', 'swap': 'swap',
                'is_public': 'is_public', 'disabled': 'disabled', 'description': 'description',
                'rxtx_factor': 'rxtx_factor', 'created_at': 'created_at',
                'updated_at': 'updated_at', 'id': 'id', 'vcpu_weight': 'vcpu_weight'}


def _name_pattern(value: str) -> re.Pattern[str]:
    try:
        return re.compile(value)
    except re.error as exc:
        raise exception.InvalidInput(field='name',
                                     reason=f'not a regular expression: {exc}') from exc


def _sorted(flavors: list[dict[str, Any]], sort_key: str,
            sort_dir: str) -> list[dict[str, Any]]:
    field = _SORT_FIELDS[sort_key]

    def key(flavor: dict[str, Any]) -> tuple[bool, str]:
        value = flavor.get(field)
        # Numbers sort as numbers (zero-padded), None first, as SQL orders them.
        text = f'{value:020.6f}' if isinstance(value, int | float) else str(value or '')
        return (value is not None, text)

    return sorted(flavors, key=key, reverse=sort_dir == 'desc')


class FlavorsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._api = rest.services.compute_api

    def routes(self) -> list[routing.Route]:
        return [
            ('GET', '/flavors/detail', self.detail),  # before /flavors/{flavor_id}
            *routing.crud('/flavors', 'flavor_id', self),
        ]

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        body = controller.read_body(req, request_bodies.flavor_create_request(api_version(req)))
        self.authorizer.authorize(ctx, policies.FLAVORS_CREATE)
        flavor = self._api.add_flavor(ctx, body['flavor'])
        return wsgi.json_response(200, {'flavor': self._detail(req, flavor)})

    def update(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        """``PUT /flavors/{id}`` (2.55): the description, a flavor's one changeable field."""
        ctx = req.context
        if api_version(req) < version_changes.FLAVOR_DESCRIPTION:
            raise exception.NotFound(message='PUT /flavors/{flavor_id} needs microversion '
                                             '2.55 or later.')
        body = controller.read_body(req, request_bodies.flavor_update_request)
        self.authorizer.authorize(ctx, policies.FLAVORS_UPDATE)
        flavor = self._api.update_flavor_description(ctx, flavor_id,
                                                     body['flavor']['description'])
        return wsgi.json_response(200, {'flavor': self._detail(req, flavor)})

    def _detail(self, req: wsgi.Request, flavor: dict[str, Any]) -> dict[str, Any]:
        return versioned_views.flavor(views.flavor_detail(flavor, self._rest.links), flavor,
                                      api_version(req), detail=True)

    def _brief(self, req: wsgi.Request, flavor: dict[str, Any]) -> dict[str, Any]:
        return versioned_views.flavor(views.flavor_brief(flavor, self._rest.links), flavor,
                                      api_version(req), detail=False)

    def _listed(self, req: wsgi.Request, path: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        ctx = req.context
        named = api_version(req) >= version_changes.FLAVOR_NAME_FILTER
        params = query_params.read(req, schemas.flavors_query_2_102 if named
                                   else schemas.flavors_query)
        request = paging.page_request(params, paging.NOVA_PAGING)
        self.authorizer.authorize(ctx, policies.FLAVORS_READ)
        flavors = self._api.list_flavors(
            ctx, min_ram=query.parse_int(params.get('minRam', '0'), 'minRam'),
            min_disk=query.parse_int(params.get('minDisk', '0'), 'minDisk'),
            is_public=_is_public(params.get('is_public')))
        if 'name' in params:
            pattern = _name_pattern(params['name'])
            flavors = [flavor for flavor in flavors if pattern.search(flavor['name'])]
        if 'sort_key' in params or 'sort_dir' in params:
            flavors = _sorted(flavors, params.get('sort_key', 'flavorid'),
                              params.get('sort_dir', 'asc'))
        page = paging.paginate(flavors, request)
        links = paging.links(page, f'{self._rest.links.base_url}{path}', limit=request.limit)
        return page.items, ({'flavors_links': links} if links else {})

    def index(self, req: wsgi.Request) -> webob.Response:
        page, extra = self._listed(req, '/flavors')
        return wsgi.json_response(200, {
            'flavors': [self._brief(req, f) for f in page], **extra})

    def detail(self, req: wsgi.Request) -> webob.Response:
        page, extra = self._listed(req, '/flavors/detail')
        return wsgi.json_response(200, {
            'flavors': [self._detail(req, f) for f in page], **extra})

    def show(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, policies.FLAVORS_READ)
        flavor = self._api.get_flavor(req.context, flavor_id)
        return wsgi.json_response(200, {'flavor': self._detail(req, flavor)})

    def delete(self, req: wsgi.Request, flavor_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, policies.FLAVORS_DELETE)
        self._api.delete_flavor(req.context, flavor_id)
        return wsgi.json_response(202)
