"""Default policy of the network API, under neutron's rule names.

Which resources a caller can see at all is the manager's business (its own
project's, shared networks, everything for an admin); these rules decide
what a caller with a given role may do with them.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api.policy import ADMIN, PROJECT_MEMBER, PROJECT_READER, READER, rule
from nova_lite.network import taggable


def _crud(resource: str, collection: str) -> list[policy.DocumentedRuleDefault]:
    one = f'/v2.0/{collection}/{{id}}'
    return [
        rule(f'create_{resource}', PROJECT_MEMBER, f'Create a {resource}.', 'POST',
             f'/v2.0/{collection}'),
        rule(f'get_{resource}', READER, f'Show or list {resource}s the caller can see.',
             'GET', one),
        rule(f'update_{resource}', PROJECT_MEMBER, f'Update a {resource}.', 'PUT', one),
        rule(f'delete_{resource}', PROJECT_MEMBER, f'Delete a {resource}.', 'DELETE', one),
    ]


def _tag_rules(collection: str) -> list[policy.DocumentedRuleDefault]:
    """Reading the tags of a resource the caller sees; changing them is for its
    project's members (the resource's body shows its tags anyway)."""
    path = f'/v2.0/{collection}/{{id}}/tags'
    return [
        rule(taggable.policy_name('get', collection), READER,
             f'List or check the tags of {collection}.', 'GET', path),
        rule(taggable.policy_name('update', collection), PROJECT_MEMBER,
             f'Replace or add tags of {collection}.', 'PUT', path),
        rule(taggable.policy_name('delete', collection), PROJECT_MEMBER,
             f'Remove tags of {collection}.', 'DELETE', path),
    ]


def list_rules() -> list[policy.RuleDefault]:
    return [
        *_crud('network', 'networks'),
        rule('create_network:shared', ADMIN, 'Create a network shared with every project.',
             'POST', '/v2.0/networks'),
        rule('update_network:shared', ADMIN, "Change a network's 'shared'.", 'PUT',
             '/v2.0/networks/{id}'),
        *_crud('subnet', 'subnets'),
        *_crud('port', 'ports'),
        # Neutron keeps binding for admins (nova binds with a service token); the
        # nova_lite conductor binds over HTTP with the booting user's own token.
        rule('create_port:binding:host_id', PROJECT_MEMBER, 'Bind a new port to a host.',
             'POST', '/v2.0/ports'),
        rule('update_port:binding:host_id', PROJECT_MEMBER, "Change a port's host binding.",
             'PUT', '/v2.0/ports/{id}'),
        # A member's delete of its project's default group is neutron's 409.
        *_crud('security_group', 'security-groups'),
        *(rule_ for rule_ in _crud('security_group_rule', 'security-group-rules')
          if not rule_.name.startswith('update_')),  # rules are never updated
        rule('create_network:router:external', ADMIN, 'Create an external network.',
             'POST', '/v2.0/networks'),
        rule('update_network:router:external', ADMIN, "Change a network's "
             "'router:external'.", 'PUT', '/v2.0/networks/{id}'),
        *_crud('router', 'routers'),
        rule('create_router:external_gateway_info:enable_snat', ADMIN,
             "Set a new router's SNAT flag.", 'POST', '/v2.0/routers'),
        rule('create_router:external_gateway_info:external_fixed_ips', ADMIN,
             "Choose a new router's gateway addresses.", 'POST', '/v2.0/routers'),
        rule('update_router:external_gateway_info:enable_snat', ADMIN,
             "Change a router's SNAT flag.", 'PUT', '/v2.0/routers/{id}'),
        rule('update_router:external_gateway_info:external_fixed_ips', ADMIN,
             "Choose a router's gateway addresses.", 'PUT', '/v2.0/routers/{id}'),
        rule('add_router_interface', PROJECT_MEMBER, 'Attach a subnet or port to a router.',
             'PUT', '/v2.0/routers/{id}/add_router_interface'),
        rule('remove_router_interface', PROJECT_MEMBER, 'Detach an interface from a router.',
             'PUT', '/v2.0/routers/{id}/remove_router_interface'),
        *_crud('floatingip', 'floatingips'),
        rule('get_agent', ADMIN, 'Show or list the network agents.', 'GET', '/v2.0/agents'),
        rule('update_agent', ADMIN, "Change an agent's admin_state_up or description.",
             'PUT', '/v2.0/agents/{id}'),
        rule('delete_agent', ADMIN, 'Delete an agent.', 'DELETE', '/v2.0/agents/{id}'),
        rule('get_dhcp-agents', ADMIN, 'List the DHCP agents hosting a network.', 'GET',
             '/v2.0/networks/{id}/dhcp-agents'),
        rule('get_dhcp-networks', ADMIN, 'List the networks a DHCP agent hosts.', 'GET',
             '/v2.0/agents/{id}/dhcp-networks'),
        rule('create_dhcp-network', ADMIN, 'Host a network on a DHCP agent.', 'POST',
             '/v2.0/agents/{id}/dhcp-networks'),
        rule('delete_dhcp-network', ADMIN, 'Remove a network from a DHCP agent.', 'DELETE',
             '/v2.0/agents/{id}/dhcp-networks/{network_id}'),
        rule('get_l3-agents', ADMIN, 'List the L3 agents hosting a router.', 'GET',
             '/v2.0/routers/{id}/l3-agents'),
        rule('get_l3-routers', ADMIN, 'List the routers an L3 agent hosts.', 'GET',
             '/v2.0/agents/{id}/l3-routers'),
        rule('create_l3-router', ADMIN, 'Host a router on an L3 agent.', 'POST',
             '/v2.0/agents/{id}/l3-routers'),
        rule('delete_l3-router', ADMIN, 'Remove a router from an L3 agent.', 'DELETE',
             '/v2.0/agents/{id}/l3-routers/{router_id}'),
        rule('get_network_ip_availability', ADMIN, 'Show or list the address usage of '
             'networks.', 'GET', '/v2.0/network-ip-availabilities/{id}'),
        rule('get_quota', PROJECT_READER, "Show a project's network quota, defaults and "
             'usage.', 'GET', '/v2.0/quotas/{project_id}'),
        rule('update_quota', ADMIN, "Set a project's network quota.", 'PUT',
             '/v2.0/quotas/{project_id}'),
        rule('delete_quota', ADMIN, "Reset a project's network quota to the defaults.",
             'DELETE', '/v2.0/quotas/{project_id}'),
        *(tag_rule for collection in sorted(taggable.TAGGABLE)
          for tag_rule in _tag_rules(collection)),
        *_crud('subnetpool', 'subnetpools'),
        rule('create_subnetpool:shared', ADMIN, 'Create a subnet pool shared with every '
             'project.', 'POST', '/v2.0/subnetpools'),
        rule('create_subnetpool:is_default', ADMIN, 'Create the default subnet pool of an IP '
             'version.', 'POST', '/v2.0/subnetpools'),
        rule('update_subnetpool:is_default', ADMIN, "Change a subnet pool's 'is_default'.",
             'PUT', '/v2.0/subnetpools/{id}'),
        rule('add_prefixes', PROJECT_MEMBER, 'Add prefixes to a subnet pool.', 'PUT',
             '/v2.0/subnetpools/{id}/add_prefixes'),
        rule('remove_prefixes', PROJECT_MEMBER, 'Remove prefixes from a subnet pool.', 'PUT',
             '/v2.0/subnetpools/{id}/remove_prefixes'),
        *_crud('address_scope', 'address-scopes'),
        rule('create_address_scope:shared', ADMIN, 'Create an address scope shared with '
             'every project.', 'POST', '/v2.0/address-scopes'),
        rule('update_address_scope:shared', ADMIN, "Change an address scope's 'shared'.",
             'PUT', '/v2.0/address-scopes/{id}'),
        *_crud('rbac_policy', 'rbac-policies'),
        rule('create_rbac_policy:target_tenant', ADMIN, "Target every project ('*') with "
             'a new RBAC policy.', 'POST', '/v2.0/rbac-policies'),
        rule('update_rbac_policy:target_tenant', ADMIN, "Target every project ('*') with "
             'an RBAC policy.', 'PUT', '/v2.0/rbac-policies/{id}'),
        *_provider_rules(),
        *_network_owner_port_rules(),
    ]


# The caller's project owns the port's network (``network:project_id`` of the target).
NETWORK_OWNER = f'project_id:%(network:project_id)s or {ADMIN}'


def _network_owner_port_rules() -> list[policy.DocumentedRuleDefault]:
    """On a network shared with the caller, addresses and MACs are the owner's to choose."""
    return [
        rule('create_port:fixed_ips:ip_address', NETWORK_OWNER, "Choose a new port's IP "
             'addresses.', 'POST', '/v2.0/ports'),
        rule('update_port:fixed_ips:ip_address', NETWORK_OWNER, "Choose a port's IP "
             'addresses.', 'PUT', '/v2.0/ports/{id}'),
        rule('create_port:mac_address', NETWORK_OWNER, "Choose a new port's MAC address.",
             'POST', '/v2.0/ports'),
    ]


def _provider_rules() -> list[policy.DocumentedRuleDefault]:
    """Provider attributes (provider, multi-provider) are admin-only, as in neutron."""
    rules = []
    for attribute in ('provider:network_type', 'provider:physical_network',
                      'provider:segmentation_id', 'segments'):
        rules += [
            rule(f'create_network:{attribute}', ADMIN, f"Set a new network's {attribute}.",
                 'POST', '/v2.0/networks'),
            rule(f'get_network:{attribute}', ADMIN, f"See a network's {attribute}.", 'GET',
                 '/v2.0/networks/{id}'),
            rule(f'update_network:{attribute}', ADMIN, f"Change a network's {attribute}.",
                 'PUT', '/v2.0/networks/{id}'),
        ]
    return rules
