"""The network API over HTTP (the methods of :class:`protocols.NetworkClient`)."""

from __future__ import annotations

from typing import Any, cast

from nova_lite.clients import http_base, payloads
from nova_lite.common import context as nl_context


class NetworkClient(http_base.RestClient):
    service_type = 'network'
    service_name = 'network'

    @staticmethod
    def _port_body(fields: dict[str, Any]) -> dict[str, Any]:
        body = {key: value for key, value in fields.items() if value is not None}
        if 'binding_host_id' in body:
            body['binding:host_id'] = body.pop('binding_host_id')
        return {'port': body}

    def get_network(self, ctx: nl_context.RequestContext,
                    network_id: str) -> payloads.Network:
        return cast(payloads.Network,
                    self._json(ctx, 'GET', f'/v2.0/networks/{network_id}')['network'])

    def list_networks(self, ctx: nl_context.RequestContext) -> list[payloads.Network]:
        return cast(list[payloads.Network], self._json(ctx, 'GET', '/v2.0/networks')['networks'])

    def get_port(self, ctx: nl_context.RequestContext, port_id: str) -> payloads.Port:
        return cast(payloads.Port, self._json(ctx, 'GET', f'/v2.0/ports/{port_id}')['port'])

    def list_ports(self, ctx: nl_context.RequestContext,
                   **filters: Any) -> list[payloads.Port]:
        params = {key: value for key, value in filters.items() if value is not None}
        return cast(list[payloads.Port],
                    self._json(ctx, 'GET', '/v2.0/ports', params=params)['ports'])

    def create_port(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Port:
        return cast(payloads.Port, self._json(ctx, 'POST', '/v2.0/ports',
                                              json=self._port_body(fields))['port'])

    def update_port(self, ctx: nl_context.RequestContext, port_id: str,
                    **changes: Any) -> payloads.Port:
        return cast(payloads.Port, self._json(ctx, 'PUT', f'/v2.0/ports/{port_id}',
                                              json=self._port_body(changes))['port'])

    def delete_port(self, ctx: nl_context.RequestContext, port_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2.0/ports/{port_id}')

    def list_security_groups(self, ctx: nl_context.RequestContext,
                             **filters: Any) -> list[dict[str, Any]]:
        params = {key: value for key, value in filters.items() if value is not None}
        return cast(list[dict[str, Any]], self._json(
            ctx, 'GET', '/v2.0/security-groups', params=params)['security_groups'])

    def get_security_group(self, ctx: nl_context.RequestContext,
                           group_id: str) -> dict[str, Any]:
        return cast(dict[str, Any], self._json(
            ctx, 'GET', f'/v2.0/security-groups/{group_id}')['security_group'])

    def create_security_group(self, ctx: nl_context.RequestContext,
                              **fields: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self._json(
            ctx, 'POST', '/v2.0/security-groups',
            json={'security_group': fields})['security_group'])

    def update_security_group(self, ctx: nl_context.RequestContext, group_id: str,
                              **changes: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self._json(
            ctx, 'PUT', f'/v2.0/security-groups/{group_id}',
            json={'security_group': changes})['security_group'])

    def delete_security_group(self, ctx: nl_context.RequestContext, group_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2.0/security-groups/{group_id}')

    def create_security_group_rule(self, ctx: nl_context.RequestContext,
                                   **fields: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self._json(
            ctx, 'POST', '/v2.0/security-group-rules',
            json={'security_group_rule': fields})['security_group_rule'])

    def delete_security_group_rule(self, ctx: nl_context.RequestContext,
                                   rule_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2.0/security-group-rules/{rule_id}')
    def list_floatingips(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.FloatingIP]:
        params = {key: value for key, value in filters.items() if value is not None}
        return cast(list[payloads.FloatingIP], self._json(
            ctx, 'GET', '/v2.0/floatingips', params=params)['floatingips'])

    def get_floatingip(self, ctx: nl_context.RequestContext,
                       floatingip_id: str) -> payloads.FloatingIP:
        return cast(payloads.FloatingIP, self._json(
            ctx, 'GET', f'/v2.0/floatingips/{floatingip_id}')['floatingip'])

    def create_floatingip(self, ctx: nl_context.RequestContext,
                          **fields: Any) -> payloads.FloatingIP:
        return cast(payloads.FloatingIP, self._json(
            ctx, 'POST', '/v2.0/floatingips', json={'floatingip': fields})['floatingip'])

    def update_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str,
                          **changes: Any) -> payloads.FloatingIP:
        return cast(payloads.FloatingIP, self._json(
            ctx, 'PUT', f'/v2.0/floatingips/{floatingip_id}',
            json={'floatingip': changes})['floatingip'])

    def delete_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2.0/floatingips/{floatingip_id}')
