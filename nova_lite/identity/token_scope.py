"""What a token is scoped to and the roles and body that follow from it.

A token is scoped to a project, to the system (``{"system": {"all": true}}``,
keystone's deployment-wide scope), or to nothing (unscoped: no roles, no
catalog, good only to list the user's projects and to get a scoped token). A
token issued with an application credential is scoped to the credential's
project and carries the credential's roles the user still holds there.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_auth as auth_models
from nova_lite.identity import app_creds, assignments, catalog, resources

NO_SCOPE = 'The user has no access to the requested project.'
NO_SYSTEM = 'The user has no role on the system.'


@dataclasses.dataclass(frozen=True)
class ScopeRequest:
    """The ``scope`` of an authentication request (all None/False: none given)."""

    project_id: str | None = None
    project_name: str | None = None
    project_domain_id: str | None = None
    project_domain_name: str | None = None
    system: bool = False
    unscoped: bool = False  # asked for explicitly: no default project either

    @property
    def names_project(self) -> bool:
        return self.project_id is not None or self.project_name is not None

    def check(self) -> None:
        if self.project_id is not None and self.project_name is not None:
            raise exception.InvalidInput(field='scope.project',
                                         reason='give either an id or a name, not both')
        if self.project_name is not None:
            resources.exactly_one('scope.project.domain', self.project_domain_id,
                                  self.project_domain_name)
        if self.system and self.names_project:
            raise exception.InvalidInput(field='scope',
                                         reason='give a project or the system, not both')


@dataclasses.dataclass
class Scoped:
    """A resolved scope: the project (with its domain) or the system, and the roles."""

    project: tuple[models.Project, models.Domain] | None
    system: bool
    roles: list[dict[str, Any]]
    app_cred: auth_models.ApplicationCredential | None = None


def project_roles(session: orm.Session, user_id: str, project_id: str,
                  app_cred: auth_models.ApplicationCredential | None) -> list[dict[str, Any]]:
    """The user's effective roles on the project (narrowed to the credential's)."""
    held = assignments.effective_role_ids(
        session, assignments.project_role_ids(session, user_id, project_id))
    if app_cred is not None:
        delegated = {role['id'] for role in app_creds.record(session, app_cred)['roles']}
        held &= assignments.effective_role_ids(session, delegated)
    return assignments.effective_roles(session, held) if held else []


def resolve(session: orm.Session, user_id: str,
            project: tuple[models.Project, models.Domain] | None, system: bool,
            app_cred: auth_models.ApplicationCredential | None = None) -> Scoped:
    """The roles of the scope; NotAuthorized if the user holds none there."""
    if system:
        roles = assignments.effective_roles(session,
                                            assignments.held_system_role_ids(session, user_id))
        if not roles:
            raise exception.NotAuthorized(NO_SYSTEM)
        return Scoped(None, True, roles)
    if project is None:
        return Scoped(None, False, [])
    roles = project_roles(session, user_id, project[0].id, app_cred)
    if not roles:
        raise exception.NotAuthorized(NO_SCOPE)
    return Scoped(project, False, roles, app_cred)


def check_app_cred(session: orm.Session, app_cred_id: str | None, user_id: str,
                   now: datetime.datetime) -> auth_models.ApplicationCredential | None:
    """The token's application credential, still there and unexpired at ``now``
    (naive UTC), or None for a token without one."""
    if app_cred_id is None:
        return None
    row = session.get(auth_models.ApplicationCredential, app_cred_id)
    if row is None or row.user_id != user_id or app_creds.is_expired(row, now):
        raise exception.NotAuthorized('The application credential is gone or expired.')
    return row


def payload_scope(scoped: Scoped) -> dict[str, Any]:
    """The scope fields of a token payload."""
    return {'project_id': scoped.project[0].id if scoped.project else None,
            'system': scoped.system,
            'app_cred_id': scoped.app_cred.id if scoped.app_cred is not None else None}


def body(session: orm.Session, token: str, payload: dict[str, Any],
         user: tuple[models.User, models.Domain], scoped: Scoped, *,
         with_catalog: bool) -> dict[str, Any]:
    """The token record (``views.token`` turns it into keystone's body)."""
    result: dict[str, Any] = {
        'token': token,
        'issued_at': timeutils.isotime(resources.to_datetime(payload['issued_at'])),
        'expires_at': timeutils.isotime(resources.to_datetime(payload['expires_at'])),
        'methods': list(payload['methods']),
        'user': resources.owned_ref(*user),
        'roles': scoped.roles,
        'audit_ids': [payload['audit_id']],
        'catalog': [],
    }
    if scoped.project is not None:
        result['project'] = resources.owned_ref(*scoped.project)
        if with_catalog:
            result['catalog'] = catalog.catalog_for(session, scoped.project[0].id)
    if scoped.system:
        result['system'] = {'all': True}
        if with_catalog:
            result['catalog'] = catalog.catalog_for(session, None)
    if scoped.app_cred is not None:
        result['application_credential'] = {
            'id': scoped.app_cred.id, 'name': scoped.app_cred.name,
            'restricted': not scoped.app_cred.unrestricted}
    return result


def role_ids(info: dict[str, Any]) -> set[str]:
    return {role['id'] for role in info['roles']}


def projects_with_roles(session: orm.Session, user_id: str) -> list[str]:
    return list(session.scalars(sa.select(models.RoleAssignment.project_id).where(
        models.RoleAssignment.user_id == user_id).distinct()))
