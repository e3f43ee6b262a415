"""Policy rules of the identity API extensions (keystone's defaults: ``admin``
changes, ``reader`` looks). OS-INHERIT grants use the grant rules of
policies.py, as keystone's do."""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api.policy import rule

ADMIN = 'rule:admin'
READER = 'rule:reader'

_POLICY = '/v3/policies/{policy_id}'
_GROUP = '/v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}'
_CONSUMER = '/v3/OS-OAUTH1/consumers/{consumer_id}'
_CONFIG = '/v3/domains/{domain_id}/config'

RULES: list[policy.RuleDefault] = [
    rule('identity:create_policy', ADMIN, 'Store a policy document.', 'POST', '/v3/policies'),
    rule('identity:list_policies', READER, 'List policy documents.', 'GET', '/v3/policies'),
    rule('identity:get_policy', READER, 'Show a policy document.', 'GET', _POLICY),
    rule('identity:update_policy', ADMIN, 'Update a policy document.', 'PATCH', _POLICY),
    rule('identity:delete_policy', ADMIN, 'Delete a policy document.', 'DELETE', _POLICY),
    rule('identity:create_endpoint_group', ADMIN, 'Create an endpoint group.', 'POST',
         '/v3/OS-EP-FILTER/endpoint_groups'),
    rule('identity:list_endpoint_groups', READER, 'List endpoint groups.', 'GET',
         '/v3/OS-EP-FILTER/endpoint_groups'),
    rule('identity:get_endpoint_group', READER, 'Show or check an endpoint group.', 'GET',
         _GROUP),
    rule('identity:update_endpoint_group', ADMIN, 'Update an endpoint group.', 'PATCH',
         _GROUP),
    rule('identity:delete_endpoint_group', ADMIN, 'Delete an endpoint group.', 'DELETE',
         _GROUP),
    rule('identity:create_consumer', ADMIN, 'Create an OAuth1 consumer.', 'POST',
         '/v3/OS-OAUTH1/consumers'),
    rule('identity:list_consumers', READER, 'List OAuth1 consumers.', 'GET',
         '/v3/OS-OAUTH1/consumers'),
    rule('identity:get_consumer', READER, 'Show an OAuth1 consumer.', 'GET', _CONSUMER),
    rule('identity:update_consumer', ADMIN, 'Update an OAuth1 consumer.', 'PATCH', _CONSUMER),
    rule('identity:delete_consumer', ADMIN, 'Delete an OAuth1 consumer.', 'DELETE',
         _CONSUMER),
    rule('identity:create_domain_config', ADMIN, "Set a domain's configuration.", 'PUT',
         _CONFIG),
    rule('identity:get_domain_config', READER,
         "Show a domain's configuration (or a group or option of it).", 'GET', _CONFIG),
    rule('identity:update_domain_config', ADMIN,
         "Change a domain's configuration (or a group or option of it).", 'PATCH', _CONFIG),
    rule('identity:delete_domain_config', ADMIN,
         "Delete a domain's configuration (or a group or option of it).", 'DELETE', _CONFIG),
    rule('identity:get_domain_config_default', READER,
         'Show the default domain configuration.', 'GET', '/v3/domains/config/default'),
]
