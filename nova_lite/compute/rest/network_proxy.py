"""``/os-networks`` and ``/os-tenant-networks``: nova's network proxies (2.1 to 2.35;
404 from 2.36).

List and show read the network service with the caller's token, in nova's
view of a neutron network (``label`` is the name; the nova-network fields
are null). Creating, deleting and associating networks were nova-network's:
they answer 410 Gone, as nova does since nova-network left.

``/os-tenant-networks`` lists the networks the caller sees as ``id``,
``label`` and a ``cidr`` that is the string ``"None"``: nova has answered
that since neutron replaced nova-network, and clients' schemas expect it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import base, version_changes
from nova_lite.compute.rest import proxy_policies as policies

_NOVA_NETWORK_FIELDS = (
    'bridge', 'bridge_interface', 'broadcast', 'cidr', 'cidr_v6', 'created_at', 'deleted',
    'deleted_at', 'dhcp_server', 'dhcp_start', 'dns1', 'dns2', 'enable_dhcp', 'gateway',
    'gateway_v6', 'host', 'injected', 'multi_host', 'netmask', 'netmask_v6', 'priority',
    'rxtx_base', 'share_address', 'updated_at', 'vlan', 'vpn_private_address',
    'vpn_public_address', 'vpn_public_port')


class Gone(exception.NovaLiteError):
    msg_fmt = 'This API was nova-network\'s and is no longer available.'
    code = 410


def network_view(network: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = dict.fromkeys(_NOVA_NETWORK_FIELDS)
    body.update({'id': network['id'], 'label': network.get('name') or '',
                 'project_id': network.get('project_id'), 'mtu': network.get('mtu')})
    return body


def tenant_network_view(network: Mapping[str, Any]) -> dict[str, Any]:
    return {'id': network['id'], 'cidr': 'None', 'label': network.get('name') or ''}


class NetworkProxyHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._networks = rest.services.network_proxy

    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-networks', self.index),
                ('POST', '/os-networks', self.gone),
                ('POST', '/os-networks/add', self.gone),
                ('GET', '/os-networks/{network_id}', self.show),
                ('DELETE', '/os-networks/{network_id}', self.gone_member),
                ('POST', '/os-networks/{network_id}/action', self.gone_member),
                ('GET', '/os-tenant-networks', self.tenant_index),
                ('POST', '/os-tenant-networks', self.gone),
                ('GET', '/os-tenant-networks/{network_id}', self.tenant_show),
                ('DELETE', '/os-tenant-networks/{network_id}', self.gone_member)]

    def _allowed(self, req: wsgi.Request, rule: str) -> None:
        base.removed_at(req, version_changes.PROXY_APIS_REMOVED)
        self.authorizer.authorize(req.context, rule)

    def index(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.NETWORKS_VIEW)
        return wsgi.json_response(200, {'networks': [
            network_view(n) for n in self._networks.list_networks(req.context)]})

    def show(self, req: wsgi.Request, network_id: str) -> webob.Response:
        self._allowed(req, policies.NETWORKS_VIEW)
        return wsgi.json_response(200, {
            'network': network_view(self._networks.get_network(req.context, network_id))})

    def tenant_index(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.TENANT_NETWORKS_LIST)
        return wsgi.json_response(200, {'networks': [
            tenant_network_view(n) for n in self._networks.list_networks(req.context)]})

    def tenant_show(self, req: wsgi.Request, network_id: str) -> webob.Response:
        self._allowed(req, policies.TENANT_NETWORKS_SHOW)
        return wsgi.json_response(200, {'network': tenant_network_view(
            self._networks.get_network(req.context, network_id))})

    def gone(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.NETWORKS_MANAGE)
        raise Gone()

    def gone_member(self, req: wsgi.Request, network_id: str) -> webob.Response:
        return self.gone(req)
