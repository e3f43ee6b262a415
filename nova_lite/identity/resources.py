"""Identity resources: domains, projects, users, roles and role assignments.

``IdentityManager`` (manager.py) builds on this store and adds tokens and the
catalog. Every method validates its input before it writes (a bad value raises
InvalidInput or NotFound naming the field, a clash raises Duplicate) and
returns plain dicts.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.identity import effective_roles, passwords

LOG = logging.getLogger(__name__)

_ID_RE = re.compile(r'[A-Za-z0-9_.-]{1,64}')
_Row = TypeVar('_Row', bound=models.Base)


def _new_id() -> str:
    return uuid.uuid4().hex


def _name(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise exception.InvalidInput(field=field, reason='must be a string of 1-255 characters')
    return value


def check_id(field: str, value: Any) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        raise exception.InvalidInput(field=field, reason='must be an id of 1-64 characters')
    return value


def check_description(value: Any) -> str:
    if value is None:
        return ''
    if not isinstance(value, str) or len(value) > 65535:
        raise exception.InvalidInput(field='description', reason='must be a string')
    return value


def _not_found(resource: str, field: str, value: Any) -> exception.NotFound:
    return exception.NotFound(f"{resource} {value} could not be found (field '{field}').",
                              resource=resource, id=value)


def exactly_one(field: str, by_id: Any, by_name: Any) -> None:
    if (by_id is None) == (by_name is None):
        raise exception.InvalidInput(field=field, reason='give exactly one of an id or a name')


def to_datetime(timestamp: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).replace(tzinfo=None)


def load_row(session: orm.Session, model: type[_Row], resource: str, field: str,
          value: Any) -> _Row:
    row = session.get(model, check_id(field, value))
    if row is None:
        raise _not_found(resource, field, value)
    return row


def _domain_dict(row: models.Domain) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'enabled': row.enabled,
            'description': row.description}


def _project_dict(row: models.Project) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'domain_id': row.domain_id,
            'enabled': row.enabled, 'description': row.description,
            'parent_id': row.domain_id, 'is_domain': False}


def _user_dict(row: models.User) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'domain_id': row.domain_id,
            'enabled': row.enabled, 'default_project_id': row.default_project_id,
            'password_expires_at': None}


def _role_dict(row: models.Role) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name}


def owned_ref(row: models.User | models.Project, domain: models.Domain) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'domain': {'id': domain.id, 'name': domain.name}}


def record_user_revocation(session: orm.Session, user_id: str,
                           when: datetime.datetime) -> None:
    """Revokes every token of ``user_id`` issued at or before ``when``."""
    session.add(models.RevocationEvent(user_id=user_id, issued_before=when, revoked_at=when))


class ResourceStore:
    """Identity resources over the shared database (admin-level, context-free)."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._conf = conf
        self._db = db
        self._clock = clock

    @property
    def conf(self) -> cfg.ConfigOpts:
        return self._conf

    @property
    def db(self) -> db_api.Database:
        return self._db

    # Domains ---------------------------------------------------------------------

    def create_domain(self, name: str, id: str | None = None,
                      description: str = '') -> dict[str, Any]:
        name, description = _name('name', name), check_description(description)
        if id is not None and (not isinstance(id, str) or not _ID_RE.fullmatch(id)):
            raise exception.InvalidInput(field='id', reason='must be 1-64 of [A-Za-z0-9_.-]')
        domain_id = id or _new_id()
        try:
            with self._db.session() as session:
                if session.get(models.Domain, domain_id) is not None:
                    raise exception.Duplicate(f'Domain with id {domain_id} already exists.',
                                              resource='Domain', name=name)
                self._no_clash(session, models.Domain, 'Domain', name)
                row = models.Domain(id=domain_id, name=name, description=description)
                session.add(row)
                session.flush()
                return _domain_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Domain', name=name) from None

    def get_domain(self, domain_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return _domain_dict(load_row(session, models.Domain, 'Domain', 'domain_id', domain_id))

    def find_domain(self, name: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return _domain_dict(self._domain(session, 'domain', None, name))

    def list_domains(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.Domain).order_by(models.Domain.name))
            return [_domain_dict(row) for row in rows]

    # Projects --------------------------------------------------------------------

    def create_project(self, name: str, domain_id: str,
                       description: str = '') -> dict[str, Any]:
        name, description = _name('name', name), check_description(description)
        try:
            with self._db.session() as session:
                load_row(session, models.Domain, 'Domain', 'domain_id', domain_id)
                self._no_clash(session, models.Project, 'Project', name, domain_id)
                row = models.Project(id=_new_id(), name=name, domain_id=domain_id,
                                     description=description)
                session.add(row)
                session.flush()
                return _project_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Project', name=name) from None

    def get_project(self, project_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return _project_dict(
                load_row(session, models.Project, 'Project', 'project_id', project_id))

    def find_project(self, name: str, domain_id: str | None = None,
                     domain_name: str | None = None) -> dict[str, Any]:
        with self._db.reader() as session:
            domain = self._domain(session, 'domain', domain_id, domain_name)
            return _project_dict(self._by_name(session, models.Project, 'Project', name,
                                               domain.id))

    def list_projects(self, domain_id: str | None = None,
                      user_id: str | None = None) -> list[dict[str, Any]]:
        """Projects, optionally of one domain and/or those a user has a role on."""
        stmt = sa.select(models.Project).order_by(models.Project.name, models.Project.id)
        if domain_id is not None:
            stmt = stmt.where(models.Project.domain_id == check_id('domain_id', domain_id))
        if user_id is not None:
            stmt = stmt.where(models.Project.id.in_(
                effective_roles.project_ids_of(check_id('user_id', user_id))))
        with self._db.reader() as session:
            return [_project_dict(row) for row in session.scalars(stmt)]

    def update_project(self, project_id: str, *, enabled: bool | None = None,
                       description: str | None = None) -> dict[str, Any]:
        if enabled is not None and not isinstance(enabled, bool):
            raise exception.InvalidInput(field='enabled', reason='must be a boolean')
        with self._db.session() as session:
            row = load_row(session, models.Project, 'Project', 'project_id', project_id)
            if description is not None:
                row.description = check_description(description)
            if enabled is not None:
                row.enabled = enabled
            session.flush()
            return _project_dict(row)

    # Users -----------------------------------------------------------------------

    def create_user(self, name: str, domain_id: str, password: str,
                    default_project_id: str | None = None) -> dict[str, Any]:
        name = _name('name', name)
        password_hash = passwords.hash_password(passwords.validate_password(password),
                                                self._conf.identity.bcrypt_rounds)
        try:
            with self._db.session() as session:
                load_row(session, models.Domain, 'Domain', 'domain_id', domain_id)
                if default_project_id is not None:
                    load_row(session, models.Project, 'Project', 'default_project_id',
                          default_project_id)
                self._no_clash(session, models.User, 'User', name, domain_id)
                row = models.User(id=_new_id(), name=name, domain_id=domain_id,
                                  password_hash=password_hash,
                                  default_project_id=default_project_id)
                session.add(row)
                session.flush()
                return _user_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='User', name=name) from None

    def get_user(self, user_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return _user_dict(load_row(session, models.User, 'User', 'user_id', user_id))

    def find_user(self, name: str, domain_id: str | None = None,
                  domain_name: str | None = None) -> dict[str, Any]:
        with self._db.reader() as session:
            domain = self._domain(session, 'domain', domain_id, domain_name)
            return _user_dict(self._by_name(session, models.User, 'User', name, domain.id))

    def list_users(self, domain_id: str | None = None) -> list[dict[str, Any]]:
        stmt = sa.select(models.User).order_by(models.User.name, models.User.id)
        if domain_id is not None:
            stmt = stmt.where(models.User.domain_id == check_id('domain_id', domain_id))
        with self._db.reader() as session:
            return [_user_dict(row) for row in session.scalars(stmt)]

    def update_user(self, user_id: str, *, enabled: bool | None = None,
                    password: str | None = None,
                    default_project_id: str | None = None) -> dict[str, Any]:
        """Enables/disables a user, sets a password (either revokes their tokens) or
        their default project."""
        if enabled is not None and not isinstance(enabled, bool):
            raise exception.InvalidInput(field='enabled', reason='must be a boolean')
        password_hash = None if password is None else passwords.hash_password(
            passwords.validate_password(password), self._conf.identity.bcrypt_rounds)
        with self._db.session() as session:
            row = load_row(session, models.User, 'User', 'user_id', user_id)
            if default_project_id is not None:
                row.default_project_id = load_row(session, models.Project, 'Project',
                                                  'default_project_id', default_project_id).id
            if password_hash is not None:
                row.password_hash = password_hash
            if enabled is not None:
                row.enabled = enabled
            if password_hash is not None or enabled is False:
                record_user_revocation(session, row.id, to_datetime(self._clock()))
            session.flush()
            return _user_dict(row)

    def verify_user_password(self, user_id: str, password: str) -> bool:
        with self._db.reader() as session:
            hashed = load_row(session, models.User, 'User', 'user_id', user_id).password_hash
        return passwords.verify_password(password, hashed)

    # Roles -----------------------------------------------------------------------

    def create_role(self, name: str) -> dict[str, Any]:
        name = _name('name', name)
        try:
            with self._db.session() as session:
                self._no_clash(session, models.Role, 'Role', name)
                row = models.Role(id=_new_id(), name=name)
                session.add(row)
                session.flush()
                return _role_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Role', name=name) from None

    def get_role(self, role_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return _role_dict(load_row(session, models.Role, 'Role', 'role_id', role_id))

    def find_role(self, name: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return _role_dict(self._by_name(session, models.Role, 'Role', name))

    def list_roles(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.Role).order_by(models.Role.name))
            return [_role_dict(row) for row in rows]

    def assign_role(self, user_id: str, project_id: str, role_id: str) -> dict[str, Any]:
        """Grants ``role_id`` to the user on the project (idempotent)."""
        key = {'user_id': user_id, 'project_id': project_id, 'role_id': role_id}
        try:
            with self._db.session() as session:
                role_name = self._check_assignment_refs(session, user_id, project_id, role_id)
                if session.get(models.RoleAssignment, key) is None:
                    session.add(models.RoleAssignment(**key))
                    session.flush()
        except sa_exc.IntegrityError:  # the same grant was made concurrently: done
            role_name = self.get_role(role_id)['name']
        return {**key, 'role_name': role_name}

    def unassign_role(self, user_id: str, project_id: str, role_id: str) -> None:
        """Removes the grant; the user's tokens for the project lose that role at once."""
        with self._db.session() as session:
            self._check_assignment_refs(session, user_id, project_id, role_id)
            row = session.get(models.RoleAssignment, {'user_id': user_id,
                                                      'project_id': project_id,
                                                      'role_id': role_id})
            if row is None:
                raise exception.NotFound(f'Role {role_id} is not assigned to user {user_id} '
                                         f'on project {project_id}.',
                                         resource='RoleAssignment', id=role_id)
            session.delete(row)

    def list_role_assignments(self, user_id: str | None = None,
                              project_id: str | None = None) -> list[dict[str, Any]]:
        stmt = (sa.select(models.RoleAssignment, models.Role.name)
                .join(models.Role, models.Role.id == models.RoleAssignment.role_id)
                .order_by(models.RoleAssignment.user_id, models.RoleAssignment.project_id,
                          models.Role.name))
        if user_id is not None:
            stmt = stmt.where(models.RoleAssignment.user_id == check_id('user_id', user_id))
        if project_id is not None:
            stmt = stmt.where(models.RoleAssignment.project_id == check_id('project_id',
                                                                       project_id))
        with self._db.reader() as session:
            return [{'user_id': row.user_id, 'project_id': row.project_id,
                     'role_id': row.role_id, 'role_name': role_name}
                    for row, role_name in session.execute(stmt)]

    # Lookups shared by the methods above -------------------------------------------

    def _domain(self, session: orm.Session, field: str, domain_id: Any,
                domain_name: Any) -> models.Domain:
        exactly_one(field, domain_id, domain_name)
        if domain_id is not None:
            return load_row(session, models.Domain, 'Domain', f'{field}_id', domain_id)
        return self._by_name(session, models.Domain, 'Domain', domain_name,
                             field=f'{field}_name')

    @staticmethod
    def _by_name(session: orm.Session, model: type[_Row], resource: str, name: Any,
                 domain_id: str | None = None, *, field: str = 'name') -> _Row:
        stmt = sa.select(model).where(model.name == _name(field, name))  # type: ignore[attr-defined]
        if domain_id is not None:
            stmt = stmt.where(model.domain_id == domain_id)  # type: ignore[attr-defined]
        row = session.scalar(stmt)
        if row is None:
            raise _not_found(resource, field, name)
        return row

    @staticmethod
    def _no_clash(session: orm.Session, model: type[models.Base], resource: str, name: str,
                  domain_id: str | None = None) -> None:
        stmt = sa.select(model).where(model.name == name)  # type: ignore[attr-defined]
        if domain_id is not None:
            stmt = stmt.where(model.domain_id == domain_id)  # type: ignore[attr-defined]
        if session.scalar(stmt) is not None:
            raise exception.Duplicate(resource=resource, name=name)

    @staticmethod
    def _check_assignment_refs(session: orm.Session, user_id: Any, project_id: Any,
                               role_id: Any) -> str:
        """The role's name once the user, project and role are known to exist."""
        load_row(session, models.User, 'User', 'user_id', user_id)
        load_row(session, models.Project, 'Project', 'project_id', project_id)
        return load_row(session, models.Role, 'Role', 'role_id', role_id).name
