"""Default policy of the network API, under neutron's rule names.

Which resources a caller can see at all is the manager's business (its own
project's, shared networks, everything for an admin); these rules decide
what a caller with a given role may do with them.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api.policy import ADMIN, PROJECT_MEMBER, READER, rule


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
        rule('get_network_ip_availability', ADMIN, 'Show or list the address usage of '
             'networks.', 'GET', '/v2.0/network-ip-availabilities/{id}'),
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
