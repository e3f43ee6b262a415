"""The identity manager: resources (resources.py), the catalog, and tokens.

Tokens are Fernet tokens (token_formatter.py) and are never written to the
database. Validation decrypts the token, checks its expiry and the revocation
events, then reloads the user, the project and the roles from the database, so
a disabled user or project, or a removed role, invalidates the token at once.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, fernet_keys, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.identity import (
    app_creds,
    assignments,
    catalog,
    catalog_access,
    catalog_records,
    credentials,
    grants,
    inherited_backends,
    passwords,
    resources,
    system_group_grants,
    token_formatter,
    token_scope,
)
from nova_lite.identity import extensions as identity_extensions

LOG = logging.getLogger(__name__)

# The same answer for an unknown user and a wrong password: no user enumeration.
BAD_CREDENTIALS = 'The username or password is incorrect.'
NO_SCOPE = token_scope.NO_SCOPE
# Revocation events are kept this long past the longest token lifetime.
REVOCATION_BUFFER_SECONDS = 1800


def _isotime(timestamp: float) -> str | None:
    return timeutils.isotime(resources.to_datetime(timestamp))


class IdentityManager(assignments.AssignmentStore, app_creds.ApplicationCredentialStore,
                      catalog_access.CatalogAccess, catalog_records.CatalogRecordStore,
                      credentials.CredentialStore,
                      resources.ResourceStore):
    """Domains, projects, users, roles, the service catalog and Fernet tokens."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database, *,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(conf, db, clock=clock)
        self._catalog = catalog.CatalogStore(db)
        self._dummy_hash: str | None = None
        self.extensions = identity_extensions.ExtensionStores(
            db, inherited_backends.GROUPS, inherited_backends.PROJECT_TREE)
        self.system_group_grants = system_group_grants.SystemGroupGrants(db)

    # Tokens ----------------------------------------------------------------------

    def authenticate(self, *, password: str, user_id: str | None = None,
                     user_name: str | None = None, user_domain_id: str | None = None,
                     user_domain_name: str | None = None, project_id: str | None = None,
                     project_name: str | None = None, project_domain_id: str | None = None,
                     project_domain_name: str | None = None,
                     system: bool = False, unscoped: bool = False) -> dict[str, Any]:
        """Password authentication; returns the new token's body.

        Scoped to the project named, or to the system, or else to the user's
        default project when the user holds a role there, or else unscoped
        (as keystone does); ``unscoped`` asks for an unscoped token. An unknown
        user and a wrong password get the same NotAuthorized.
        """
        if not isinstance(password, str):
            raise exception.InvalidInput(field='password', reason='must be a string')
        resources.exactly_one('user', user_id, user_name)
        if user_name is not None:
            resources.exactly_one('user.domain', user_domain_id, user_domain_name)
        scope = token_scope.ScopeRequest(project_id, project_name, project_domain_id,
                                         project_domain_name, system, unscoped)
        scope.check()
        user = self._user_for_auth(user_id, user_name, user_domain_id, user_domain_name)
        hashed = user.password_hash if user is not None else self._unknown_user_hash()
        if not passwords.verify_password(password, hashed) or user is None:
            LOG.info('Password authentication failed for user %s',
                     user_id or f'{user_name} (domain {user_domain_id or user_domain_name})')
            raise exception.NotAuthorized(BAD_CREDENTIALS)
        now = self._clock()
        return self._issue(user.id, scope, ['password'], now,
                           now + self._conf.identity.token_expiration)

    def authenticate_app_cred(self, *, secret: str, app_cred_id: str | None = None,
                              name: str | None = None, user_id: str | None = None,
                              user_name: str | None = None, user_domain_id: str | None = None,
                              user_domain_name: str | None = None) -> dict[str, Any]:
        """Application credential authentication (by id, or by name and user)."""
        if not isinstance(secret, str):
            raise exception.InvalidInput(field='secret', reason='must be a string')
        resources.exactly_one('application_credential', app_cred_id, name)
        if name is not None:
            resources.exactly_one('application_credential.user', user_id, user_name)
            if user_name is not None:
                found = self._user_for_auth(None, user_name, user_domain_id, user_domain_name)
                user_id = found.id if found is not None else None
        row = self._app_cred_for_auth(app_cred_id, name, user_id)
        hashed = row.secret_hash if row is not None else self._unknown_user_hash()
        if not passwords.verify_password(secret, hashed) or row is None:
            LOG.info('Application credential authentication failed for %s',
                     app_cred_id or name)
            raise exception.NotAuthorized('Invalid application credential.')
        now = self._clock()
        if app_creds.is_expired(row, resources.to_datetime(now)):
            raise exception.NotAuthorized('The application credential has expired.')
        expires_at = now + self._conf.identity.token_expiration
        if row.expires_at is not None:
            expires_at = min(expires_at, row.expires_at.replace(
                tzinfo=datetime.UTC).timestamp())
        scope = token_scope.ScopeRequest(project_id=row.project_id)
        return self._issue(row.user_id, scope, ['application_credential'], now, expires_at,
                           app_cred_id=row.id)

    def rescope_token(self, token: str, *, project_id: str | None = None,
                      project_name: str | None = None, project_domain_id: str | None = None,
                      project_domain_name: str | None = None,
                      system: bool = False, unscoped: bool = False) -> dict[str, Any]:
        """A new token for the user of a valid ``token`` (keystone's ``token`` method).

        Scoped to the given project or the system, or to the old token's scope
        without one. The new token expires when the old one does; its methods
        are 'token' plus the old token's. A token of an application
        credential keeps its credential and project.
        """
        scope = token_scope.ScopeRequest(project_id, project_name, project_domain_id,
                                         project_domain_name, system, unscoped)
        scope.check()
        self._validated(token, with_catalog=False)
        old = self._formatter().validate(token)
        if old['app_cred_id'] is not None:
            if scope.system or (scope.names_project and project_id != old['project_id']):
                raise exception.Forbidden(
                    message='A token of an application credential cannot be re-scoped.')
            scope = token_scope.ScopeRequest(project_id=old['project_id'])
        elif not scope.names_project and not scope.system and not scope.unscoped:
            scope = token_scope.ScopeRequest(project_id=old['project_id'],
                                             system=old['system'])
        methods = ['token'] + [m for m in old['methods'] if m != 'token']
        return self._issue(old['user_id'], scope, methods, self._clock(), old['expires_at'],
                           app_cred_id=old['app_cred_id'])

    def _issue(self, user_id: str, scope: token_scope.ScopeRequest, methods: list[str],
               now: float, expires_at: float, *,
               app_cred_id: str | None = None) -> dict[str, Any]:
        with self._db.reader() as session:
            user = self._enabled_user(session, user_id)
            project = None
            if scope.names_project:
                project = self._scoped_project(session, scope.project_id, scope.project_name,
                                               scope.project_domain_id,
                                               scope.project_domain_name)
            app_cred = token_scope.check_app_cred(session, app_cred_id, user_id,
                                                  resources.to_datetime(now))
            if app_cred is None and not (scope.names_project or scope.system
                                         or scope.unscoped):
                project = self._default_project(session, user[0])
            scoped = token_scope.resolve(session, user_id, project, scope.system, app_cred)
            payload = {'user_id': user_id, 'methods': methods,
                       'audit_id': token_formatter.new_audit_id(), 'issued_at': now,
                       'expires_at': expires_at, **token_scope.payload_scope(scoped)}
            token = self._formatter().issue(payload)
            LOG.info('Issued a token (audit id %s, methods %s) to user %s for %s',
                     payload['audit_id'], ','.join(methods), user_id,
                     'the system' if scoped.system else
                     f'project {payload["project_id"]}' if scoped.project else 'no scope')
            return token_scope.body(session, token, payload, user, scoped, with_catalog=True)

    def _default_project(self, session: orm.Session,
                         user: models.User) -> tuple[models.Project, models.Domain] | None:
        """The user's default project if it can scope a token to it (else unscoped)."""
        if user.default_project_id is None:
            return None
        try:
            project = self._scoped_project(session, user.default_project_id, None, None, None)
        except exception.NotAuthorized:
            return None
        if not assignments.project_role_ids(session, user.id, project[0].id):
            LOG.info('User %s has no role on its default project %s: unscoped token',
                     user.id, user.default_project_id)
            return None
        return project

    def validate_token(self, token: str) -> dict[str, Any]:
        """The token's body (as ``authenticate`` returned it), roles read afresh.

        TokenInvalid if the token is malformed, tampered, signed by a removed
        key, expired or revoked, or its user/project is disabled or gone, or
        the user has no role left on the project.
        """
        return self._validated(token, with_catalog=True)

    def context_from_token(self, token: str) -> nl_context.RequestContext:
        """The request context of a valid token (TokenInvalid otherwise)."""
        body = self._validated(token, with_catalog=False)
        roles = [role['name'] for role in body['roles']]
        project = body.get('project') or {}
        return nl_context.RequestContext(
            user_id=body['user']['id'], project_id=project.get('id'), roles=roles,
            auth_token=token, user_name=body['user']['name'],
            project_name=project.get('name'), is_admin='admin' in roles,
            user_domain_id=body['user']['domain']['id'],
            project_domain_id=(project.get('domain') or {}).get('id'),
            system_scope=assignments.SYSTEM_ALL if 'system' in body else None,
            overwrite=False)  # a check of a token is no new request to log under

    def revoke_token(self, token: str) -> None:
        """Revokes one token (by its audit id); idempotent."""
        payload = self._formatter().validate(token)
        now = self._clock()
        with self._db.session() as session:
            known = session.scalar(sa.select(models.RevocationEvent.id).where(
                models.RevocationEvent.audit_id == payload['audit_id']).limit(1))
            if known is None:
                session.add(models.RevocationEvent(
                    audit_id=payload['audit_id'], user_id=None,
                    issued_before=resources.to_datetime(payload['issued_at']),
                    revoked_at=resources.to_datetime(now)))
            self._prune_revocations(session, now)
        LOG.info('Revoked the token with audit id %s', payload['audit_id'])

    def revoke_user_tokens(self, user_id: str) -> None:
        """Revokes every token issued to the user up to now."""
        now = self._clock()
        with self._db.session() as session:
            resources.load_row(session, models.User, 'User', 'user_id', user_id)
            resources.record_user_revocation(session, user_id, resources.to_datetime(now))
            self._prune_revocations(session, now)
        LOG.info('Revoked every token of user %s', user_id)

    # Deletions -------------------------------------------------------------------

    def delete_project(self, project_id: str) -> None:
        """Deletes a project and its role assignments; its tokens stop validating."""
        with self._db.session() as session:
            row = resources.load_row(session, models.Project, 'Project', 'project_id',
                                     project_id)
            session.execute(sa.delete(models.RoleAssignment).where(
                models.RoleAssignment.project_id == row.id))
            session.execute(sa.update(models.User).where(
                models.User.default_project_id == row.id).values(default_project_id=None))
            session.delete(row)
        LOG.info('Deleted project %s', project_id)

    def delete_user(self, user_id: str) -> None:
        """Deletes a user and its role assignments; its tokens stop validating."""
        with self._db.session() as session:
            row = resources.load_row(session, models.User, 'User', 'user_id', user_id)
            session.execute(sa.delete(models.RoleAssignment).where(
                models.RoleAssignment.user_id == row.id))
            grants.delete_user_domain_grants(session, [row.id])
            session.delete(row)
        LOG.info('Deleted user %s', user_id)

    # Helpers ---------------------------------------------------------------------

    def _formatter(self) -> token_formatter.TokenFormatter:
        """Read the keys each time, so a rotation needs no restart."""
        return token_formatter.TokenFormatter(
            fernet_keys.load(self._conf.identity.fernet_key_repository))

    def _unknown_user_hash(self) -> str:
        """A hash to check against when the user is unknown (same time as a real one)."""
        if self._dummy_hash is None:
            self._dummy_hash = passwords.hash_password(secrets.token_urlsafe(24),
                                                       self._conf.identity.bcrypt_rounds)
        return self._dummy_hash

    def _user_for_auth(self, user_id: str | None, user_name: str | None,
                       domain_id: str | None, domain_name: str | None) -> models.User | None:
        with self._db.reader() as session:
            if user_id is not None:
                return session.get(models.User, resources.check_id('user.id', user_id))
            try:
                domain = self._domain(session, 'user.domain', domain_id, domain_name)
                return self._by_name(session, models.User, 'User', user_name, domain.id,
                                     field='user.name')
            except exception.NotFound:
                return None

    @staticmethod
    def _enabled_user(session: orm.Session,
                      user_id: str) -> tuple[models.User, models.Domain]:
        user = session.get(models.User, user_id)
        domain = session.get(models.Domain, user.domain_id) if user is not None else None
        if user is None or domain is None or not user.enabled or not domain.enabled:
            LOG.info('User %s (or its domain) is disabled', user_id)
            raise exception.NotAuthorized(f'User {user_id} is disabled.')
        return user, domain

    def _scoped_project(self, session: orm.Session, project_id: str | None,
                        name: str | None, domain_id: str | None,
                        domain_name: str | None) -> tuple[models.Project, models.Domain]:
        if project_id is None and name is None:
            raise exception.InvalidInput(
                field='scope', reason='a project is required (the user has no default one)')
        try:
            if project_id is not None:
                project = resources.load_row(session, models.Project, 'Project',
                                             'scope.project.id', project_id)
            else:
                domain = self._domain(session, 'scope.project.domain', domain_id, domain_name)
                project = self._by_name(session, models.Project, 'Project', name, domain.id,
                                        field='scope.project.name')
        except exception.NotFound:
            raise exception.NotAuthorized(NO_SCOPE) from None
        project_domain = session.get(models.Domain, project.domain_id)
        if project_domain is None or not project.enabled or not project_domain.enabled:
            raise exception.NotAuthorized(f'Project {project.id} is disabled.')
        return project, project_domain

    def _validated(self, token: str, *, with_catalog: bool) -> dict[str, Any]:
        payload = self._formatter().validate(token)
        if payload['expires_at'] <= self._clock():
            raise exception.TokenInvalid(reason='it has expired')
        with self._db.reader() as session:
            issued = resources.to_datetime(payload['issued_at'])
            event = models.RevocationEvent
            revoked = session.scalar(sa.select(event.id).where(sa.or_(
                event.audit_id == payload['audit_id'],
                sa.and_(event.user_id == payload['user_id'], event.issued_before >= issued),
            )).limit(1))
            if revoked is not None:
                raise exception.TokenInvalid(reason='it has been revoked')
            try:
                user = self._enabled_user(session, payload['user_id'])
                project = None
                if payload['project_id'] is not None:
                    project = self._scoped_project(session, payload['project_id'],
                                                   None, None, None)
                app_cred = token_scope.check_app_cred(
                    session, payload['app_cred_id'], payload['user_id'],
                    resources.to_datetime(self._clock()))
            except exception.NotAuthorized:
                raise exception.TokenInvalid(
                    reason='its user, project or application credential is disabled or '
                           'deleted') from None
            try:
                scoped = token_scope.resolve(session, payload['user_id'], project,
                                             payload['system'], app_cred)
            except exception.NotAuthorized:
                raise exception.TokenInvalid(
                    reason='the user has no role left on its scope') from None
            return token_scope.body(session, token, payload, user, scoped,
                                    with_catalog=with_catalog)

    def _prune_revocations(self, session: orm.Session, now: float) -> None:
        """Drops events older than any token they could still match."""
        horizon = now - self._conf.identity.token_expiration - REVOCATION_BUFFER_SECONDS
        session.execute(sa.delete(models.RevocationEvent).where(
            models.RevocationEvent.issued_before < resources.to_datetime(horizon)))

    def list_projects(self, domain_id: str | None = None,
                      user_id: str | None = None) -> list[dict[str, Any]]:
        """Projects (of a domain), or those a user holds a role on: assigned or inherited."""
        projects = super().list_projects(domain_id, user_id)
        if user_id is None:
            return projects
        known = {p['id'] for p in projects}
        inherited = self.extensions.inherited_grants.project_ids_of(user_id) - known
        extra = [p for p in super().list_projects(domain_id) if p['id'] in inherited]
        return sorted(projects + extra, key=lambda p: (p['name'], p['id']))
