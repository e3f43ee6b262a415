"""``/os-simple-tenant-usage``: every project's usage (admins) or one project's.

``start`` and ``end`` bound the period (now when absent); ``detailed=1``
lists each server in the list; 2.40 pages the servers (``limit``, ``marker``).
One project with no server in the period answers ``{"tenant_usage": {}}``.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import paging, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute import tenant_usage
from nova_lite.compute.rest import base, policies, query_params, version_changes
from nova_lite.compute.rest.api_version import api_version

_count: dict[str, Any] = {'type': 'string', 'pattern': '^[0-9]{1,9}$'}
_query: dict[str, Any] = {
    'type': 'object',
    'properties': {'start': {'type': 'string', 'maxLength': 64},
                   'end': {'type': 'string', 'maxLength': 64},
                   'detailed': {'type': 'string', 'maxLength': 16},
                   'limit': _count, 'marker': {'type': 'string', 'maxLength': 255}},
}


class TenantUsageHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest, usage: tenant_usage.TenantUsage) -> None:
        super().__init__(rest)
        self._usage = usage

    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-simple-tenant-usage', self.index),
                ('GET', '/os-simple-tenant-usage/{tenant_id}', self.show)]

    def _read(self, req: wsgi.Request) -> tuple[dict[str, str], paging.PageRequest]:
        params = query_params.read(req, _query)
        paged = api_version(req) >= version_changes.TENANT_USAGE_PAGING
        request = (paging.page_request(params, paging.NOVA_PAGING) if paged
                   else paging.EVERYTHING)
        return params, request

    def _links(self, req: wsgi.Request, path: str, params: dict[str, str],
               request: paging.PageRequest, marker: str | None) -> list[dict[str, str]]:
        kept = [(name, params[name]) for name in ('start', 'end', 'detailed') if name in params]
        return paging.links(paging.Page([], marker), f'{self._rest.links.base_url}{path}',
                            kept, limit=request.limit)

    def index(self, req: wsgi.Request) -> webob.Response:
        if req.path_info.endswith('/'):  # /os-simple-tenant-usage/: an empty project id
            raise exception.NotFound(message='A project id is needed after '
                                             '/os-simple-tenant-usage/.')
        self.authorizer.authorize(req.context, policies.TENANT_USAGE_LIST)
        params, request = self._read(req)
        begin, stop = tenant_usage.period(params.get('start'), params.get('end'))
        detailed = params.get('detailed', '0').lower() in ('1', 'true', 'yes', 'on')
        usages, marker = self._usage.usages(begin, stop, detailed=detailed, request=request)
        body: dict[str, Any] = {'tenant_usages': usages}
        links = self._links(req, '/os-simple-tenant-usage', params, request, marker)
        if links:
            body['tenant_usages_links'] = links
        return wsgi.json_response(200, body)

    def show(self, req: wsgi.Request, tenant_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, policies.TENANT_USAGE_SHOW,
                                  {'project_id': tenant_id})
        params, request = self._read(req)
        begin, stop = tenant_usage.period(params.get('start'), params.get('end'))
        usages, marker = self._usage.usages(begin, stop, project_id=tenant_id, detailed=True,
                                            request=request)
        body: dict[str, Any] = {'tenant_usage': usages[0] if usages else {}}
        links = self._links(req, f'/os-simple-tenant-usage/{tenant_id}', params, request,
                            marker)
        if links:
            body['tenant_usage_links'] = links
        return wsgi.json_response(200, body)
