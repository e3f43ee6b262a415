"""/v2.0/service-providers: the providers of neutron's pluggable advanced services
(the ``service-type`` extension).

Each entry is ``{"service_type", "name", "default"}``. nova_lite's routers and
floating IPs are built into the network manager and it has no load balancer,
VPN or firewall service, so, like a neutron configured without
``[service_providers]``, it lists none. The list still takes neutron's
filters and ``fields`` (providers have no id, so a page is the whole list).
"""

from __future__ import annotations

import operator
from typing import Any

import webob

from nova_lite.api import filters, paging, query, routing, wsgi
from nova_lite.network.rest import common, sorting

SERVICE_PROVIDERS = {'service_type': filters.Filter('service_type'),
                     'name': filters.Filter('name'),
                     'default': filters.Filter('default', filters.boolean(query.NEUTRON_BOOLEAN))}


def configured_providers() -> list[dict[str, Any]]:
    """The pluggable service providers nova_lite has: none (see the module docstring)."""
    return []


class ServiceProvidersController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        return [('GET', f'{common.API_PATH}/service-providers', self.index)]

    def index(self, req: wsgi.Request) -> webob.Response:
        _ = req.context  # authenticated callers only, as in neutron

        def page_of(wanted: list[filters.Wanted],
                    request: paging.PageRequest) -> paging.Page[dict[str, Any]]:
            return paging.Page(sorting.sorted_in_memory(
                filters.matching(configured_providers(), wanted), request.sort,
                {key: operator.itemgetter(key) for key in SERVICE_PROVIDERS}), None)

        return common.list_response(self._deps, req, 'service_providers', 'service-providers',
                                    page_of, dict, SERVICE_PROVIDERS)
