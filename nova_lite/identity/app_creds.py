"""Application credentials: a user's secret bound to one project and some roles.

The secret is generated (or given) at creation, shown once and kept only as a
bcrypt hash. A token issued with one carries the credential's roles that the
user still holds on the project: a user who lost every one of them, a deleted
user or project, or an expired credential issues no token.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_auth as auth_models
from nova_lite.identity import passwords, resources

LOG = logging.getLogger(__name__)

MAX_SECRET_LENGTH = 4096


def parse_expiry(value: Any) -> datetime.datetime | None:
    """A naive UTC datetime from an ISO 8601 string (None stays None)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise exception.InvalidInput(field='expires_at', reason='must be an ISO 8601 time')
    try:
        parsed = datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
    except ValueError:
        raise exception.InvalidInput(field='expires_at',
                                     reason='must be an ISO 8601 time') from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
    return parsed


def _roles_of(session: orm.Session, app_cred_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        sa.select(models.Role.id, models.Role.name)
        .join(auth_models.ApplicationCredentialRole,
              auth_models.ApplicationCredentialRole.role_id == models.Role.id)
        .where(auth_models.ApplicationCredentialRole.application_credential_id == app_cred_id)
        .order_by(models.Role.name))
    return [{'id': role_id, 'name': name} for role_id, name in rows]


def record(session: orm.Session, row: auth_models.ApplicationCredential) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'user_id': row.user_id,
            'project_id': row.project_id, 'description': row.description,
            'expires_at': row.expires_at.isoformat() if row.expires_at else None,
            'unrestricted': row.unrestricted, 'roles': _roles_of(session, row.id)}


def is_expired(row: auth_models.ApplicationCredential, now: datetime.datetime) -> bool:
    return row.expires_at is not None and row.expires_at <= now


class ApplicationCredentialStore:
    """Create, list, show and delete application credentials (mixed into the manager)."""

    _db: Any
    _conf: Any

    def create_application_credential(
            self, user_id: str, project_id: str, name: str, *, held_role_ids: set[str],
            secret: str | None = None, description: str | None = None,
            expires_at: str | None = None, role_refs: list[dict[str, str]] | None = None,
            unrestricted: bool = False) -> dict[str, Any]:
        """A new credential; its record carries the ``secret`` (shown only now).

        ``held_role_ids`` are the roles of the creating token: the credential
        gets the ``role_refs`` given (by id or name), which must be among them,
        or all of them.
        """
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            raise exception.InvalidInput(field='name',
                                         reason='must be a string of 1-255 characters')
        expiry = parse_expiry(expires_at)
        if expiry is not None and expiry <= timeutils.utcnow():
            raise exception.InvalidInput(field='expires_at', reason='must be in the future')
        if secret is None:
            secret = secrets.token_urlsafe(64)
        elif not isinstance(secret, str) or not secret or len(secret) > MAX_SECRET_LENGTH:
            raise exception.InvalidInput(field='secret', reason='must be a non-empty string')
        secret_hash = passwords.hash_password(secret, self._conf.identity.bcrypt_rounds)
        try:
            with self._db.session() as session:
                resources.load_row(session, models.User, 'User', 'user_id', user_id)
                resources.load_row(session, models.Project, 'Project', 'project_id', project_id)
                role_ids = self._chosen_roles(session, role_refs, held_role_ids)
                if session.scalar(sa.select(auth_models.ApplicationCredential.id).where(
                        auth_models.ApplicationCredential.user_id == user_id,
                        auth_models.ApplicationCredential.name == name)) is not None:
                    raise exception.Duplicate(resource='ApplicationCredential', name=name)
                row = auth_models.ApplicationCredential(
                    id=uuid.uuid4().hex, name=name, user_id=user_id, project_id=project_id,
                    secret_hash=secret_hash, description=description or '',
                    expires_at=expiry, unrestricted=bool(unrestricted))
                session.add(row)
                session.flush()
                for role_id in sorted(role_ids):
                    session.add(auth_models.ApplicationCredentialRole(
                        application_credential_id=row.id, role_id=role_id))
                session.flush()
                created = record(session, row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='ApplicationCredential', name=name) from None
        LOG.info('Created application credential %s of user %s on project %s',
                 created['id'], user_id, project_id)
        return {**created, 'secret': secret}

    @staticmethod
    def _chosen_roles(session: orm.Session, role_refs: list[dict[str, str]] | None,
                      held_role_ids: set[str]) -> set[str]:
        if not role_refs:
            if not held_role_ids:
                raise exception.Forbidden(message='The token holds no role to delegate.')
            return set(held_role_ids)
        chosen = set()
        for ref in role_refs:
            if ref.get('id') is not None:
                row = session.get(models.Role, ref['id'])
            else:
                row = session.scalar(sa.select(models.Role).where(
                    models.Role.name == ref.get('name')))
            if row is None:
                raise exception.NotFound(resource='Role', id=ref.get('id') or ref.get('name'))
            if row.id not in held_role_ids:
                raise exception.Forbidden(
                    message=f'The user does not hold role {row.name} on the project.')
            chosen.add(row.id)
        return chosen

    def list_application_credentials(self, user_id: str,
                                     name: str | None = None) -> list[dict[str, Any]]:
        stmt = sa.select(auth_models.ApplicationCredential).where(
            auth_models.ApplicationCredential.user_id == resources.check_id('user_id',
                                                                            user_id))
        if name is not None:
            stmt = stmt.where(auth_models.ApplicationCredential.name == name)
        with self._db.reader() as session:
            resources.load_row(session, models.User, 'User', 'user_id', user_id)
            rows = session.scalars(stmt.order_by(auth_models.ApplicationCredential.name))
            return [record(session, row) for row in rows]

    def get_application_credential(self, user_id: str, app_cred_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return record(session, self._app_cred_row(session, user_id, app_cred_id))

    def delete_application_credential(self, user_id: str, app_cred_id: str) -> None:
        with self._db.session() as session:
            row = self._app_cred_row(session, user_id, app_cred_id)
            session.execute(sa.delete(auth_models.ApplicationCredentialRole).where(
                auth_models.ApplicationCredentialRole.application_credential_id == row.id))
            session.delete(row)
        LOG.info('Deleted application credential %s of user %s', app_cred_id, user_id)

    @staticmethod
    def _app_cred_row(session: orm.Session, user_id: str,
                      app_cred_id: str) -> auth_models.ApplicationCredential:
        row = session.get(auth_models.ApplicationCredential,
                          resources.check_id('application_credential_id', app_cred_id))
        if row is None or row.user_id != user_id:
            raise exception.NotFound(resource='ApplicationCredential', id=app_cred_id)
        return row

    def _app_cred_for_auth(self, app_cred_id: str | None, name: str | None,
                           user_id: str | None) -> auth_models.ApplicationCredential | None:
        """The credential named by id, or by name and its user's id (None if unknown)."""
        with self._db.reader() as session:
            if app_cred_id is not None:
                return session.get(auth_models.ApplicationCredential, app_cred_id)
            return session.scalar(sa.select(auth_models.ApplicationCredential).where(
                auth_models.ApplicationCredential.user_id == user_id,
                auth_models.ApplicationCredential.name == name))
