"""``/scheduler-stats/get_pools`` and ``/capabilities/{host}`` (admins).

nova_lite has one backend with one pool, named ``host@backend#backend``;
its capacity is the file system holding the volume files.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.volume.rest import policies, scope

_TRUE = ('true', 'True', '1', 'yes')
POOLS_QUERY: dict[str, Any] = {'type': 'object', 'properties': {
    'detail': {'type': 'string', 'enum': [*_TRUE, 'false', 'False', '0', 'no']}}}
NAMESPACE = 'OS::Storage::Capabilities::'


class SchedulerStatsController(scope.VolumeController):
    """The backend's pool and capabilities."""

    def get_pools(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self._context(req, project_id, policies.POOLS)
        detail = controller.read_query(req, POOLS_QUERY).get('detail') in _TRUE
        states = self._services.volumes.service_states
        pool: dict[str, Any] = {'name': states.pool_name}
        if detail:
            pool['capabilities'] = states.capabilities()
        return wsgi.json_response(200, {'pools': [pool]})

    def capabilities(self, req: wsgi.Request, project_id: str, host: str) -> webob.Response:
        self._context(req, project_id, policies.CAPABILITIES)
        states = self._services.volumes.service_states
        # A pool name (host@backend#pool) names its backend too.
        if host.split('#')[0] != states.volume_host:
            raise exception.NotFound(resource='Backend', id=host)
        found = states.capabilities()
        properties = {
            'thin_provisioning': {'title': 'Thin Provisioning', 'type': 'boolean',
                                  'description': 'Volumes are sparse files: space is '
                                                 'used as data is written.'},
            'compression': {'title': 'Compression', 'type': 'boolean',
                            'description': 'Not supported by the file backend.'},
            'qos': {'title': 'QoS', 'type': 'boolean',
                    'description': 'Not supported by the file backend.'},
        }
        return wsgi.json_response(200, {
            'namespace': f'{NAMESPACE}{found["vendor_name"].replace(" ", "")}',
            'vendor_name': found['vendor_name'],
            'volume_backend_name': found['volume_backend_name'],
            'pool_name': None, 'driver_version': found['driver_version'],
            'storage_protocol': found['storage_protocol'],
            'display_name': None, 'description': None, 'visibility': None,
            'replication_targets': [], 'properties': properties,
        })


def routes(stats: SchedulerStatsController) -> list[routing.Route]:
    return [
        ('GET', '/scheduler-stats/get_pools', stats.get_pools),
        ('GET', '/capabilities/{host}', stats.capabilities),
    ]
