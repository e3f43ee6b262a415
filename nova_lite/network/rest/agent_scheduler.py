"""Neutron's dhcp_agent_scheduler and l3_agent_scheduler: which agent hosts what.

- ``GET /v2.0/networks/{id}/dhcp-agents``; ``GET|POST /v2.0/agents/{id}/dhcp-networks``
  (``{"network_id": ...}``); ``DELETE /v2.0/agents/{id}/dhcp-networks/{network_id}``.
- ``GET /v2.0/routers/{id}/l3-agents``; ``GET|POST /v2.0/agents/{id}/l3-routers``
  (``{"router_id": ...}``); ``DELETE /v2.0/agents/{id}/l3-routers/{router_id}``.

Every call is for admins (neutron's policy; any other caller gets a 403). A
POST answers 201 with an empty (``null``) body, as neutron does.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import filters, query, routing, validation, wsgi
from nova_lite.network import agent_hosting
from nova_lite.network.rest import common, views
from nova_lite.network.rest.schemas import UUID

_AGENTS = f'{common.API_PATH}/agents/{{agent_id}}'


def _id_body(key: str) -> dict[str, Any]:
    return {'type': 'object', 'additionalProperties': False, 'required': [key],
            'properties': {key: UUID}}


def _created() -> webob.Response:
    """Neutron's answer to a scheduling POST: 201 with a JSON null."""
    return webob.Response(status=201, body=b'null', content_type='application/json',
                          charset=None)


def _listed(req: wsgi.Request, collection: str, items: list[dict[str, Any]]) -> webob.Response:
    fields = filters.select_fields(query.decoded(req))
    return wsgi.json_response(200, {collection: [filters.project(item, fields)
                                                 for item in items]})


class AgentSchedulerController(common.NetworkController):
    def __init__(self, deps: common.Dependencies) -> None:
        super().__init__(deps)
        self._hosting = agent_hosting.AgentHosting(
            deps.networks.db, deps.networks.conf.network.agent_down_time)

    def routes(self) -> list[routing.Route]:
        return [
            ('GET', f'{common.API_PATH}/networks/{{network_id}}/dhcp-agents',
             self.dhcp_agents),
            ('GET', f'{_AGENTS}/dhcp-networks', self.dhcp_networks),
            ('POST', f'{_AGENTS}/dhcp-networks', self.add_network),
            ('DELETE', f'{_AGENTS}/dhcp-networks/{{network_id}}', self.remove_network),
            ('GET', f'{common.API_PATH}/routers/{{router_id}}/l3-agents', self.l3_agents),
            ('GET', f'{_AGENTS}/l3-routers', self.l3_routers),
            ('POST', f'{_AGENTS}/l3-routers', self.add_router),
            ('DELETE', f'{_AGENTS}/l3-routers/{{router_id}}', self.remove_router),
        ]

    # DHCP -------------------------------------------------------------------------

    def dhcp_agents(self, req: wsgi.Request, network_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_dhcp-agents')
        self._networks.get_network(ctx, network_id)  # a 404 for a missing network
        return _listed(req, 'agents', self._hosting.dhcp_agents_of(network_id))

    def dhcp_networks(self, req: wsgi.Request, agent_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_dhcp-networks')
        ids = self._hosting.network_ids_of(agent_id)
        networks = self._networks.page_networks(ctx, [('id', ids)]).items if ids else []
        return _listed(req, 'networks', [views.network(item) for item in networks])

    def add_network(self, req: wsgi.Request, agent_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'create_dhcp-network')
        body = req.read_json(required=True)
        validation.validate(_id_body('network_id'), body)
        self._hosting.add_network(agent_id, body['network_id'])
        return _created()

    def remove_network(self, req: wsgi.Request, agent_id: str,
                       network_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'delete_dhcp-network')
        self._hosting.remove_network(agent_id, network_id)
        return wsgi.json_response(204)

    # L3 ---------------------------------------------------------------------------

    def l3_agents(self, req: wsgi.Request, router_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_l3-agents')
        self._networks.get_router(ctx, router_id)  # a 404 for a missing router
        return _listed(req, 'agents', self._hosting.l3_agents_of(router_id))

    def l3_routers(self, req: wsgi.Request, agent_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'get_l3-routers')
        ids = self._hosting.router_ids_of(agent_id)
        routers = self._networks.page_routers(ctx, [('id', ids)]).items if ids else []
        return _listed(req, 'routers', [views.router(item) for item in routers])

    def add_router(self, req: wsgi.Request, agent_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'create_l3-router')
        body = req.read_json(required=True)
        validation.validate(_id_body('router_id'), body)
        self._hosting.add_router(agent_id, body['router_id'])
        return _created()

    def remove_router(self, req: wsgi.Request, agent_id: str,
                      router_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'delete_l3-router')
        self._hosting.remove_router(agent_id, router_id)
        return wsgi.json_response(204)
