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
        rule('get_router', READER, 'List routers (there are none).', 'GET',
             '/v2.0/routers'),
        rule('get_floatingip', READER, 'List floating IPs (there are none).', 'GET',
             '/v2.0/floatingips'),
    ]
