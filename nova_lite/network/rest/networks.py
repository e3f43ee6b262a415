"""/v2.0/networks: create, list, show, update, delete."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.network import segments
from nova_lite.network.rest import bulk, common, errors, listing, schemas, views

_UPDATABLE = {'name': 'name', 'admin_state_up': 'admin_state_up', 'mtu': 'mtu',
              'shared': 'shared', 'description': 'description'}
_EXTERNAL = {'router:external': 'router_external'}


def _manager_fields(fields: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The given attributes under the manager's names, ``mtu`` as an integer."""
    chosen = common.only(fields, names)
    if isinstance(chosen.get('mtu'), str):
        chosen['mtu'] = int(chosen['mtu'])  # the schema allowed digits only
    return chosen


_PROVIDER_KEYS = (*segments.PROVIDER_FIELDS, segments.SEGMENTS)


class NetworksController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        return routing.crud(f'{common.API_PATH}/networks', 'network_id', self)

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        body = req.read_json(required=True)
        if bulk.is_bulk(body, 'networks'):
            items = bulk.read_items(body, schemas.NETWORK_CREATE, 'network', 'networks')
            return bulk.response('networks', bulk.create_all(
                items, lambda fields: self._create_one(ctx, fields),
                lambda created: self._networks.delete_network(ctx, created['id'])))
        fields = common.body_fields(body, schemas.NETWORK_CREATE, 'network')
        return wsgi.json_response(201, {'network': self._create_one(ctx, fields)})

    def _create_one(self, ctx: nl_context.RequestContext,
                    fields: dict[str, Any]) -> dict[str, Any]:
        project_id = common.requested_project(fields, ctx)
        self.authorizer.authorize(ctx, 'create_network', project_id=project_id)
        if fields.get('shared'):
            self.authorizer.authorize(ctx, 'create_network:shared', project_id=project_id)
        if fields.get('router:external'):
            self.authorizer.authorize(ctx, 'create_network:router:external',
                                      project_id=project_id)
        for key in _PROVIDER_KEYS:
            if fields.get(key) is not None:
                self.authorizer.authorize(ctx, f'create_network:{key}', project_id=project_id)
        created = self._networks.create_network(
            ctx, project_id=project_id, provider_segments=segments.requested(fields),
            **_manager_fields(fields, _UPDATABLE | _EXTERNAL))
        return self._view(ctx, created)

    def _view(self, ctx: nl_context.RequestContext, item: dict[str, Any]) -> dict[str, Any]:
        """The network's body; provider attributes only for those the policy lets see
        them (admins, as in neutron)."""
        shown = views.network(item)
        for key in _PROVIDER_KEYS:
            if key in shown and not self.authorizer.allowed(
                    ctx, f'get_network:{key}', project_id=item['project_id']):
                del shown[key]
        return shown

    def _check_provider_unchanged(self, ctx: nl_context.RequestContext,
                                  current: dict[str, Any], fields: dict[str, Any]) -> None:
        """Provider attributes are fixed at create (neutron's ML2 refuses to change
        them): an update may only repeat them."""
        for key in _PROVIDER_KEYS:
            if key in fields:
                self.authorizer.authorize(ctx, f'update_network:{key}',
                                          project_id=current['project_id'])
                if fields[key] != current.get(key):
                    raise exception.InvalidInput(
                        field=key, reason='provider attributes cannot be updated')

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_network')
        return common.list_response(
            self._deps, req, 'networks', 'networks',
            common.database_page(lambda *args: self._networks.page_networks(ctx, *args)),
            lambda item: self._view(ctx, item), listing.NETWORKS)

    def show(self, req: wsgi.Request, network_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_network')
        return common.show_response(req, 'network',
                                    self._view(ctx, self._networks.get_network(ctx, network_id)))

    def update(self, req: wsgi.Request, network_id: str) -> webob.Response:
        ctx = req.context
        fields = common.read_body(req, schemas.NETWORK_UPDATE, 'network')
        current = self._networks.get_network(ctx, network_id)
        self.authorizer.authorize(ctx, 'update_network', project_id=current['project_id'])
        if 'shared' in fields:
            self.authorizer.authorize(ctx, 'update_network:shared',
                                      project_id=current['project_id'])
        if 'router:external' in fields:
            self.authorizer.authorize(ctx, 'update_network:router:external',
                                      project_id=current['project_id'])
        self._check_provider_unchanged(ctx, current, fields)
        updated = self._networks.update_network(
            ctx, network_id, **_manager_fields(fields, _UPDATABLE | _EXTERNAL))
        return wsgi.json_response(200, {'network': self._view(ctx, updated)})

    def delete(self, req: wsgi.Request, network_id: str) -> webob.Response:
        ctx = req.context
        current = self._networks.get_network(ctx, network_id)
        self.authorizer.authorize(ctx, 'delete_network', project_id=current['project_id'])
        try:
            self._networks.delete_network(ctx, network_id)
        except exception.Conflict as exc:
            raise errors.NetworkInUse(exc.message) from exc
        return wsgi.json_response(204)
