"""``/servers/{id}/ips``: a server's addresses by network label, from its network_info."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import base, policies, views


def _plain(addresses: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Nova's ips view: each address's version and addr only (no OS-EXT-IPS keys)."""
    return {label: [{'version': entry['version'], 'addr': entry['addr']} for entry in entries]
            for label, entries in addresses.items()}


class ServerIpsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._api = rest.services.compute_api

    def routes(self) -> list[routing.Route]:
        return [
            ('GET', '/servers/{server_id}/ips', self.index),
            ('GET', '/servers/{server_id}/ips/{network_label}', self.show),
        ]

    def _addresses(self, req: wsgi.Request, server_id: str,
                   rule: str) -> dict[str, list[dict[str, Any]]]:
        instance = self._api.get_server(req.context, server_id)
        self.authorizer.authorize(req.context, rule, project_id=instance['project_id'])
        return _plain(views.addresses(instance['network_info']))

    def index(self, req: wsgi.Request, server_id: str) -> webob.Response:
        return wsgi.json_response(200, {'addresses': self._addresses(req, server_id,
                                                                     policies.IPS_INDEX)})

    def show(self, req: wsgi.Request, server_id: str, network_label: str) -> webob.Response:
        addresses = self._addresses(req, server_id, policies.IPS_SHOW)
        if network_label not in addresses:
            raise exception.NotFound(
                message=f'Instance is not a member of specified network {network_label}')
        return wsgi.json_response(200, {network_label: addresses[network_label]})
