"""The identity API's policy rules (oslo.policy defaults, overridable by a policy file).

Administration (creating, changing and deleting projects, users, roles,
grants and domains, listing them all) needs ``admin``. A user may read
itself, the projects it holds a role on and its own role assignments, and
validate or revoke its own tokens; ``admin`` and ``service`` (the services'
own user, through keystonemiddleware) may validate any token.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api.policy import rule
from nova_lite.identity.rest import auth_policies, extension_policies

ADMIN = 'rule:admin'
TOKEN_SUBJECT = 'rule:admin or role:service or user_id:%(token_user_id)s'
SELF = 'rule:admin or user_id:%(user_id)s'
OWN_PROJECT = 'rule:admin or project_id:%(project_id)s or True:%(caller_has_role)s'
ANY_USER = ''


RULES: list[policy.RuleDefault] = [
    rule('identity:validate_token', TOKEN_SUBJECT, 'Validate a token.', 'GET',
         '/v3/auth/tokens'),
    rule('identity:revoke_token', TOKEN_SUBJECT, 'Revoke a token.', 'DELETE',
         '/v3/auth/tokens'),
    rule('identity:create_project', ADMIN, 'Create a project.', 'POST', '/v3/projects'),
    rule('identity:list_projects', ADMIN, 'List every project.', 'GET', '/v3/projects'),
    rule('identity:get_project', OWN_PROJECT, 'Show a project.', 'GET',
         '/v3/projects/{project_id}'),
    rule('identity:update_project', ADMIN, 'Update a project.', 'PATCH',
         '/v3/projects/{project_id}'),
    rule('identity:delete_project', ADMIN, 'Delete a project.', 'DELETE',
         '/v3/projects/{project_id}'),
    rule('identity:list_user_projects', SELF, "List a user's projects.", 'GET',
         '/v3/users/{user_id}/projects'),
    rule('identity:create_user', ADMIN, 'Create a user.', 'POST', '/v3/users'),
    rule('identity:list_users', ADMIN, 'List users.', 'GET', '/v3/users'),
    rule('identity:get_user', SELF, 'Show a user.', 'GET', '/v3/users/{user_id}'),
    rule('identity:update_user', ADMIN, 'Update a user.', 'PATCH', '/v3/users/{user_id}'),
    rule('identity:delete_user', ADMIN, 'Delete a user.', 'DELETE', '/v3/users/{user_id}'),
    rule('identity:create_role', ADMIN, 'Create a role.', 'POST', '/v3/roles'),
    rule('identity:list_roles', ADMIN, 'List roles.', 'GET', '/v3/roles'),
    rule('identity:get_role', ADMIN, 'Show a role.', 'GET', '/v3/roles/{role_id}'),
    rule('identity:create_grant', ADMIN, 'Grant a role on a project.', 'PUT',
         '/v3/projects/{project_id}/users/{user_id}/roles/{role_id}'),
    rule('identity:revoke_grant', ADMIN, 'Remove a role grant.', 'DELETE',
         '/v3/projects/{project_id}/users/{user_id}/roles/{role_id}'),
    rule('identity:check_grant', SELF, 'Check a role grant.', 'HEAD',
         '/v3/projects/{project_id}/users/{user_id}/roles/{role_id}'),
    rule('identity:list_grants', SELF, "List a user's roles on a project.", 'GET',
         '/v3/projects/{project_id}/users/{user_id}/roles'),
    rule('identity:list_role_assignments', SELF, 'List role assignments.', 'GET',
         '/v3/role_assignments'),
    rule('identity:create_domain', ADMIN, 'Create a domain.', 'POST', '/v3/domains'),
    rule('identity:list_domains', 'rule:reader', 'List domains.', 'GET', '/v3/domains'),
    rule('identity:get_domain', 'rule:reader', 'Show a domain.', 'GET',
         '/v3/domains/{domain_id}'),
    rule('identity:list_regions', ANY_USER, 'List regions.', 'GET', '/v3/regions'),
    rule('identity:list_services', auth_policies.SYSTEM_READER, 'List catalog services.',
         'GET', '/v3/services'),
    rule('identity:list_endpoints', auth_policies.SYSTEM_READER, 'List endpoints.', 'GET',
         '/v3/endpoints'),
    *auth_policies.RULES,
]

RULES += extension_policies.RULES
