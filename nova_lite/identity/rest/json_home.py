"""Keystone's JSON Home document (``GET /v3`` or ``GET /`` with ``Accept:
application/json-home``): where the identity API advertises its resources,
the extensions' (OS-INHERIT, OS-EP-FILTER, OS-OAUTH1) among them."""

from __future__ import annotations

import re
from typing import Any

MEDIA_TYPE = 'application/json-home'
_BASE = 'https://docs.openstack.org/api/openstack-identity/3'
# A path variable's relation when it is not ``{base}/param/{name}``.
_PARAMS = {'group': 'config_group', 'option': 'config_option'}

# (relation, path under /v3) of the resources nova_lite serves.
CORE_RESOURCES: tuple[tuple[str, str], ...] = (
    ('auth_tokens', '/auth/tokens'),
    ('projects', '/projects'), ('project', '/projects/{project_id}'),
    ('user_projects', '/users/{user_id}/projects'),
    ('users', '/users'), ('user', '/users/{user_id}'),
    ('roles', '/roles'), ('role', '/roles/{role_id}'),
    ('project_user_roles', '/projects/{project_id}/users/{user_id}/roles'),
    ('project_user_role', '/projects/{project_id}/users/{user_id}/roles/{role_id}'),
    ('role_assignments', '/role_assignments'),
    ('domains', '/domains'), ('domain', '/domains/{domain_id}'),
    ('regions', '/regions'), ('region', '/regions/{region_id}'),
    ('services', '/services'), ('endpoints', '/endpoints'),
    ('policies', '/policies'), ('policy', '/policies/{policy_id}'),
    ('domain_config', '/domains/{domain_id}/config'),
    ('domain_config_group', '/domains/{domain_id}/config/{group}'),
    ('domain_config_option', '/domains/{domain_id}/config/{group}/{option}'),
    ('domain_config_default', '/domains/config/default'),
    ('domain_config_default_group', '/domains/config/{group}/default'),
    ('domain_config_default_option', '/domains/config/{group}/{option}/default'),
)

_DOMAIN_USER = '/OS-INHERIT/domains/{domain_id}/users/{user_id}/roles'
_DOMAIN_GROUP = '/OS-INHERIT/domains/{domain_id}/groups/{group_id}/roles'
_PROJECT_USER = '/OS-INHERIT/projects/{project_id}/users/{user_id}/roles'
_PROJECT_GROUP = '/OS-INHERIT/projects/{project_id}/groups/{group_id}/roles'
_ONE = '/{role_id}/inherited_to_projects'
_ALL = '/inherited_to_projects'

# extension -> (relation, path under /v3).
EXTENSION_RESOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    'OS-EP-FILTER': (
        ('endpoint_groups', '/OS-EP-FILTER/endpoint_groups'),
        ('endpoint_group', '/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}'),
    ),
    'OS-OAUTH1': (
        ('consumers', '/OS-OAUTH1/consumers'),
        ('consumer', '/OS-OAUTH1/consumers/{consumer_id}'),
    ),
    'OS-INHERIT': (
        ('domain_user_role_inherited_to_projects', _DOMAIN_USER + _ONE),
        ('domain_group_role_inherited_to_projects', _DOMAIN_GROUP + _ONE),
        ('domain_user_roles_inherited_to_projects', _DOMAIN_USER + _ALL),
        ('domain_group_roles_inherited_to_projects', _DOMAIN_GROUP + _ALL),
        ('project_user_role_inherited_to_projects', _PROJECT_USER + _ONE),
        ('project_group_role_inherited_to_projects', _PROJECT_GROUP + _ONE),
    ),
}
# Path variables an extension names in its own namespace.
_EXTENSION_PARAMS = frozenset({'endpoint_group_id', 'consumer_id'})


def _resource(rel_base: str, path: str, prefix: str) -> dict[str, Any]:
    names = re.findall(r'{(\w+)}', path)
    if not names:
        return {'href': prefix + path}
    href_vars = {}
    for name in names:
        if name in _EXTENSION_PARAMS:
            href_vars[name] = f'{rel_base}/param/{name}'
        else:
            href_vars[name] = f"{_BASE}/param/{_PARAMS.get(name, name)}"
    return {'href-template': prefix + path, 'href-vars': href_vars}


def document(prefix: str = '') -> dict[str, Any]:
    """The JSON Home document; ``prefix`` ('/v3' when served at ``/``) before each path."""
    resources = {f'{_BASE}/rel/{rel}': _resource(_BASE, path, prefix)
                 for rel, path in CORE_RESOURCES}
    for extension, items in EXTENSION_RESOURCES.items():
        rel_base = f'{_BASE}/ext/{extension}/1.0'
        for rel, path in items:
            resources[f'{rel_base}/rel/{rel}'] = _resource(rel_base, path, prefix)
    return {'resources': resources}
