"""The compute API's policy rules (nova's rule names, nova_lite's default roles).

Servers: a project member creates, changes and deletes its project's servers,
a reader looks at them; flavors are read by anyone with a token and managed
by admins; hypervisors, other projects' servers and host attributes are for
admins. Keypairs are their user's (or an admin's, acting for that user).
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base
from nova_lite.compute.rest import (
    action_policies,
    admin_policies,
    interface_policies,
    proxy_policies,
)

ANY = '@'

SERVERS_CREATE = 'os_compute_api:servers:create'
SERVERS_INDEX = 'os_compute_api:servers:index'
SERVERS_ALL_TENANTS = 'os_compute_api:servers:index:get_all_tenants'
SERVERS_SHOW = 'os_compute_api:servers:show'
SERVERS_DELETE = 'os_compute_api:servers:delete'
SERVERS_HOST_ATTRIBUTES = 'os_compute_api:os-extended-server-attributes'
SERVERS_STOP = 'os_compute_api:servers:stop'
SERVERS_START = 'os_compute_api:servers:start'
SERVERS_REBOOT = 'os_compute_api:servers:reboot'
CONSOLE_OUTPUT = 'os_compute_api:os-console-output'
FLAVORS_READ = 'os_compute_api:os-flavor-manage:read'
FLAVORS_CREATE = 'os_compute_api:os-flavor-manage:create'
FLAVORS_DELETE = 'os_compute_api:os-flavor-manage:delete'
FLAVORS_UPDATE = 'os_compute_api:os-flavor-manage:update'
FLAVOR_ACCESS = 'os_compute_api:os-flavor-access'
HYPERVISORS = 'os_compute_api:os-hypervisors:list'
LIMITS = 'os_compute_api:limits'
KEYPAIRS_INDEX = 'os_compute_api:os-keypairs:index'
KEYPAIRS_CREATE = 'os_compute_api:os-keypairs:create'
KEYPAIRS_SHOW = 'os_compute_api:os-keypairs:show'
KEYPAIRS_DELETE = 'os_compute_api:os-keypairs:delete'
SERVER_GROUPS_CREATE = 'os_compute_api:os-server-groups:create'
SERVER_GROUPS_DELETE = 'os_compute_api:os-server-groups:delete'
SERVER_GROUPS_INDEX = 'os_compute_api:os-server-groups:index'
SERVER_GROUPS_ALL_PROJECTS = 'os_compute_api:os-server-groups:index:all_projects'
SERVER_GROUPS_SHOW = 'os_compute_api:os-server-groups:show'
SERVERS_UPDATE = 'os_compute_api:servers:update'
SERVER_METADATA_INDEX = 'os_compute_api:server-metadata:index'
SERVER_METADATA_SHOW = 'os_compute_api:server-metadata:show'
SERVER_METADATA_CREATE = 'os_compute_api:server-metadata:create'
SERVER_METADATA_UPDATE = 'os_compute_api:server-metadata:update'
SERVER_METADATA_UPDATE_ALL = 'os_compute_api:server-metadata:update_all'
SERVER_METADATA_DELETE = 'os_compute_api:server-metadata:delete'
IPS_INDEX = 'os_compute_api:ips:index'
IPS_SHOW = 'os_compute_api:ips:show'
SERVER_TAGS_INDEX = 'os_compute_api:os-server-tags:index'
SERVER_TAGS_SHOW = 'os_compute_api:os-server-tags:show'
SERVER_TAGS_UPDATE = 'os_compute_api:os-server-tags:update'
SERVER_TAGS_UPDATE_ALL = 'os_compute_api:os-server-tags:update_all'
SERVER_TAGS_DELETE = 'os_compute_api:os-server-tags:delete'
SERVER_TAGS_DELETE_ALL = 'os_compute_api:os-server-tags:delete_all'
LIMITS_OTHER_PROJECT = 'os_compute_api:limits:other_project'
QUOTA_SETS_SHOW = 'os_compute_api:os-quota-sets:show'
QUOTA_SETS_UPDATE = 'os_compute_api:os-quota-sets:update'
QUOTA_SETS_DEFAULTS = 'os_compute_api:os-quota-sets:defaults'
QUOTA_SETS_DELETE = 'os_compute_api:os-quota-sets:delete'
QUOTA_SETS_DETAIL = 'os_compute_api:os-quota-sets:detail'
QUOTA_CLASS_SETS_SHOW = 'os_compute_api:os-quota-class-sets:show'
QUOTA_CLASS_SETS_UPDATE = 'os_compute_api:os-quota-class-sets:update'
TENANT_USAGE_LIST = 'os_compute_api:os-simple-tenant-usage:list'
TENANT_USAGE_SHOW = 'os_compute_api:os-simple-tenant-usage:show'
# Keypairs belong to users: the owner, or an admin acting for them (2.10 user_id).
ADMIN_OR_OWNER = 'role:admin or user_id:%(user_id)s'


def list_rules() -> list[policy.RuleDefault]:
    return [
        base.rule(SERVERS_CREATE, base.PROJECT_MEMBER, 'Create a server.', 'POST', '/servers'),
        base.rule(SERVERS_INDEX, base.PROJECT_READER, "List the project's servers.", 'GET',
                  '/servers'),
        base.rule(SERVERS_ALL_TENANTS, base.ADMIN, "List every project's servers.", 'GET',
                  '/servers?all_tenants=1'),
        base.rule(SERVERS_SHOW, base.PROJECT_READER, 'Show a server.', 'GET',
                  '/servers/{server_id}'),
        base.rule(SERVERS_DELETE, base.PROJECT_MEMBER, 'Delete a server.', 'DELETE',
                  '/servers/{server_id}'),
        base.rule(SERVERS_HOST_ATTRIBUTES, base.ADMIN, "Show a server's host (OS-EXT-SRV-ATTR).",
                  'GET', '/servers/{server_id}'),
        base.rule(SERVERS_STOP, base.PROJECT_MEMBER, 'Stop a server (os-stop).', 'POST',
                  '/servers/{server_id}/action'),
        base.rule(SERVERS_START, base.PROJECT_MEMBER, 'Start a server (os-start).', 'POST',
                  '/servers/{server_id}/action'),
        base.rule(SERVERS_REBOOT, base.PROJECT_MEMBER, 'Reboot a server.', 'POST',
                  '/servers/{server_id}/action'),
        base.rule(CONSOLE_OUTPUT, base.PROJECT_MEMBER, "Read a server's console log.", 'POST',
                  '/servers/{server_id}/action'),
        base.rule(FLAVORS_READ, ANY, 'List and show flavors.', 'GET', '/flavors'),
        base.rule(FLAVORS_CREATE, base.ADMIN, 'Create a flavor.', 'POST', '/flavors'),
        base.rule(FLAVORS_UPDATE, base.ADMIN, "Change a flavor's description (2.55).", 'PUT',
                  '/flavors/{flavor_id}'),
        base.rule(FLAVORS_DELETE, base.ADMIN, 'Delete a flavor.', 'DELETE',
                  '/flavors/{flavor_id}'),
        base.rule(FLAVOR_ACCESS, base.ADMIN, 'List the projects a private flavor is for.',
                  'GET', '/flavors/{flavor_id}/os-flavor-access'),
        base.rule(HYPERVISORS, base.ADMIN, 'List the compute hosts.', 'GET', '/os-hypervisors'),
        base.rule(LIMITS, ANY, "Show the project's limits and usage.", 'GET', '/limits'),
        base.rule(KEYPAIRS_INDEX, ADMIN_OR_OWNER, "List a user's keypairs.", 'GET',
                  '/os-keypairs'),
        base.rule(KEYPAIRS_CREATE, ADMIN_OR_OWNER, 'Create or import a keypair.', 'POST',
                  '/os-keypairs'),
        base.rule(KEYPAIRS_SHOW, ADMIN_OR_OWNER, 'Show a keypair.', 'GET',
                  '/os-keypairs/{keypair_name}'),
        base.rule(KEYPAIRS_DELETE, ADMIN_OR_OWNER, 'Delete a keypair.', 'DELETE',
                  '/os-keypairs/{keypair_name}'),
        *proxy_policies.list_rules(),
        base.rule(SERVER_GROUPS_CREATE, base.PROJECT_MEMBER, 'Create a server group.', 'POST',
                  '/os-server-groups'),
        base.rule(SERVER_GROUPS_DELETE, base.PROJECT_MEMBER, 'Delete a server group.',
                  'DELETE', '/os-server-groups/{server_group_id}'),
        base.rule(SERVER_GROUPS_INDEX, base.PROJECT_READER, "List the project's server groups.",
                  'GET', '/os-server-groups'),
        base.rule(SERVER_GROUPS_ALL_PROJECTS, base.ADMIN, "List every project's server groups.",
                  'GET', '/os-server-groups?all_projects=True'),
        base.rule(SERVER_GROUPS_SHOW, base.PROJECT_READER, 'Show a server group.', 'GET',
                  '/os-server-groups/{server_group_id}'),
        *action_policies.list_rules(),
        *interface_policies.list_rules(),
        *admin_policies.list_rules(),
        *_server_surface_rules(),
        *_quota_rules(),
    ]


def _server_surface_rules() -> list[policy.RuleDefault]:
    """PUT /servers/{id}, server metadata and addresses."""
    metadata = '/servers/{server_id}/metadata'
    return [
        base.rule(SERVERS_UPDATE, base.PROJECT_MEMBER, 'Change a server (name, ...).', 'PUT',
                  '/servers/{server_id}'),
        base.rule(SERVER_METADATA_INDEX, base.PROJECT_READER, "List a server's metadata.",
                  'GET', metadata),
        base.rule(SERVER_METADATA_SHOW, base.PROJECT_READER, 'Show a server metadata item.',
                  'GET', metadata + '/{key}'),
        base.rule(SERVER_METADATA_CREATE, base.PROJECT_MEMBER, "Add to a server's metadata.",
                  'POST', metadata),
        base.rule(SERVER_METADATA_UPDATE_ALL, base.PROJECT_MEMBER,
                  "Replace a server's metadata.", 'PUT', metadata),
        base.rule(SERVER_METADATA_UPDATE, base.PROJECT_MEMBER, 'Set a server metadata item.',
                  'PUT', metadata + '/{key}'),
        base.rule(SERVER_METADATA_DELETE, base.PROJECT_MEMBER,
                  'Delete a server metadata item.', 'DELETE', metadata + '/{key}'),
        base.rule(IPS_INDEX, base.PROJECT_READER, "List a server's addresses.", 'GET',
                  '/servers/{server_id}/ips'),
        base.rule(IPS_SHOW, base.PROJECT_READER, "List a server's addresses on one network.",
                  'GET', '/servers/{server_id}/ips/{network_label}'),
        *_server_tag_rules(),
    ]


def _server_tag_rules() -> list[policy.RuleDefault]:
    tags = '/servers/{server_id}/tags'
    return [
        base.rule(SERVER_TAGS_INDEX, base.PROJECT_READER, "List a server's tags.", 'GET', tags),
        base.rule(SERVER_TAGS_SHOW, base.PROJECT_READER, 'Check a server tag.', 'GET',
                  tags + '/{tag}'),
        base.rule(SERVER_TAGS_UPDATE, base.PROJECT_MEMBER, 'Add a server tag.', 'PUT',
                  tags + '/{tag}'),
        base.rule(SERVER_TAGS_UPDATE_ALL, base.PROJECT_MEMBER, "Replace a server's tags.",
                  'PUT', tags),
        base.rule(SERVER_TAGS_DELETE, base.PROJECT_MEMBER, 'Remove a server tag.', 'DELETE',
                  tags + '/{tag}'),
        base.rule(SERVER_TAGS_DELETE_ALL, base.PROJECT_MEMBER, "Remove a server's tags.",
                  'DELETE', tags),
    ]


def _quota_rules() -> list[policy.RuleDefault]:
    """Quotas and usage: a project's readers see its own, admins see and set any."""
    return [
        base.rule(LIMITS_OTHER_PROJECT, base.ADMIN, "Show another project's limits.", 'GET',
                  '/limits?tenant_id={project_id}'),
        base.rule(QUOTA_SETS_SHOW, base.PROJECT_READER, "Show a project's quotas.", 'GET',
                  '/os-quota-sets/{project_id}'),
        base.rule(QUOTA_SETS_UPDATE, base.ADMIN, "Set a project's (or user's) quotas.", 'PUT',
                  '/os-quota-sets/{project_id}'),
        base.rule(QUOTA_SETS_DEFAULTS, ANY, 'Show the default quotas.', 'GET',
                  '/os-quota-sets/{project_id}/defaults'),
        base.rule(QUOTA_SETS_DELETE, base.ADMIN, "Reset a project's quotas to the defaults.",
                  'DELETE', '/os-quota-sets/{project_id}'),
        base.rule(QUOTA_SETS_DETAIL, base.PROJECT_READER,
                  "Show a project's quotas with usage.", 'GET',
                  '/os-quota-sets/{project_id}/detail'),
        base.rule(QUOTA_CLASS_SETS_SHOW, base.ADMIN, 'Show a quota class.', 'GET',
                  '/os-quota-class-sets/{quota_class}'),
        base.rule(QUOTA_CLASS_SETS_UPDATE, base.ADMIN, 'Set a quota class.', 'PUT',
                  '/os-quota-class-sets/{quota_class}'),
        base.rule(TENANT_USAGE_LIST, base.ADMIN, "List every project's usage.", 'GET',
                  '/os-simple-tenant-usage'),
        base.rule(TENANT_USAGE_SHOW, base.PROJECT_READER, "Show a project's usage.", 'GET',
                  '/os-simple-tenant-usage/{tenant_id}'),
    ]
