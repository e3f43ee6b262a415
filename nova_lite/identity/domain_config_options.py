"""The domain configuration options keystone lets the API set (its whitelist),
with keystone's default values, and the sensitive ones (stored, never shown)."""

from __future__ import annotations

from typing import Any

IDENTITY_DEFAULTS: dict[str, Any] = {'driver': 'sql', 'list_limit': None}

LDAP_DEFAULTS: dict[str, Any] = {
    'url': 'ldap://localhost', 'user': None, 'suffix': 'cn=example,cn=com',
    'query_scope': 'one', 'page_size': 0, 'alias_dereferencing': 'default',
    'debug_level': None, 'chase_referrals': None,
    'user_tree_dn': None, 'user_filter': None, 'user_objectclass': 'inetOrgPerson',
    'user_id_attribute': 'cn', 'user_name_attribute': 'sn', 'user_mail_attribute': 'mail',
    'user_description_attribute': 'description', 'user_pass_attribute': 'userPassword',
    'user_enabled_attribute': 'enabled', 'user_enabled_invert': False,
    'user_enabled_mask': 0, 'user_enabled_default': 'True',
    'user_attribute_ignore': ['default_project_id'],
    'user_default_project_id_attribute': None, 'user_enabled_emulation': False,
    'user_enabled_emulation_dn': None, 'user_enabled_emulation_use_group_config': False,
    'user_additional_attribute_mapping': [],
    'group_tree_dn': None, 'group_filter': None, 'group_objectclass': 'groupOfNames',
    'group_id_attribute': 'cn', 'group_name_attribute': 'ou',
    'group_members_are_ids': False, 'group_member_attribute': 'member',
    'group_desc_attribute': 'description', 'group_attribute_ignore': [],
    'group_additional_attribute_mapping': [],
    'tls_cacertfile': None, 'tls_cacertdir': None, 'use_tls': False,
    'tls_req_cert': 'demand', 'use_pool': True, 'pool_size': 10, 'pool_retry_max': 3,
    'pool_retry_delay': 0.1, 'pool_connection_timeout': -1,
    'pool_connection_lifetime': 600, 'use_auth_pool': True, 'auth_pool_size': 100,
    'auth_pool_connection_lifetime': 60,
}

# group -> option -> default, for the options the API shows.
DEFAULTS: dict[str, dict[str, Any]] = {'identity': IDENTITY_DEFAULTS, 'ldap': LDAP_DEFAULTS}
# group -> options that may be set but are never shown (LDAP's bind password).
SENSITIVE: dict[str, tuple[str, ...]] = {'identity': (), 'ldap': ('password',)}
GROUPS = tuple(DEFAULTS)


def is_known(group: str, option: str) -> bool:
    return option in DEFAULTS.get(group, {}) or option in SENSITIVE.get(group, ())


def is_sensitive(group: str, option: str) -> bool:
    return option in SENSITIVE.get(group, ())
