"""/v2.0/subnetpools (with add_prefixes and remove_prefixes), and how a subnet
create body asks for a pool."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import filters, query, routing, validation, wsgi
from nova_lite.common import exception
from nova_lite.network import subnet_allocation
from nova_lite.network.rest import common, listing
from nova_lite.network.rest import subnetpool_schemas as schemas

_BOOLEAN = filters.boolean(query.NEUTRON_BOOLEAN)

POOL_FILTERS = {
    'id': filters.Filter('id'), 'name': filters.Filter('name'), **listing.PROJECT,
    'description': filters.Filter('description'),
    'ip_version': filters.Filter('ip_version', filters.integer),
    **{key: filters.Filter(key, filters.integer) for key in (
        'default_prefixlen', 'min_prefixlen', 'max_prefixlen', 'default_quota')},
    'shared': filters.Filter('shared', _BOOLEAN),
    'is_default': filters.Filter('is_default', _BOOLEAN),
    'address_scope_id': filters.Filter('address_scope_id'),
    **listing.TAGS,
}
_UPDATABLE = {key: key for key in (
    'name', 'description', 'prefixes', 'default_prefixlen', 'min_prefixlen', 'max_prefixlen',
    'default_quota', 'is_default', 'address_scope_id')}


def pool_request(fields: dict[str, Any]) -> subnet_allocation.PoolRequest | None:
    """The pool a subnet create body asks for (``subnetpool_id`` or
    ``use_default_subnetpool``), None when it asks for none."""
    pool_id = fields.get('subnetpool_id')
    use_default = fields.get('use_default_subnetpool', False)
    if pool_id is not None and use_default:
        raise exception.InvalidInput(
            field='use_default_subnetpool',
            reason='subnetpool_id and use_default_subnetpool cannot both be given')
    prefixlen = fields.get('prefixlen')
    if prefixlen is not None and fields.get('cidr') is not None:
        raise exception.InvalidInput(field='prefixlen',
                                     reason='cidr and prefixlen must not be given together')
    if pool_id is None and not use_default:
        if prefixlen is not None:
            raise exception.InvalidInput(field='prefixlen',
                                         reason='is only for a subnet from a subnet pool')
        return None
    ip_version = int(fields['ip_version']) if 'ip_version' in fields else None
    if use_default and ip_version is None:
        ip_version = 4
    return subnet_allocation.PoolRequest(
        subnetpool_id=pool_id, ip_version=ip_version,
        prefixlen=int(prefixlen) if prefixlen is not None else None, cidr=fields.get('cidr'))


def _same(item: dict[str, Any]) -> dict[str, Any]:
    return item


class SubnetPoolsController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        member = f'{common.API_PATH}/subnetpools/{{subnetpool_id}}'
        return [*routing.crud(f'{common.API_PATH}/subnetpools', 'subnetpool_id', self),
                ('PUT', f'{member}/add_prefixes', self.add_prefixes),
                ('PUT', f'{member}/remove_prefixes', self.remove_prefixes)]

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.SUBNETPOOL_CREATE, 'subnetpool')
        project_id = common.requested_project(fields, ctx)
        self.authorizer.authorize(ctx, 'create_subnetpool', project_id=project_id)
        for flag in ('shared', 'is_default'):
            if fields.get(flag):
                self.authorizer.authorize(ctx, f'create_subnetpool:{flag}',
                                          project_id=project_id)
        created = self._networks.create_subnetpool(
            ctx, project_id=project_id,
            **common.only(fields, {**_UPDATABLE, 'shared': 'shared'}))
        return wsgi.json_response(201, {'subnetpool': created})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_subnetpool')
        return common.list_response(
            self._deps, req, 'subnetpools', 'subnetpools',
            common.database_page(lambda *args: self._networks.page_subnetpools(ctx, *args)),
            _same, POOL_FILTERS)

    def show(self, req: wsgi.Request, subnetpool_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_subnetpool')
        return common.show_response(req, 'subnetpool',
                                    self._networks.get_subnetpool(ctx, subnetpool_id))

    def update(self, req: wsgi.Request, subnetpool_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.SUBNETPOOL_UPDATE, 'subnetpool')
        current = self._networks.get_subnetpool(ctx, subnetpool_id)
        self.authorizer.authorize(ctx, 'update_subnetpool', project_id=current['project_id'])
        if 'is_default' in fields:
            self.authorizer.authorize(ctx, 'update_subnetpool:is_default',
                                      project_id=current['project_id'])
        updated = self._networks.update_subnetpool(ctx, subnetpool_id,
                                                   **common.only(fields, _UPDATABLE))
        return wsgi.json_response(200, {'subnetpool': updated})

    def delete(self, req: wsgi.Request, subnetpool_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_subnetpool(ctx, subnetpool_id)
        self.authorizer.authorize(ctx, 'delete_subnetpool', project_id=current['project_id'])
        self._networks.delete_subnetpool(ctx, subnetpool_id)
        return wsgi.json_response(204)

    def _prefix_op(self, req: wsgi.Request, subnetpool_id: str, action: str) -> webob.Response:
        ctx = req.context
        body = req.read_json(required=True)
        validation.validate(schemas.PREFIX_OPS, body)
        current = self._networks.get_subnetpool(ctx, subnetpool_id)
        self.authorizer.authorize(ctx, action, project_id=current['project_id'])
        method = (self._networks.add_subnetpool_prefixes if action == 'add_prefixes'
                  else self._networks.remove_subnetpool_prefixes)
        return wsgi.json_response(200, {'prefixes': method(ctx, subnetpool_id,
                                                           body['prefixes'])})

    def add_prefixes(self, req: wsgi.Request, subnetpool_id: str) -> webob.Response:
        return self._prefix_op(req, subnetpool_id, 'add_prefixes')

    def remove_prefixes(self, req: wsgi.Request, subnetpool_id: str) -> webob.Response:
        return self._prefix_op(req, subnetpool_id, 'remove_prefixes')
