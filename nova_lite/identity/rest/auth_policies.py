"""Policy rules of the system grants, role implications, catalog writes,
application credentials and credentials (keystone's defaults).

``admin`` is the cloud administrator whatever the scope; a reader on the
system (``role:reader and system_scope:all``) may read the catalog records,
the system grants and the role implications. A user manages its own
application credentials and credentials.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api.policy import rule

ADMIN = 'rule:admin'
SYSTEM_READER = 'rule:admin or (role:reader and system_scope:all)'
OWNER = 'rule:admin or user_id:%(user_id)s'
OWNER_OR_SYSTEM_READER = f'{OWNER} or (role:reader and system_scope:all)'
SYSTEM_USER_ROLES = '/v3/system/users/{user_id}/roles/{role_id}'
SYSTEM_GROUP_ROLES = '/v3/system/groups/{group_id}/roles/{role_id}'
IMPLIES = '/v3/roles/{prior_role_id}/implies/{implied_role_id}'
APP_CREDS = '/v3/users/{user_id}/application_credentials'
EC2 = '/v3/users/{user_id}/credentials/OS-EC2'

RULES: list[policy.RuleDefault] = [
    rule('identity:create_system_grant_for_user', ADMIN, 'Grant a role on the system.',
         'PUT', SYSTEM_USER_ROLES),
    rule('identity:check_system_grant_for_user', SYSTEM_READER,
         'Check a role grant on the system.', 'HEAD', SYSTEM_USER_ROLES),
    rule('identity:list_system_grants_for_user', SYSTEM_READER,
         "List a user's roles on the system.", 'GET', '/v3/system/users/{user_id}/roles'),
    rule('identity:revoke_system_grant_for_user', ADMIN, 'Remove a role grant on the system.',
         'DELETE', SYSTEM_USER_ROLES),
    rule('identity:create_system_grant_for_group', ADMIN,
         "Grant a role on the system to a group's members.", 'PUT', SYSTEM_GROUP_ROLES),
    rule('identity:check_system_grant_for_group', SYSTEM_READER,
         "Check a group's role grant on the system.", 'HEAD', SYSTEM_GROUP_ROLES),
    rule('identity:list_system_grants_for_group', SYSTEM_READER,
         "List a group's roles on the system.", 'GET', '/v3/system/groups/{group_id}/roles'),
    rule('identity:revoke_system_grant_for_group', ADMIN,
         "Remove a group's role grant on the system.", 'DELETE', SYSTEM_GROUP_ROLES),
    rule('identity:delete_role', ADMIN, 'Delete a role.', 'DELETE', '/v3/roles/{role_id}'),
    rule('identity:create_implied_role', ADMIN, 'Make a role imply another.', 'PUT', IMPLIES),
    rule('identity:get_implied_role', SYSTEM_READER, 'Show a role implication.', 'GET',
         IMPLIES),
    rule('identity:list_implied_roles', SYSTEM_READER, 'List the roles a role implies.',
         'GET', '/v3/roles/{prior_role_id}/implies'),
    rule('identity:list_role_inference_rules', SYSTEM_READER, 'List every implication.',
         'GET', '/v3/role_inferences'),
    rule('identity:delete_implied_role', ADMIN, 'Remove a role implication.', 'DELETE',
         IMPLIES),
    rule('identity:get_region', '', 'Show a region.', 'GET', '/v3/regions/{region_id}'),
    rule('identity:create_region', ADMIN, 'Create a region.', 'POST', '/v3/regions'),
    rule('identity:update_region', ADMIN, 'Update a region.', 'PATCH',
         '/v3/regions/{region_id}'),
    rule('identity:delete_region', ADMIN, 'Delete a region.', 'DELETE',
         '/v3/regions/{region_id}'),
    rule('identity:get_service', SYSTEM_READER, 'Show a service.', 'GET',
         '/v3/services/{service_id}'),
    rule('identity:create_service', ADMIN, 'Create a service.', 'POST', '/v3/services'),
    rule('identity:update_service', ADMIN, 'Update a service.', 'PATCH',
         '/v3/services/{service_id}'),
    rule('identity:delete_service', ADMIN, 'Delete a service.', 'DELETE',
         '/v3/services/{service_id}'),
    rule('identity:get_endpoint', SYSTEM_READER, 'Show an endpoint.', 'GET',
         '/v3/endpoints/{endpoint_id}'),
    rule('identity:create_endpoint', ADMIN, 'Create an endpoint.', 'POST', '/v3/endpoints'),
    rule('identity:update_endpoint', ADMIN, 'Update an endpoint.', 'PATCH',
         '/v3/endpoints/{endpoint_id}'),
    rule('identity:delete_endpoint', ADMIN, 'Delete an endpoint.', 'DELETE',
         '/v3/endpoints/{endpoint_id}'),
    rule('identity:create_application_credential', OWNER,
         'Create an application credential.', 'POST', APP_CREDS),
    rule('identity:list_application_credentials', OWNER_OR_SYSTEM_READER,
         "List a user's application credentials.", 'GET', APP_CREDS),
    rule('identity:get_application_credential', OWNER_OR_SYSTEM_READER,
         'Show an application credential.', 'GET', APP_CREDS + '/{application_credential_id}'),
    rule('identity:delete_application_credential', OWNER,
         'Delete an application credential.', 'DELETE',
         APP_CREDS + '/{application_credential_id}'),
    rule('identity:create_credential', OWNER, 'Create a credential.', 'POST',
         '/v3/credentials'),
    rule('identity:list_credentials', OWNER_OR_SYSTEM_READER, 'List credentials.', 'GET',
         '/v3/credentials'),
    rule('identity:get_credential', OWNER_OR_SYSTEM_READER, 'Show a credential.', 'GET',
         '/v3/credentials/{credential_id}'),
    rule('identity:update_credential', OWNER, 'Update a credential.', 'PATCH',
         '/v3/credentials/{credential_id}'),
    rule('identity:delete_credential', OWNER, 'Delete a credential.', 'DELETE',
         '/v3/credentials/{credential_id}'),
    rule('identity:ec2_create_credential', OWNER, 'Create an EC2 credential.', 'POST', EC2),
    rule('identity:ec2_list_credentials', OWNER_OR_SYSTEM_READER,
         "List a user's EC2 credentials.", 'GET', EC2),
    rule('identity:ec2_get_credential', OWNER_OR_SYSTEM_READER, 'Show an EC2 credential.',
         'GET', EC2 + '/{credential_id}'),
    rule('identity:ec2_delete_credential', OWNER, 'Delete an EC2 credential.', 'DELETE',
         EC2 + '/{credential_id}'),
]
