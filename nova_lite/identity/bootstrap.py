"""``bootstrap``: the first identity records of a cloud, as keystone-manage bootstrap.

Creates what is missing, never duplicates: the Default domain (id ``default``),
the admin project, the admin user, the roles admin/member/reader (the admin
user holds all three on the admin project), the region and the five catalog
services with their public endpoints.

Running it again changes nothing, with one deliberate exception that keystone
makes too: if the admin user exists but the given password does not match, the
password is reset to the given one (which revokes the user's earlier tokens),
and a disabled admin user is enabled again. That makes bootstrap the recovery
tool for a lost admin password. An endpoint whose URL no longer matches
``[identity] public_base_url`` is updated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nova_lite.common import exception
from nova_lite.identity import catalog, manager, passwords

DEFAULT_DOMAIN_ID = 'default'
DEFAULT_DOMAIN_NAME = 'Default'
ROLES = ('admin', 'member', 'reader')


def _ensure(find: Callable[[], dict[str, Any]], create: Callable[[], dict[str, Any]],
            label: str, changed: list[str]) -> dict[str, Any]:
    """The existing record, or a new one (a concurrent creator's, on a clash)."""
    try:
        return find()
    except exception.NotFound:
        pass
    try:
        record = create()
    except exception.Duplicate:
        return find()
    changed.append(f'created {label}')
    return record


def bootstrap(identity: manager.IdentityManager, *, password: str, admin_user: str = 'admin',
              admin_project: str = 'admin', region: str | None = None) -> dict[str, Any]:
    """Creates the admin identity and the catalog; returns a summary of what exists.

    ``summary['changed']`` lists what this run created or updated (empty when
    everything was already in place).
    """
    passwords.validate_password(password)
    region_id = identity.conf.identity.region_id if region is None else region
    changed: list[str] = []

    domain = _ensure(lambda: identity.get_domain(DEFAULT_DOMAIN_ID),
                     lambda: identity.create_domain(DEFAULT_DOMAIN_NAME, id=DEFAULT_DOMAIN_ID,
                                                    description='The default domain'),
                     f'domain {DEFAULT_DOMAIN_NAME}', changed)
    project = _ensure(lambda: identity.find_project(admin_project, domain['id']),
                      lambda: identity.create_project(
                          admin_project, domain['id'],
                          description='Bootstrap project for initializing the cloud.'),
                      f'project {admin_project}', changed)
    user = _ensure(lambda: identity.find_user(admin_user, domain['id']),
                   lambda: identity.create_user(admin_user, domain['id'], password,
                                                default_project_id=project['id']),
                   f'user {admin_user}', changed)
    password_reset = False
    if f'created user {admin_user}' not in changed:
        password_reset = not identity.verify_user_password(user['id'], password)
        if password_reset or not user['enabled']:
            user = identity.update_user(user['id'], enabled=True,
                                        password=password if password_reset else None)
            changed.append(f'reset password of user {admin_user}' if password_reset
                           else f'enabled user {admin_user}')

    roles = {name: _ensure(lambda name=name: identity.find_role(name),
                           lambda name=name: identity.create_role(name),
                           f'role {name}', changed)['id']
             for name in ROLES}
    granted = {(a['project_id'], a['role_id'])
               for a in identity.list_role_assignments(user_id=user['id'])}
    for name, role_id in roles.items():
        if (project['id'], role_id) not in granted:
            identity.assign_role(user['id'], project['id'], role_id)
            changed.append(f'granted role {name} to {admin_user} on {admin_project}')

    endpoints = _bootstrap_catalog(identity, region_id, changed)
    return {'domain_id': domain['id'], 'project_id': project['id'], 'user_id': user['id'],
            'roles': roles, 'region_id': region_id, 'endpoints': endpoints,
            'password_reset': password_reset, 'changed': changed}


def _bootstrap_catalog(identity: manager.IdentityManager, region_id: str,
                       changed: list[str]) -> list[str]:
    """The region, the five services and their public endpoints; 'type url' lines."""
    if region_id not in {region['id'] for region in identity.list_regions()}:
        changed.append(f'created region {region_id}')
    identity.create_region(region_id)
    before = {(e['service_id'], e['interface'], e['region_id']): e['url']
              for e in identity.list_endpoints()}
    known_types = {service['type'] for service in identity.list_services()}
    base_url = identity.conf.identity.public_base_url
    lines = []
    for entry in catalog.SERVICES:
        if entry.type not in known_types:
            changed.append(f'created service {entry.type} ({entry.name})')
        service = identity.create_service(entry.type, entry.name)
        url = catalog.service_url(base_url, entry)
        previous = before.get((service['id'], catalog.PUBLIC_INTERFACE, region_id))
        if previous != url:
            changed.append(f'{"created" if previous is None else "updated"} public '
                           f'endpoint {url}')
        identity.create_endpoint(service['id'], url, region_id=region_id)
        lines.append(f'{entry.type} {url}')
    return lines
