"""``/os-hypervisors`` (admins) and ``/os-availability-zone``: the compute hosts."""

from __future__ import annotations

import collections
from typing import Any

import webob
from oslo_config import cfg

from nova_lite.api import routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.compute.rest import base, policies, versioned_views
from nova_lite.compute.rest.api_version import api_version


def _summary(node: dict[str, Any]) -> dict[str, Any]:
    return {'id': node['id'], 'hypervisor_hostname': node['hypervisor_hostname'] or node['host'],
            'state': 'up' if node['up'] else 'down',
            'status': 'enabled' if node['enabled'] else 'disabled'}


def _detail(node: dict[str, Any], running_vms: int) -> dict[str, Any]:
    return {
        **_summary(node),
        'hypervisor_type': node['hypervisor_type'], 'hypervisor_version': 1,
        'host_ip': None, 'service': {'host': node['host'], 'id': node['id'],
                                     'disabled_reason': node['disabled_reason']},
        'vcpus': node['vcpus'], 'vcpus_used': node['vcpus_used'],
        'memory_mb': node['memory_mb'], 'memory_mb_used': node['memory_mb_used'],
        'free_ram_mb': node['free_ram_mb'], 'local_gb': node['local_gb'],
        'local_gb_used': node['local_gb_used'], 'free_disk_gb': node['free_disk_gb'],
        'disk_available_least': node['free_disk_gb'], 'current_workload': 0,
        'running_vms': running_vms, 'cpu_info': '{}',
    }


class HypervisorsHandler(base.ComputeController):
    def __init__(self, conf: cfg.ConfigOpts, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._conf = conf

    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-hypervisors', self.index),
                ('GET', '/os-hypervisors/detail', self.detail),
                ('GET', '/os-availability-zone', self.availability_zones),
                ('GET', '/os-availability-zone/detail', self.availability_zones)]

    def _nodes(self, req: wsgi.Request) -> list[dict[str, Any]]:
        self.authorizer.authorize(req.context, policies.HYPERVISORS)
        return self._rest.services.scheduler_rpcapi.get_host_usage(req.context)

    def index(self, req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, {'hypervisors': [_summary(n) for n in self._nodes(req)]})

    def detail(self, req: wsgi.Request) -> webob.Response:
        version = api_version(req)
        nodes = self._nodes(req)
        on_host = collections.Counter(i['host'] for i in self._rest.services.instances.list())
        return wsgi.json_response(200, {'hypervisors': [
            versioned_views.hypervisor_detail(_detail(n, on_host[n['host']]), version)
            for n in nodes]})

    def availability_zones(self, req: wsgi.Request) -> webob.Response:
        _ = req.context
        nodes = self._rest.services.scheduler_rpcapi.get_host_usage(
            nl_context.get_admin_context())
        zones = sorted({n['availability_zone'] for n in nodes if n['availability_zone']}
                       or {self._conf.default_availability_zone})
        return wsgi.json_response(200, {'availabilityZoneInfo': [
            {'zoneName': zone, 'zoneState': {'available': True}, 'hosts': None}
            for zone in zones]})
