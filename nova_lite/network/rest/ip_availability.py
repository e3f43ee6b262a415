"""/v2.0/network-ip-availabilities: list and show the address usage of networks.

For admins by default (``get_network_ip_availability``); as in neutron, a caller
the policy refuses gets an empty list and a 404 on a show, never a 403.
Filters: ``network_id``, ``network_name``, ``project_id`` (``tenant_id``) and
``ip_version``.
"""

from __future__ import annotations

import operator
from typing import Any

import webob

from nova_lite.api import filters, query, routing, wsgi
from nova_lite.network.rest import common, errors, sorting

AVAILABILITY_FILTERS = {
    'network_id': filters.Filter('network_id'), 'network_name': filters.Filter('network_name'),
    'project_id': filters.Filter('project_id'), 'tenant_id': filters.Filter('project_id'),
    'ip_version': filters.Filter('ip_version', filters.integer),
}
# Computed from the IPAM tables per network: sorted in memory (neutron emulates it too).
AVAILABILITY_SORT_KEYS = {key: operator.itemgetter(key) for key in (
    'network_id', 'network_name', 'project_id', 'tenant_id', 'total_ips', 'used_ips')}


class IPAvailabilityController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        collection = f'{common.API_PATH}/network-ip-availabilities'
        return [('GET', collection, self.index),
                ('GET', f'{collection}/{{network_id}}', self.show)]

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        params = query.decoded(req)
        common.check_filter_names(params.keys(), AVAILABILITY_FILTERS)
        if not self.authorizer.allowed(ctx, 'get_network_ip_availability'):
            return wsgi.json_response(200, {'network_ip_availabilities': []})
        chosen: dict[str, list[Any]] = {}
        for want in filters.parse_filters(params, AVAILABILITY_FILTERS):
            chosen.setdefault(want.key, []).extend(want.values)
        found = self._networks.network_ip_availabilities(
            ctx, network_ids=chosen.get('network_id'),
            network_names=chosen.get('network_name'), project_ids=chosen.get('project_id'),
            ip_versions=chosen.get('ip_version'))
        found = sorting.sorted_in_memory(found, sorting.requested_sort(req),
                                         AVAILABILITY_SORT_KEYS)
        fields = filters.select_fields(params)
        return wsgi.json_response(200, {'network_ip_availabilities': [
            filters.project(item, fields) for item in found]})

    def show(self, req: wsgi.Request, network_id: str) -> webob.Response:
        ctx = req.context
        if not self.authorizer.allowed(ctx, 'get_network_ip_availability'):
            raise errors.NetworkNotFound(resource='Network', id=network_id)
        return common.show_response(req, 'network_ip_availability',
                                    self._networks.network_ip_availability(ctx, network_id))
