"""``/os-hypervisors`` (admins): the compute hosts, their usage and servers.

Microversions: 2.28 ``cpu_info`` as an object; 2.33 paging; 2.53 uuid ids,
``hypervisor_hostname_pattern`` and ``with_servers`` (the ``/search`` and
``/servers`` URLs end); 2.88 no usage fields, ``uptime`` in the bodies and no
``/statistics`` or ``/{id}/uptime``.
"""

from __future__ import annotations

import collections
from typing import Any

import webob

from nova_lite.api import paging, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute import services as service_store
from nova_lite.compute.rest import admin_policies, base, policies, query_params, version_changes
from nova_lite.compute.rest import versioned_views as views
from nova_lite.compute.rest.api_version import Version, api_version

_count: dict[str, Any] = {'type': 'string', 'pattern': '^[0-9]{1,9}$'}
list_query: dict[str, Any] = {
    'type': 'object',
    'properties': {'limit': _count, 'marker': {'type': 'string', 'maxLength': 255},
                   'hypervisor_hostname_pattern': {'type': 'string', 'minLength': 1,
                                                   'maxLength': 255},
                   'with_servers': {'type': 'string', 'maxLength': 8}},
}
_TRUE = ('1', 'true', 't', 'yes', 'y', 'on')


def uptime(node: dict[str, Any]) -> str:
    """What nova_lite knows of a host's uptime: since when it reports."""
    return f'up since {node["created_at"]}'


def _summary(service: dict[str, Any], version: Version) -> dict[str, Any]:
    node = service['node']
    return {'id': node['id'], 'hypervisor_hostname': node['hypervisor_hostname'] or node['host'],
            'state': 'up' if service['up'] else 'down',
            'status': 'disabled' if service['disabled'] else 'enabled'}


def _detail(service: dict[str, Any], running_vms: int, version: Version) -> dict[str, Any]:
    node = service['node']
    free_ram = node['memory_mb'] - node['memory_mb_used']
    free_disk = node['local_gb'] - node['local_gb_used']
    service_id = (service['uuid'] if version >= version_changes.SERVICE_UUIDS
                  else service['id'])
    body = {
        **_summary(service, version),
        # Hosts report no hypervisor version; 1 stands for "unknown" (Nova's is an integer).
        'hypervisor_type': node['hypervisor_type'] or '', 'hypervisor_version': 1,
        'host_ip': None, 'service': {'host': node['host'], 'id': service_id,
                                     'disabled_reason': service['disabled_reason']},
        'vcpus': node['vcpus'], 'vcpus_used': node['vcpus_used'],
        'memory_mb': node['memory_mb'], 'memory_mb_used': node['memory_mb_used'],
        'free_ram_mb': free_ram, 'local_gb': node['local_gb'],
        'local_gb_used': node['local_gb_used'], 'free_disk_gb': free_disk,
        'disk_available_least': free_disk, 'current_workload': 0,
        'running_vms': running_vms,
        'cpu_info': {} if version >= version_changes.HYPERVISOR_CPU_INFO_OBJECT else '{}',
    }
    if version >= version_changes.HYPERVISOR_NO_USAGE:
        body['uptime'] = uptime(node)
    return views.hypervisor_detail(body, version)


class HypervisorsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._services = rest.services.admin_stores.services

    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-hypervisors', self.index),
                ('GET', '/os-hypervisors/detail', self.detail),
                ('GET', '/os-hypervisors/statistics', self.statistics),
                ('GET', '/os-hypervisors/{hypervisor_id}', self.show),
                ('GET', '/os-hypervisors/{hypervisor_id}/uptime', self.show_uptime),
                ('GET', '/os-hypervisors/{pattern}/search', self.search),
                ('GET', '/os-hypervisors/{pattern}/servers', self.servers)]

    # Helpers -----------------------------------------------------------------------

    def _computes(self) -> list[dict[str, Any]]:
        return [s for s in self._services.list(binary=service_store.COMPUTE)
                if s['node'] is not None]

    def _servers_by_host(self) -> dict[str, list[dict[str, str]]]:
        by_host: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
        for instance in self._rest.services.instances.list():
            if instance['host']:
                by_host[instance['host']].append({'uuid': instance['id'],
                                                  'name': instance['name']})
        return by_host

    def _matching(self, pattern: str) -> list[dict[str, Any]]:
        found = [s for s in self._computes()
                 if pattern in (s['node']['hypervisor_hostname'] or s['node']['host'])]
        if not found:
            raise exception.NotFound(message=f'No hypervisor matching {pattern!r} could be '
                                             'found.')
        return found

    def _listed(self, req: wsgi.Request, detail: bool) -> webob.Response:
        version = api_version(req)
        params = query_params.read(req, list_query)
        computes = self._computes()
        pattern = params.get('hypervisor_hostname_pattern')
        with_servers = params.get('with_servers', '').lower() in _TRUE
        if version < version_changes.SERVICE_UUIDS:
            pattern, with_servers = None, False
        if pattern is not None:
            if 'limit' in params or 'marker' in params:
                raise exception.Invalid(message='Paging over hypervisors with the '
                                                'hypervisor_hostname_pattern query parameter '
                                                'is not supported.')
            computes = self._matching(pattern)
        by_host = self._servers_by_host()
        bodies = [_detail(s, len(by_host[s['host']]), version) if detail
                  else _summary(s, version) for s in computes]
        if with_servers:
            for body, service in zip(bodies, computes, strict=True):
                body['servers'] = by_host[service['host']]
        extra: dict[str, Any] = {}
        if version >= version_changes.HYPERVISOR_PAGING:
            request = paging.page_request(params, paging.NOVA_PAGING)
            page = paging.paginate(bodies, request)
            bodies = page.items
            path = '/os-hypervisors/detail' if detail else '/os-hypervisors'
            links = paging.links(page, f'{self._rest.links.base_url}{path}',
                                 limit=request.limit)
            if links:
                extra['hypervisors_links'] = links
        return wsgi.json_response(200, {'hypervisors': bodies, **extra})

    def _find(self, hypervisor_id: str) -> dict[str, Any]:
        for service in self._computes():
            if service['node']['id'] == hypervisor_id:
                return service
        raise exception.NotFound(message=f'Hypervisor {hypervisor_id} could not be found.')

    def _before(self, req: wsgi.Request, version: Version, what: str) -> None:
        if api_version(req) >= version:
            raise exception.NotFound(message=f'{what} is not available from microversion '
                                             f'{version[0]}.{version[1]} on.')

    # Handlers ----------------------------------------------------------------------

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, policies.HYPERVISORS)
        return self._listed(req, detail=False)

    def detail(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.HYPERVISORS_DETAIL)
        return self._listed(req, detail=True)

    def show(self, req: wsgi.Request, hypervisor_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.HYPERVISORS_SHOW)
        version = api_version(req)
        params = query_params.read(req, list_query)
        service = self._find(hypervisor_id)
        servers = self._servers_by_host()[service['host']]
        body = _detail(service, len(servers), version)
        if (version >= version_changes.SERVICE_UUIDS
                and params.get('with_servers', '').lower() in _TRUE):
            body['servers'] = servers
        return wsgi.json_response(200, {'hypervisor': body})

    def show_uptime(self, req: wsgi.Request, hypervisor_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.HYPERVISORS_UPTIME)
        self._before(req, version_changes.HYPERVISOR_NO_USAGE, '/os-hypervisors/{id}/uptime')
        service = self._find(hypervisor_id)
        body = {**_summary(service, api_version(req)), 'uptime': uptime(service['node'])}
        return wsgi.json_response(200, {'hypervisor': body})

    def statistics(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.HYPERVISORS_STATISTICS)
        self._before(req, version_changes.HYPERVISOR_NO_USAGE, '/os-hypervisors/statistics')
        version = api_version(req)
        by_host = self._servers_by_host()
        details = [_detail(s, len(by_host[s['host']]), version) for s in self._computes()]
        keys = ('vcpus', 'vcpus_used', 'memory_mb', 'memory_mb_used', 'free_ram_mb',
                'local_gb', 'local_gb_used', 'free_disk_gb', 'disk_available_least',
                'current_workload', 'running_vms')
        stats = {key: sum(int(d[key]) for d in details) for key in keys}
        return wsgi.json_response(200, {'hypervisor_statistics': {'count': len(details),
                                                                  **stats}})

    def search(self, req: wsgi.Request, pattern: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.HYPERVISORS_SEARCH)
        self._before(req, version_changes.SERVICE_UUIDS, '/os-hypervisors/{pattern}/search')
        version = api_version(req)
        return wsgi.json_response(200, {'hypervisors': [
            _summary(s, version) for s in self._matching(pattern)]})

    def servers(self, req: wsgi.Request, pattern: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.HYPERVISORS_SERVERS)
        self._before(req, version_changes.SERVICE_UUIDS, '/os-hypervisors/{pattern}/servers')
        version = api_version(req)
        by_host = self._servers_by_host()
        bodies = []
        for service in self._matching(pattern):
            body = _summary(service, version)
            if by_host[service['host']]:
                body['servers'] = by_host[service['host']]
            bodies.append(body)
        return wsgi.json_response(200, {'hypervisors': bodies})
