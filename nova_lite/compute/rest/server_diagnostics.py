"""``GET /servers/{id}/diagnostics`` (admins): what compute knows of a server's guest.

Built from the instance record (its flavor's sizes, its ports, its root disk
and attached volumes, its power state and launch time); nova_lite's drivers
keep no usage counters, so CPU, NIC and disk counters are null. Before 2.48 the
body is free-form (as each nova driver's was); from 2.48 it is nova's standard
shape, with ``driver`` libvirt (the domain model nova_lite's drivers write).
"""

from __future__ import annotations

from typing import Any

import webob
from oslo_utils import timeutils

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import base, version_changes
from nova_lite.compute.rest import proxy_policies as policies
from nova_lite.compute.rest.api_version import api_version

# Nova's power states, as the diagnostics name them.
_STATES = {0: 'pending', 1: 'running', 3: 'paused', 4: 'shutdown', 6: 'crashed',
           7: 'suspended'}
_NIC_COUNTERS = ('rx_octets', 'rx_errors', 'rx_drop', 'rx_packets', 'rx_rate', 'tx_octets',
                 'tx_errors', 'tx_drop', 'tx_packets', 'tx_rate')
_DISK_COUNTERS = ('read_bytes', 'read_requests', 'write_bytes', 'write_requests',
                  'errors_count')


def _flavor(instance: dict[str, Any]) -> dict[str, Any]:
    spec = (instance.get('build_request') or {}).get('request_spec') or {}
    return dict(spec.get('flavor') or {})


def _uptime(instance: dict[str, Any]) -> int | None:
    if instance['power_state'] != 1 or not instance.get('launched_at'):
        return None
    launched = timeutils.normalize_time(timeutils.parse_isotime(instance['launched_at']))
    return max(0, int((timeutils.utcnow() - launched).total_seconds()))


def standard(instance: dict[str, Any], volume_count: int) -> dict[str, Any]:
    """Nova's 2.48 diagnostics of ``instance``."""
    flavor = _flavor(instance)
    vcpus = int(flavor.get('vcpus') or 0)
    nics = instance['network_info']
    disks = 1 + volume_count
    return {
        'state': _STATES.get(instance['power_state'], 'pending'),
        'driver': 'libvirt', 'hypervisor': None, 'hypervisor_os': None,
        'uptime': _uptime(instance), 'config_drive': False,
        'num_cpus': vcpus, 'num_nics': len(nics), 'num_disks': disks,
        'memory_details': {'maximum': flavor.get('memory_mb'), 'used': None},
        'cpu_details': [{'id': index, 'time': None, 'utilisation': None}
                        for index in range(vcpus)],
        'nic_details': [{'mac_address': vif.get('mac_address'),
                         **dict.fromkeys(_NIC_COUNTERS)} for vif in nics],
        'disk_details': [dict.fromkeys(_DISK_COUNTERS) for _ in range(disks)],
    }


def free_form(instance: dict[str, Any], volume_count: int) -> dict[str, Any]:
    """The pre-2.48 body: a flat dict, as a driver reported it."""
    body = standard(instance, volume_count)
    return {'state': body['state'], 'driver': body['driver'], 'uptime': body['uptime'],
            'num_cpus': body['num_cpus'], 'num_nics': body['num_nics'],
            'num_disks': body['num_disks'],
            'memory': (body['memory_details']['maximum'] or 0) * 1024,  # KiB, as libvirt
            **{f'nic{index}_mac': vif['mac_address']
               for index, vif in enumerate(body['nic_details'])}}


class ServerDiagnosticsHandler(base.ComputeController):
    def routes(self) -> list[routing.Route]:
        return [('GET', '/servers/{server_id}/diagnostics', self.show)]

    def show(self, req: wsgi.Request, server_id: str) -> webob.Response:
        ctx = req.context
        instance = self._rest.services.compute_api.get_server(ctx, server_id)
        self.authorizer.authorize(ctx, policies.DIAGNOSTICS, project_id=instance['project_id'])
        if not instance.get('host'):
            raise exception.Conflict(
                reason=f'server {server_id} is not on a host yet (vm_state '
                       f'{instance["vm_state"]})')
        volumes = self._rest.services.volumes.list_attachments(ctx, instance_id=instance['id'])
        if api_version(req) >= version_changes.DIAGNOSTICS_STANDARD:
            return wsgi.json_response(200, standard(instance, len(volumes)))
        return wsgi.json_response(200, free_form(instance, len(volumes)))
