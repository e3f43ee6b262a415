"""/v2.0/extensions: the neutron API extensions nova_lite really implements."""

from __future__ import annotations

import webob

from nova_lite.api import wsgi
from nova_lite.network.rest import errors

_UPDATED = '2025-01-01T00:00:00-00:00'

# alias -> (name, description). Only what the API below does, nothing aspirational.
EXTENSIONS: dict[str, tuple[str, str]] = {
    'binding': ('Port Binding', 'Ports show binding:host_id, binding:vif_type and '
                                'binding:vnic_type; binding:host_id binds a port to a host.'),
    'net-mtu': ('Network MTU', 'Networks show their MTU.'),
    'net-mtu-writable': ('Network MTU (writable)', 'The MTU of a network may be set and '
                                                   'changed.'),
    'project-id': ('project_id field enabled', 'Resources show project_id beside tenant_id.'),
    'standard-attr-timestamp': ('Resource timestamps', 'Networks, subnets and ports show '
                                                       'created_at and updated_at.'),
    'security-group': ('security-group', 'Security groups and rules, filtered on ports by '
                                         'the host (libvirt nwfilter).'),
    'port-security': ('Port Security', 'Ports show and set port_security_enabled.'),
    'pagination': ('Pagination support', 'Lists accept limit and marker and then answer '
                                         'with next links.'),
    'external-net': ('Neutron external network', 'Networks show router:external; an '
                                                 'admin makes a network external.'),
    'router': ('Neutron L3 Router', 'Routers with interfaces and an external gateway, and '
                                    'floating IPs from external networks.'),
    'subnet-external-network': ('Subnet external network', 'Every project sees the '
                                'subnets of external networks.'),
    'ext-gw-mode': ('Neutron L3 Configurable external gateway mode', 'A router gateway '
                    'shows enable_snat; an admin sets it.'),
    'allowed-address-pairs': ('Allowed Address Pairs', 'Ports take the IP addresses or '
                              'CIDRs (with MACs) that may also send from them.'),
    'extra_dhcp_opt': ('Neutron Extra DHCP options', 'Ports take extra DHCP options '
                                                     '(name, value, IP version).'),
    'filter-validation': ('Filter parameters validation', 'A list query parameter that '
                          'is not a filter of the list is a 400, never silently ignored.'),
    'network-ip-availability': ('Network IP Availability', 'Admins read how many '
                                'addresses each network and subnet has and uses.'),
    'ip-substring-filtering': ('IP address substring filtering', 'Ports are filtered on '
                               'part of an address: fixed_ips=ip_address_substr=<part>.'),
    'service-type': ('Neutron Service Type Management', 'Lists the providers of '
                     'pluggable services (/v2.0/service-providers).'),
    'standard-attr-description': ('standard-attr-description', 'Networks, subnets, ports, '
                                  'routers and floating IPs take and show a description.'),
    'extraroute': ('Neutron Extra Route', 'Routers take extra routes whose nexthop is on '
                                          'one of their subnets.'),
    'quotas': ('Quota management support', 'Per-project limits of networks, subnets, ports, '
               'routers, floating IPs and security groups and rules, enforced on create.'),
    'quota_details': ('Quota details management support', 'A project\'s limit, use and '
                      'reservations of each resource (/v2.0/quotas/{project_id}/details).'),
    'standard-attr-tag': ('Tag support for resources with standard attribute', 'Networks, '
                          'subnets, ports, routers, floating IPs, security groups and '
                          'subnet pools take '
                          'tags (/v2.0/{collection}/{id}/tags) and lists filter on them '
                          '(tags, tags-any, not-tags, not-tags-any).'),
    'subnet_allocation': ('Subnet Allocation', 'Subnet pools (/v2.0/subnetpools); a '
                          'subnet takes its CIDR from one with subnetpool_id and prefixlen.'),
    'default-subnetpools': ('Default Subnetpools', 'A subnet pool may be the default of its '
                            'IP version; use_default_subnetpool allocates from it.'),
    'subnetpool-prefix-ops': ('Subnet Pool Prefix Operations', 'PUT add_prefixes and '
                              'remove_prefixes on a subnet pool.'),
    'address-scope': ('Address scope', 'Address scopes group subnet pools whose prefixes '
                      'must not overlap.'),
    'agent': ('agent', "Admins list, show, update and delete agents: the network "
                       "service's own worker reports as a DHCP agent and an L3 agent on "
                       'its host.'),
    'dhcp_agent_scheduler': ('DHCP Agent Scheduler', 'Networks needing DHCP are hosted '
                             'by a DHCP agent; admins list and change which.'),
    'l3_agent_scheduler': ('L3 Agent Scheduler', 'Routers are hosted by an L3 agent; '
                           'admins list and change which.'),
    'rbac-policies': ('RBAC Policies', 'Networks are shared with (access_as_shared) or '
                      'made external for (access_as_external) one project or every '
                      "project ('*') by RBAC policies."),
    'provider': ('Provider Network', 'Admins set and see provider:network_type, '
                 'provider:physical_network and provider:segmentation_id (recorded; the '
                 'hosts wire ports themselves).'),
    'multi-provider': ('Multi Provider Network', 'Admins set and see a network\'s '
                       'provider attributes as a list of segments.'),
    'sorting': ('Sorting support', 'Lists accept sort_key and sort_dir pairs, sorted in '
                                   'the database with id last; next links keep them.'),
    'standard-attr-revisions': ('Resource revision numbers', 'Networks, subnets, ports, '
                                'routers, floating IPs and security groups and rules show a '
                                'revision_number that each change raises by one.'),
    'revision-if-match': ('If-Match constraints based on revision_number', 'PUT and DELETE '
                          'take If-Match: revision_number=N; a stale N is a 412.'),
}


def _body(alias: str) -> dict[str, object]:
    name, description = EXTENSIONS[alias]
    return {'alias': alias, 'name': name, 'description': description, 'links': [],
            'updated': _UPDATED}


class ExtensionsController:
    def index(self, req: wsgi.Request) -> webob.Response:
        _ = req.context  # neutron answers extensions to authenticated callers only
        return wsgi.json_response(200, {'extensions': [_body(alias)
                                                       for alias in sorted(EXTENSIONS)]})

    def show(self, req: wsgi.Request, alias: str) -> webob.Response:
        _ = req.context
        if alias not in EXTENSIONS:
            raise errors.ExtensionNotFound(id=alias)
        return wsgi.json_response(200, {'extension': _body(alias)})
