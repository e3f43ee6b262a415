"""Policy rules of os-interface (interface attach and detach) and os-server-password."""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base

INTERFACES_LIST = 'os_compute_api:os-attach-interfaces:list'
INTERFACES_SHOW = 'os_compute_api:os-attach-interfaces:show'
INTERFACES_CREATE = 'os_compute_api:os-attach-interfaces:create'
INTERFACES_DELETE = 'os_compute_api:os-attach-interfaces:delete'
PASSWORD_SHOW = 'os_compute_api:os-server-password:show'
PASSWORD_CLEAR = 'os_compute_api:os-server-password:clear'

_INTERFACES = '/servers/{server_id}/os-interface'
_PASSWORD = '/servers/{server_id}/os-server-password'


def list_rules() -> list[policy.RuleDefault]:
    return [
        base.rule(INTERFACES_LIST, base.PROJECT_READER, "List a server's interfaces.", 'GET',
                  _INTERFACES),
        base.rule(INTERFACES_SHOW, base.PROJECT_READER, 'Show a server interface.', 'GET',
                  _INTERFACES + '/{port_id}'),
        base.rule(INTERFACES_CREATE, base.PROJECT_MEMBER, 'Attach an interface to a server.',
                  'POST', _INTERFACES),
        base.rule(INTERFACES_DELETE, base.PROJECT_MEMBER,
                  'Detach an interface from a server.', 'DELETE', _INTERFACES + '/{port_id}'),
        base.rule(PASSWORD_SHOW, base.PROJECT_READER,
                  "Show a server's encrypted admin password.", 'GET', _PASSWORD),
        base.rule(PASSWORD_CLEAR, base.PROJECT_MEMBER,
                  "Clear a server's encrypted admin password.", 'DELETE', _PASSWORD),
    ]
