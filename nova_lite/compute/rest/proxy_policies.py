"""Policy rules of the compute API's proxies and admin surfaces (nova's rule names).

Volume and network proxies: a project reader lists and shows, a member
creates and deletes (the service behind checks the token again). External
events (the network and block storage services' calls), the usage audit log,
server diagnostics and nova-network's deprecated network management are for
admins. The image proxy has no rules of its own: the image service decides.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base

VOLUMES_LIST = 'os_compute_api:os-volumes:list'
VOLUMES_SHOW = 'os_compute_api:os-volumes:show'
VOLUMES_CREATE = 'os_compute_api:os-volumes:create'
VOLUMES_DELETE = 'os_compute_api:os-volumes:delete'
SNAPSHOTS_LIST = 'os_compute_api:os-volumes:snapshots:list'
SNAPSHOTS_CREATE = 'os_compute_api:os-volumes:snapshots:create'
SNAPSHOTS_DELETE = 'os_compute_api:os-volumes:snapshots:delete'
EXTERNAL_EVENTS = 'os_compute_api:os-server-external-events:create'
ASSISTED_SNAPSHOT_CREATE = 'os_compute_api:os-assisted-volume-snapshots:create'
ASSISTED_SNAPSHOT_DELETE = 'os_compute_api:os-assisted-volume-snapshots:delete'
_ADMIN_OR_SERVICE = 'role:admin or role:service'
USAGE_AUDIT_LOG = 'os_compute_api:os-instance-usage-audit-log:list'
DIAGNOSTICS = 'os_compute_api:os-server-diagnostics'
NETWORKS_VIEW = 'os_compute_api:os-networks:list'
NETWORKS_MANAGE = 'os_compute_api:os-networks:manage'
TENANT_NETWORKS_LIST = 'os_compute_api:os-tenant-networks:list'
TENANT_NETWORKS_SHOW = 'os_compute_api:os-tenant-networks:show'
SECURITY_GROUPS_GET = 'os_compute_api:os-security-groups:get'
SECURITY_GROUPS_SHOW = 'os_compute_api:os-security-groups:show'
SECURITY_GROUPS_CREATE = 'os_compute_api:os-security-groups:create'
SECURITY_GROUPS_UPDATE = 'os_compute_api:os-security-groups:update'
SECURITY_GROUPS_DELETE = 'os_compute_api:os-security-groups:delete'
SECURITY_GROUP_RULES_CREATE = 'os_compute_api:os-security-groups:rule:create'
SECURITY_GROUP_RULES_DELETE = 'os_compute_api:os-security-groups:rule:delete'
SERVER_SECURITY_GROUPS_LIST = 'os_compute_api:os-security-groups:list'
SERVER_SECURITY_GROUPS_ADD = 'os_compute_api:os-security-groups:add'
SERVER_SECURITY_GROUPS_REMOVE = 'os_compute_api:os-security-groups:remove'
FLOATING_IPS_VIEW = 'os_compute_api:os-floating-ips:list'
FLOATING_IPS_MANAGE = 'os_compute_api:os-floating-ips:create'
FLOATING_IP_POOLS = 'os_compute_api:os-floating-ip-pools'


def list_rules() -> list[policy.RuleDefault]:
    return [
        base.rule(VOLUMES_LIST, base.PROJECT_READER, "List the project's volumes (proxy).",
                  'GET', '/os-volumes'),
        base.rule(VOLUMES_SHOW, base.PROJECT_READER, 'Show a volume (proxy).', 'GET',
                  '/os-volumes/{volume_id}'),
        base.rule(VOLUMES_CREATE, base.PROJECT_MEMBER, 'Create a volume (proxy).', 'POST',
                  '/os-volumes'),
        base.rule(VOLUMES_DELETE, base.PROJECT_MEMBER, 'Delete a volume (proxy).', 'DELETE',
                  '/os-volumes/{volume_id}'),
        base.rule(SNAPSHOTS_LIST, base.PROJECT_READER, 'List volume snapshots (proxy).',
                  'GET', '/os-snapshots'),
        base.rule(SNAPSHOTS_CREATE, base.PROJECT_MEMBER, 'Create a volume snapshot (proxy).',
                  'POST', '/os-snapshots'),
        base.rule(SNAPSHOTS_DELETE, base.PROJECT_MEMBER, 'Delete a volume snapshot (proxy).',
                  'DELETE', '/os-snapshots/{snapshot_id}'),
        base.rule(ASSISTED_SNAPSHOT_CREATE, _ADMIN_OR_SERVICE,
                  "Ask for a volume's assisted snapshot (block storage service).", 'POST',
                  '/os-assisted-volume-snapshots'),
        base.rule(ASSISTED_SNAPSHOT_DELETE, _ADMIN_OR_SERVICE,
                  "Delete a volume's assisted snapshot (block storage service).", 'DELETE',
                  '/os-assisted-volume-snapshots/{snapshot_id}'),
        base.rule(EXTERNAL_EVENTS, base.ADMIN,
                  'Tell compute of a network or volume change of a server.', 'POST',
                  '/os-server-external-events'),
        base.rule(USAGE_AUDIT_LOG, base.ADMIN, 'Show the instance usage audit log.', 'GET',
                  '/os-instance_usage_audit_log'),
        base.rule(DIAGNOSTICS, base.ADMIN, "Show a server's diagnostics.", 'GET',
                  '/servers/{server_id}/diagnostics'),
        base.rule(NETWORKS_VIEW, base.PROJECT_READER, 'List and show networks (proxy).', 'GET',
                  '/os-networks'),
        base.rule(TENANT_NETWORKS_LIST, base.PROJECT_READER,
                  "List the project's networks (os-tenant-networks proxy).", 'GET',
                  '/os-tenant-networks'),
        base.rule(TENANT_NETWORKS_SHOW, base.PROJECT_READER,
                  'Show a network (os-tenant-networks proxy).', 'GET',
                  '/os-tenant-networks/{network_id}'),
        base.rule(NETWORKS_MANAGE, base.ADMIN, 'Create or delete networks (nova-network: gone).',
                  'POST', '/os-networks'),
        *_network_proxy_rules(),
    ]


def _network_proxy_rules() -> list[policy.RuleDefault]:
    groups, rules = '/os-security-groups', '/os-security-group-rules'
    return [
        base.rule(SECURITY_GROUPS_GET, base.PROJECT_READER,
                  "List the project's security groups (proxy).", 'GET', groups),
        base.rule(SECURITY_GROUPS_SHOW, base.PROJECT_READER, 'Show a security group (proxy).',
                  'GET', f'{groups}/{{security_group_id}}'),
        base.rule(SECURITY_GROUPS_CREATE, base.PROJECT_MEMBER,
                  'Create a security group (proxy).', 'POST', groups),
        base.rule(SECURITY_GROUPS_UPDATE, base.PROJECT_MEMBER,
                  'Update a security group (proxy).', 'PUT', f'{groups}/{{security_group_id}}'),
        base.rule(SECURITY_GROUPS_DELETE, base.PROJECT_MEMBER,
                  'Delete a security group (proxy).', 'DELETE',
                  f'{groups}/{{security_group_id}}'),
        base.rule(SECURITY_GROUP_RULES_CREATE, base.PROJECT_MEMBER,
                  'Create a security group rule (proxy).', 'POST', rules),
        base.rule(SECURITY_GROUP_RULES_DELETE, base.PROJECT_MEMBER,
                  'Delete a security group rule (proxy).', 'DELETE',
                  f'{rules}/{{security_group_rule_id}}'),
        base.rule(SERVER_SECURITY_GROUPS_LIST, base.PROJECT_READER,
                  "List a server's security groups.", 'GET',
                  '/servers/{server_id}/os-security-groups'),
        base.rule(SERVER_SECURITY_GROUPS_ADD, base.PROJECT_MEMBER,
                  'Add a security group to a server (addSecurityGroup).', 'POST',
                  '/servers/{server_id}/action'),
        base.rule(SERVER_SECURITY_GROUPS_REMOVE, base.PROJECT_MEMBER,
                  'Remove a security group from a server (removeSecurityGroup).', 'POST',
                  '/servers/{server_id}/action'),
        base.rule(FLOATING_IPS_VIEW, base.PROJECT_READER, "List and show the project's "
                  'floating IPs (proxy).', 'GET', '/os-floating-ips'),
        base.rule(FLOATING_IPS_MANAGE, base.PROJECT_MEMBER, 'Allocate or release a floating IP '
                  '(proxy), or add or remove one on a server.', 'POST', '/os-floating-ips'),
        base.rule(FLOATING_IP_POOLS, base.PROJECT_READER, 'List floating IP pools (proxy).',
                  'GET', '/os-floating-ip-pools'),
    ]
