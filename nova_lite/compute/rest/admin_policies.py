"""Policy rules of the compute administration APIs (Nova's names and defaults).

Services, hosts, hypervisors and aggregates are admins'; the zone list is
anyone's (its detail admins'); a flavor's extra specs are read by anyone who
sees the flavor and changed by admins, as is a private flavor's access list.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base

ANY = '@'

SERVICES_LIST = 'os_compute_api:os-services:list'
SERVICES_UPDATE = 'os_compute_api:os-services:update'
SERVICES_DELETE = 'os_compute_api:os-services:delete'
HYPERVISORS_DETAIL = 'os_compute_api:os-hypervisors:list-detail'
HYPERVISORS_SHOW = 'os_compute_api:os-hypervisors:show'
HYPERVISORS_STATISTICS = 'os_compute_api:os-hypervisors:statistics'
HYPERVISORS_UPTIME = 'os_compute_api:os-hypervisors:uptime'
HYPERVISORS_SEARCH = 'os_compute_api:os-hypervisors:search'
HYPERVISORS_SERVERS = 'os_compute_api:os-hypervisors:servers'
HOSTS_LIST = 'os_compute_api:os-hosts:list'
HOSTS_SHOW = 'os_compute_api:os-hosts:show'
HOSTS_UPDATE = 'os_compute_api:os-hosts:update'
HOSTS_POWER = 'os_compute_api:os-hosts:reboot'
AGGREGATES_INDEX = 'os_compute_api:os-aggregates:index'
AGGREGATES_CREATE = 'os_compute_api:os-aggregates:create'
AGGREGATES_SHOW = 'os_compute_api:os-aggregates:show'
AGGREGATES_UPDATE = 'os_compute_api:os-aggregates:update'
AGGREGATES_DELETE = 'os_compute_api:os-aggregates:delete'
AGGREGATES_ADD_HOST = 'os_compute_api:os-aggregates:add_host'
AGGREGATES_REMOVE_HOST = 'os_compute_api:os-aggregates:remove_host'
AGGREGATES_SET_METADATA = 'os_compute_api:os-aggregates:set_metadata'
ZONES_LIST = 'os_compute_api:os-availability-zone:list'
ZONES_DETAIL = 'os_compute_api:os-availability-zone:detail'
FLAVOR_EXTRA_SPECS_INDEX = 'os_compute_api:os-flavor-extra-specs:index'
FLAVOR_EXTRA_SPECS_SHOW = 'os_compute_api:os-flavor-extra-specs:show'
FLAVOR_EXTRA_SPECS_CREATE = 'os_compute_api:os-flavor-extra-specs:create'
FLAVOR_EXTRA_SPECS_UPDATE = 'os_compute_api:os-flavor-extra-specs:update'
FLAVOR_EXTRA_SPECS_DELETE = 'os_compute_api:os-flavor-extra-specs:delete'
FLAVOR_ACCESS_ADD = 'os_compute_api:os-flavor-access:add_tenant_access'
FLAVOR_ACCESS_REMOVE = 'os_compute_api:os-flavor-access:remove_tenant_access'


def _admin(name: str, description: str, method: str, path: str) -> policy.RuleDefault:
    return base.rule(name, base.ADMIN, description, method, path)


def list_rules() -> list[policy.RuleDefault]:
    specs = '/flavors/{flavor_id}/os-extra_specs'
    return [
        _admin(SERVICES_LIST, 'List the compute services.', 'GET', '/os-services'),
        _admin(SERVICES_UPDATE, 'Enable, disable or force down a service.', 'PUT',
               '/os-services/{service_id}'),
        _admin(SERVICES_DELETE, 'Delete a service.', 'DELETE', '/os-services/{service_id}'),
        _admin(HYPERVISORS_DETAIL, 'List the hypervisors with details.', 'GET',
               '/os-hypervisors/detail'),
        _admin(HYPERVISORS_SHOW, 'Show a hypervisor.', 'GET', '/os-hypervisors/{id}'),
        _admin(HYPERVISORS_STATISTICS, 'Sum the hypervisors (pre-2.88).', 'GET',
               '/os-hypervisors/statistics'),
        _admin(HYPERVISORS_UPTIME, "Show a hypervisor's uptime (pre-2.88).", 'GET',
               '/os-hypervisors/{id}/uptime'),
        _admin(HYPERVISORS_SEARCH, 'Search hypervisors by name (pre-2.53).', 'GET',
               '/os-hypervisors/{pattern}/search'),
        _admin(HYPERVISORS_SERVERS, "List a hypervisor's servers (pre-2.53).", 'GET',
               '/os-hypervisors/{pattern}/servers'),
        _admin(HOSTS_LIST, 'List the hosts (pre-2.43).', 'GET', '/os-hosts'),
        _admin(HOSTS_SHOW, "Show a host's resource usage (pre-2.43).", 'GET',
               '/os-hosts/{host_name}'),
        _admin(HOSTS_UPDATE, 'Change a host (pre-2.43).', 'PUT', '/os-hosts/{host_name}'),
        _admin(HOSTS_POWER, 'Reboot, shut down or start a host (pre-2.43).', 'GET',
               '/os-hosts/{host_name}/reboot'),
        _admin(AGGREGATES_INDEX, 'List the aggregates.', 'GET', '/os-aggregates'),
        _admin(AGGREGATES_CREATE, 'Create an aggregate.', 'POST', '/os-aggregates'),
        _admin(AGGREGATES_SHOW, 'Show an aggregate.', 'GET', '/os-aggregates/{aggregate_id}'),
        _admin(AGGREGATES_UPDATE, 'Rename an aggregate or change its zone.', 'PUT',
               '/os-aggregates/{aggregate_id}'),
        _admin(AGGREGATES_DELETE, 'Delete an aggregate.', 'DELETE',
               '/os-aggregates/{aggregate_id}'),
        _admin(AGGREGATES_ADD_HOST, 'Add a host to an aggregate.', 'POST',
               '/os-aggregates/{aggregate_id}/action'),
        _admin(AGGREGATES_REMOVE_HOST, 'Remove a host from an aggregate.', 'POST',
               '/os-aggregates/{aggregate_id}/action'),
        _admin(AGGREGATES_SET_METADATA, "Set an aggregate's metadata.", 'POST',
               '/os-aggregates/{aggregate_id}/action'),
        base.rule(ZONES_LIST, ANY, 'List the availability zones.', 'GET',
                  '/os-availability-zone'),
        _admin(ZONES_DETAIL, 'List the zones with their hosts and services.', 'GET',
               '/os-availability-zone/detail'),
        base.rule(FLAVOR_EXTRA_SPECS_INDEX, ANY, "List a flavor's extra specs.", 'GET', specs),
        base.rule(FLAVOR_EXTRA_SPECS_SHOW, ANY, 'Show one extra spec.', 'GET',
                  specs + '/{key}'),
        _admin(FLAVOR_EXTRA_SPECS_CREATE, 'Set extra specs.', 'POST', specs),
        _admin(FLAVOR_EXTRA_SPECS_UPDATE, 'Set one extra spec.', 'PUT', specs + '/{key}'),
        _admin(FLAVOR_EXTRA_SPECS_DELETE, 'Delete one extra spec.', 'DELETE', specs + '/{key}'),
        _admin(FLAVOR_ACCESS_ADD, 'Grant a project a private flavor.', 'POST',
               '/flavors/{flavor_id}/action'),
        _admin(FLAVOR_ACCESS_REMOVE, "Revoke a project's access to a private flavor.",
               'POST', '/flavors/{flavor_id}/action'),
    ]
