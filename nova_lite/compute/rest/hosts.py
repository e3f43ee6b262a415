"""``/os-hosts`` (admins, before microversion 2.43): the hosts and their resource usage.

Each service is a host entry (``compute`` or ``scheduler``); a compute host
shows its totals, what is used now, and each project's share. Hosts cannot be
put in maintenance or powered on and off through nova_lite (501, as Nova's
libvirt driver answers); ``status`` enables or disables the compute service.
"""

from __future__ import annotations

import collections
from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import services as service_store
from nova_lite.compute.rest import admin_policies, base, query_params, version_changes
from nova_lite.compute.rest.api_version import api_version


class NotImplementedByHost(exception.NovaLiteError):
    msg_fmt = '%(action)s is not implemented for nova_lite hosts.'
    code = 501


_SERVICE_NAMES = {service_store.COMPUTE: 'compute', service_store.SCHEDULER: 'scheduler'}
update_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'status': {'type': 'string', 'enum': ['enable', 'disable']},
                   'maintenance_mode': {'type': 'string', 'enum': ['enable', 'disable']}},
    'minProperties': 1, 'additionalProperties': False,
}
list_query: dict[str, Any] = {'type': 'object',
                              'properties': {'zone': {'type': 'string', 'maxLength': 255}}}


def _resource(host: str, project: str, cpu: int, memory_mb: int,
              disk_gb: int) -> dict[str, Any]:
    return {'resource': {'host': host, 'project': project, 'cpu': cpu,
                         'memory_mb': memory_mb, 'disk_gb': disk_gb}}


class HostsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._services = rest.services.admin_stores.services

    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-hosts', self.index),
                ('GET', '/os-hosts/{host_name}', self.show),
                ('PUT', '/os-hosts/{host_name}', self.update),
                ('GET', '/os-hosts/{host_name}/{power_action:(startup|shutdown|reboot)}',
                 self.power_action)]

    def _check_version(self, req: wsgi.Request) -> None:
        if api_version(req) >= version_changes.HOSTS_REMOVED:
            raise exception.NotFound(message='/os-hosts is not available from microversion '
                                             '2.43 on.')

    def _compute(self, host_name: str) -> dict[str, Any]:
        for service in self._services.list(host=host_name, binary=service_store.COMPUTE):
            if service['node'] is not None:
                return service
        raise exception.NotFound(message=f'Compute host {host_name} could not be found.')

    def index(self, req: wsgi.Request) -> webob.Response:
        self._check_version(req)
        self.authorizer.authorize(req.context, admin_policies.HOSTS_LIST)
        zone = query_params.read(req, list_query).get('zone') or None
        hosts = [{'host_name': s['host'], 'service': _SERVICE_NAMES[s['binary']],
                  'zone': s['zone']} for s in self._services.list()
                 if s['binary'] in _SERVICE_NAMES and (zone is None or s['zone'] == zone)]
        return wsgi.json_response(200, {'hosts': hosts})

    def show(self, req: wsgi.Request, host_name: str) -> webob.Response:
        self._check_version(req)
        self.authorizer.authorize(req.context, admin_policies.HOSTS_SHOW)
        node = self._compute(host_name)['node']
        claims = self._rest.services.scheduler_rpcapi.list_claims(
            nl_context.get_admin_context())
        projects = {i['id']: i['project_id'] for i in self._rest.services.instances.list()}
        per_project: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
        for claim in claims:
            if claim['host'] == host_name and claim['instance_id'] in projects:
                usage = per_project[projects[claim['instance_id']]]
                usage[0] += claim['vcpus']
                usage[1] += claim['memory_mb']
                usage[2] += claim['disk_gb']
        used = (node['vcpus_used'], node['memory_mb_used'], node['local_gb_used'])
        resources = [
            _resource(host_name, '(total)', node['vcpus'], node['memory_mb'], node['local_gb']),
            _resource(host_name, '(used_now)', *used),
            _resource(host_name, '(used_max)', *used),
            *(_resource(host_name, project, *usage)
              for project, usage in sorted(per_project.items())),
        ]
        return wsgi.json_response(200, {'host': resources})

    def update(self, req: wsgi.Request, host_name: str) -> webob.Response:
        self._check_version(req)
        self.authorizer.authorize(req.context, admin_policies.HOSTS_UPDATE)
        body = controller.read_body(req, update_request)
        service = self._compute(host_name)
        if 'maintenance_mode' in body:
            raise NotImplementedByHost(action='Maintenance mode')
        updated = self._services.update(service, {'disabled': body['status'] == 'disable'})
        return wsgi.json_response(200, {
            'host': host_name, 'status': 'disabled' if updated['disabled'] else 'enabled'})

    def power_action(self, req: wsgi.Request, host_name: str,
                     power_action: str) -> webob.Response:
        self._check_version(req)
        self.authorizer.authorize(req.context, admin_policies.HOSTS_POWER)
        self._compute(host_name)
        raise NotImplementedByHost(action=f'Host {power_action}')
