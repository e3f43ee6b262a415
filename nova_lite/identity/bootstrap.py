"""``bootstrap``: the first identity records of a cloud, as keystone-manage bootstrap.

Creates what is missing, never duplicates: the Default domain (id ``default``),
the admin project, the admin user, the roles admin/manager/member/reader with
keystone's implications (admin implies manager, manager implies member, member
implies reader; the admin user holds all four on the admin project and admin
on the system), the region and the five catalog
services with their public endpoints. Given a service password, also the
``service`` project and role and the services' own user (admin and service on
that project), whose credentials keystonemiddleware uses to validate tokens.

Running it again changes nothing, with one deliberate exception that keystone
makes too: if the admin user exists but the given password does not match, the
password is reset to the given one (which revokes the user's earlier tokens),
and a disabled admin user is enabled again (the service user likewise). That
makes bootstrap the recovery tool for a lost admin password. An endpoint
whose URL no longer matches ``[identity] public_base_url`` is updated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nova_lite.common import exception
from nova_lite.identity import catalog, manager, passwords

DEFAULT_DOMAIN_ID = 'default'
DEFAULT_DOMAIN_NAME = 'Default'
ROLES = ('admin', 'manager', 'member', 'reader')
# (prior, implied): holding the first role grants the second as well.
IMPLIED_ROLES = (('admin', 'manager'), ('manager', 'member'), ('member', 'reader'))
SERVICE_PROJECT = 'service'
SERVICE_ROLE = 'service'
DEFAULT_SERVICE_USER = 'nova_lite'


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


def _ensure_user(identity: manager.IdentityManager, name: str, domain_id: str,
                 project_id: str, password: str, changed: list[str]) -> tuple[dict[str, Any],
                                                                         bool]:
    """The user, created, or enabled and its password reset; (user, password_reset)."""
    user = _ensure(lambda: identity.find_user(name, domain_id),
                   lambda: identity.create_user(name, domain_id, password,
                                                default_project_id=project_id),
                   f'user {name}', changed)
    password_reset = False
    if f'created user {name}' not in changed:
        password_reset = not identity.verify_user_password(user['id'], password)
        if password_reset or not user['enabled']:
            user = identity.update_user(user['id'], enabled=True,
                                        password=password if password_reset else None)
            changed.append(f'reset password of user {name}' if password_reset
                           else f'enabled user {name}')
    return user, password_reset


def _grant(identity: manager.IdentityManager, user: dict[str, Any],
           project: dict[str, Any], roles: dict[str, str], changed: list[str]) -> None:
    """Grants each of ``roles`` (name -> id) the user lacks on the project."""
    granted = {(a['project_id'], a['role_id'])
               for a in identity.list_role_assignments(user_id=user['id'])}
    for name, role_id in roles.items():
        if (project['id'], role_id) not in granted:
            identity.assign_role(user['id'], project['id'], role_id)
            changed.append(f'granted role {name} to {user["name"]} on {project["name"]}')


def _imply_and_grant_system(identity: manager.IdentityManager, user: dict[str, Any],
                            roles: dict[str, str], changed: list[str]) -> None:
    """The default role implications, and the admin role on the system for ``user``."""
    known = {(r['prior_role_id'], r['implied_role_id'])
             for r in identity.list_implied_roles()}
    for prior, implied in IMPLIED_ROLES:
        if (roles[prior], roles[implied]) not in known:
            identity.create_implied_role(roles[prior], roles[implied])
            changed.append(f'role {prior} implies {implied}')
    if roles['admin'] not in {r['id'] for r in identity.list_system_roles(user['id'])}:
        identity.grant_system_role(user['id'], roles['admin'])
        changed.append(f'granted role admin to {user["name"]} on the system')


def _ensure_role(identity: manager.IdentityManager, name: str, changed: list[str]) -> str:
    return _ensure(lambda: identity.find_role(name), lambda: identity.create_role(name),
                   f'role {name}', changed)['id']


def _ensure_project(identity: manager.IdentityManager, name: str, domain_id: str,
                    description: str, changed: list[str]) -> dict[str, Any]:
    return _ensure(lambda: identity.find_project(name, domain_id),
                   lambda: identity.create_project(name, domain_id, description=description),
                   f'project {name}', changed)


def bootstrap(identity: manager.IdentityManager, *, password: str, admin_user: str = 'admin',
              admin_project: str = 'admin', region: str | None = None,
              service_password: str | None = None,
              service_user: str = DEFAULT_SERVICE_USER) -> dict[str, Any]:
    """Creates the admin identity and the catalog; returns a summary of what exists.

    With ``service_password``, also the ``service`` project and role and the
    services' own user (``service_user``) holding admin and service on it:
    keystonemiddleware validates tokens with that user's credentials.
    ``summary['changed']`` lists what this run created or updated (empty when
    everything was already in place).
    """
    passwords.validate_password(password)
    if service_password is not None:
        passwords.validate_password(service_password)
    region_id = identity.conf.identity.region_id if region is None else region
    changed: list[str] = []

    domain = _ensure(lambda: identity.get_domain(DEFAULT_DOMAIN_ID),
                     lambda: identity.create_domain(DEFAULT_DOMAIN_NAME, id=DEFAULT_DOMAIN_ID,
                                                    description='The default domain'),
                     f'domain {DEFAULT_DOMAIN_NAME}', changed)
    project = _ensure_project(identity, admin_project, domain['id'],
                              'Bootstrap project for initializing the cloud.', changed)
    user, password_reset = _ensure_user(identity, admin_user, domain['id'], project['id'],
                                        password, changed)
    roles = {name: _ensure_role(identity, name, changed) for name in ROLES}
    _grant(identity, user, project, roles, changed)
    _imply_and_grant_system(identity, user, roles, changed)
    summary: dict[str, Any] = {'domain_id': domain['id'], 'project_id': project['id'],
                               'user_id': user['id'], 'roles': roles}
    if service_password is not None:
        summary.update(_bootstrap_service_user(identity, domain['id'], service_user,
                                               service_password, roles['admin'], changed))
    endpoints = _bootstrap_catalog(identity, region_id, changed)
    summary.update({'region_id': region_id, 'endpoints': endpoints,
                    'password_reset': password_reset, 'changed': changed})
    return summary


def _bootstrap_service_user(identity: manager.IdentityManager, domain_id: str, name: str,
                            password: str, admin_role_id: str,
                            changed: list[str]) -> dict[str, Any]:
    """The service project and role, and the service user with admin and service."""
    project = _ensure_project(identity, SERVICE_PROJECT, domain_id,
                              'Project of the services\' own users.', changed)
    user, password_reset = _ensure_user(identity, name, domain_id, project['id'], password,
                                        changed)
    service_role_id = _ensure_role(identity, SERVICE_ROLE, changed)
    _grant(identity, user, project, {'admin': admin_role_id, SERVICE_ROLE: service_role_id},
           changed)
    return {'service_project_id': project['id'], 'service_user_id': user['id'],
            'service_password_reset': password_reset}


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
        port = getattr(identity.conf.api, catalog.PORT_OPTIONS[entry.type])
        url = catalog.service_url(base_url, entry, port)
        previous = before.get((service['id'], catalog.PUBLIC_INTERFACE, region_id))
        if previous != url:
            changed.append(f'{"created" if previous is None else "updated"} public '
                           f'endpoint {url}')
        identity.create_endpoint(service['id'], url, region_id=region_id)
        lines.append(f'{entry.type} {url}')
    return lines
