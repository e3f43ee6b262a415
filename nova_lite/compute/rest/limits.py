"""``/limits`` (no quotas: every maximum is -1, with the project's usage)."""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.compute.rest import base, policies, versioned_views
from nova_lite.compute.rest.api_version import api_version

_UNLIMITED = ('maxTotalInstances', 'maxTotalCores', 'maxTotalRAMSize', 'maxTotalKeypairs',
              'maxServerGroups', 'maxServerGroupMembers', 'maxSecurityGroups',
              'maxSecurityGroupRules', 'maxTotalFloatingIps')


class LimitsHandler(base.ComputeController):
    def routes(self) -> list[routing.Route]:
        return [('GET', '/limits', self.limits)]

    def limits(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.LIMITS)
        servers = self._rest.services.compute_api.list_servers(ctx)
        flavors = [s['build_request'].get('request_spec', {}).get('flavor', {})
                   for s in servers]
        absolute = {name: -1 for name in _UNLIMITED}
        absolute.update({
            'maxServerMeta': 128, 'maxImageMeta': 128, 'maxPersonality': 5,
            'maxPersonalitySize': 10240,
            'totalInstancesUsed': len(servers),
            'totalCoresUsed': sum(f.get('vcpus', 0) for f in flavors),
            'totalRAMUsed': sum(f.get('memory_mb', 0) for f in flavors),
            'totalFloatingIpsUsed': 0, 'totalSecurityGroupsUsed': 0,
            'totalServerGroupsUsed': 0,
        })
        return wsgi.json_response(200, {'limits': {
            'absolute': versioned_views.absolute_limits(absolute, api_version(req)),
            'rate': []}})
