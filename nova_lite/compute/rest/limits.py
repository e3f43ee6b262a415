"""``/limits``: the project's quotas as absolute limits, with what it uses.

An admin may ask for another project's with ``?tenant_id=``
(``os_compute_api:limits:other_project``).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.compute import quota_resources as res
from nova_lite.compute.rest import base, policies, query_params, versioned_views
from nova_lite.compute.rest.api_version import api_version

_query: dict[str, Any] = {
    'type': 'object',
    'properties': {'tenant_id': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
}
# absolute limit name -> quota resource
_MAXIMUMS = {
    'maxTotalInstances': res.INSTANCES, 'maxTotalCores': res.CORES,
    'maxTotalRAMSize': res.RAM, 'maxTotalKeypairs': res.KEY_PAIRS,
    'maxServerGroups': res.SERVER_GROUPS, 'maxServerGroupMembers': res.SERVER_GROUP_MEMBERS,
    'maxServerMeta': res.METADATA_ITEMS, 'maxImageMeta': res.METADATA_ITEMS,
    'maxPersonality': res.INJECTED_FILES, 'maxPersonalitySize': res.INJECTED_FILE_CONTENT_BYTES,
    'maxSecurityGroups': 'security_groups', 'maxSecurityGroupRules': 'security_group_rules',
    'maxTotalFloatingIps': 'floating_ips',
}
_TOTALS = {
    'totalInstancesUsed': res.INSTANCES, 'totalCoresUsed': res.CORES,
    'totalRAMUsed': res.RAM, 'totalServerGroupsUsed': res.SERVER_GROUPS,
    'totalFloatingIpsUsed': 'floating_ips', 'totalSecurityGroupsUsed': 'security_groups',
}


class LimitsHandler(base.ComputeController):
    def routes(self) -> list[routing.Route]:
        return [('GET', '/limits', self.limits)]

    def limits(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        params = query_params.read(req, _query)
        self.authorizer.authorize(ctx, policies.LIMITS)
        project_id = ctx.project_id
        asked = params.get('tenant_id')
        if asked and asked != project_id:
            self.authorizer.authorize(ctx, policies.LIMITS_OTHER_PROJECT,
                                      {'project_id': asked})
            project_id = asked
        absolute: dict[str, int] = {}
        if project_id is not None:
            quotas = self._rest.services.quotas
            limits = quotas.limits(project_id)
            usage = quotas.usage(project_id)
            absolute.update({name: limits[resource] for name, resource in _MAXIMUMS.items()})
            absolute.update({name: usage.get(resource, 0)
                             for name, resource in _TOTALS.items()})
        return wsgi.json_response(200, {'limits': {
            'absolute': versioned_views.absolute_limits(absolute, api_version(req)),
            'rate': []}})
