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
EXTERNAL_EVENTS = 'os_compute_api:os-server-external-events:create'
USAGE_AUDIT_LOG = 'os_compute_api:os-instance-usage-audit-log:list'
DIAGNOSTICS = 'os_compute_api:os-server-diagnostics'
NETWORKS_VIEW = 'os_compute_api:os-networks:list'
NETWORKS_MANAGE = 'os_compute_api:os-networks:manage'
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
        base.rule(EXTERNAL_EVENTS, base.ADMIN,
                  'Tell compute of a network or volume change of a server.', 'POST',
                  '/os-server-external-events'),
        base.rule(USAGE_AUDIT_LOG, base.ADMIN, 'Show the instance usage audit log.', 'GET',
                  '/os-instance_usage_audit_log'),
        base.rule(DIAGNOSTICS, base.ADMIN, "Show a server's diagnostics.", 'GET',
                  '/servers/{server_id}/diagnostics'),
        base.rule(NETWORKS_VIEW, base.PROJECT_READER, 'List and show networks (proxy).', 'GET',
                  '/os-networks'),
        base.rule(NETWORKS_MANAGE, base.ADMIN, 'Create or delete networks (nova-network: gone).',
                  'POST', '/os-networks'),
        base.rule(FLOATING_IPS_VIEW, base.PROJECT_READER, "List and show the project's "
                  'floating IPs (proxy).', 'GET', '/os-floating-ips'),
        base.rule(FLOATING_IPS_MANAGE, base.PROJECT_MEMBER, 'Allocate or release a floating IP '
                  '(proxy), or add or remove one on a server.', 'POST', '/os-floating-ips'),
        base.rule(FLOATING_IP_POOLS, base.PROJECT_READER, 'List floating IP pools (proxy).',
                  'GET', '/os-floating-ip-pools'),
    ]
