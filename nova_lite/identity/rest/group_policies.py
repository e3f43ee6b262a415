"""Policy rules of groups, group and domain grants, project tags, role and domain
changes and password changes (oslo.policy defaults, like keystone's: administration
needs ``admin``; a user may read its own groups and grants; whoever gives a
user's original password may change it; a project's tags are readable by who
may read the project)."""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api.policy import rule
from nova_lite.identity.rest.policies import ADMIN, OWN_PROJECT, SELF

_PROJECT_GROUP_GRANT = '/v3/projects/{project_id}/groups/{group_id}/roles/{role_id}'
_DOMAIN_GRANT = '/v3/domains/{domain_id}/{actor}/{actor_id}/roles/{role_id}'

RULES: list[policy.RuleDefault] = [
    rule('identity:create_group', ADMIN, 'Create a group.', 'POST', '/v3/groups'),
    rule('identity:list_groups', ADMIN, 'List groups.', 'GET', '/v3/groups'),
    rule('identity:get_group', ADMIN, 'Show a group.', 'GET', '/v3/groups/{group_id}'),
    rule('identity:update_group', ADMIN, 'Update a group.', 'PATCH', '/v3/groups/{group_id}'),
    rule('identity:delete_group', ADMIN, 'Delete a group.', 'DELETE',
         '/v3/groups/{group_id}'),
    rule('identity:list_users_in_group', ADMIN, "List a group's users.", 'GET',
         '/v3/groups/{group_id}/users'),
    rule('identity:add_user_to_group', ADMIN, 'Add a user to a group.', 'PUT',
         '/v3/groups/{group_id}/users/{user_id}'),
    rule('identity:check_user_in_group', SELF, 'Check that a user is in a group.', 'HEAD',
         '/v3/groups/{group_id}/users/{user_id}'),
    rule('identity:remove_user_from_group', ADMIN, 'Remove a user from a group.', 'DELETE',
         '/v3/groups/{group_id}/users/{user_id}'),
    rule('identity:list_groups_for_user', SELF, "List a user's groups.", 'GET',
         '/v3/users/{user_id}/groups'),
    rule('identity:create_other_grant', ADMIN, 'Grant a role to a group, or on a domain.',
         'PUT', _DOMAIN_GRANT),
    rule('identity:revoke_other_grant', ADMIN, 'Remove a group or domain role grant.',
         'DELETE', _DOMAIN_GRANT),
    rule('identity:check_other_grant', SELF, 'Check a group or domain role grant.', 'HEAD',
         _PROJECT_GROUP_GRANT),
    rule('identity:list_other_grants', SELF, "List a group's or a domain's grants.", 'GET',
         '/v3/domains/{domain_id}/users/{user_id}/roles'),
    rule('identity:update_role', ADMIN, 'Rename a role.', 'PATCH', '/v3/roles/{role_id}'),
    rule('identity:update_domain', ADMIN, 'Update a domain.', 'PATCH',
         '/v3/domains/{domain_id}'),
    rule('identity:delete_domain', ADMIN, 'Delete a disabled domain and its contents.',
         'DELETE', '/v3/domains/{domain_id}'),
    rule('identity:get_project_tags', OWN_PROJECT, "List a project's tags.", 'GET',
         '/v3/projects/{project_id}/tags'),
    rule('identity:update_project_tags', ADMIN, "Set or delete a project's tags.", 'PUT',
         '/v3/projects/{project_id}/tags'),
    # As keystone: knowing the original password is the authority to change it.
    rule('identity:change_password', '', "Change a user's password (with the original).",
         'POST', '/v3/users/{user_id}/password'),
]
