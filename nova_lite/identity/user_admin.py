"""Users with keystone's full attribute set: email, description and extra
attributes, no password (such a user cannot authenticate), renames, and a
user's change of its own password.

The base user row lives in resources.py; the attributes beside it in
``user_attributes``, written in the same transaction as the row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import passwords, resources

WRONG_ORIGINAL = 'The original password is incorrect.'
# Keys of a user body that are columns or computed, never stored as extras.
RESERVED = frozenset({'id', 'name', 'domain_id', 'enabled', 'password', 'default_project_id',
                      'email', 'description', 'links', 'options', 'password_expires_at',
                      'original_password', 'federated'})


def attributes_of(session: orm.Session, user_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Each user's email, description and extras (only users that have any)."""
    attrs = group_models.UserAttributes
    rows = session.scalars(sa.select(attrs).where(attrs.user_id.in_(list(user_ids))))
    result: dict[str, dict[str, Any]] = {}
    for row in rows:
        values = dict(row.extra or {})
        if row.email is not None:
            values['email'] = row.email
        if row.description is not None:
            values['description'] = row.description
        result[row.user_id] = values
    return result


def _user_dict(row: models.User, extra: dict[str, Any]) -> dict[str, Any]:
    return {**extra, 'id': row.id, 'name': row.name, 'domain_id': row.domain_id,
            'enabled': row.enabled, 'default_project_id': row.default_project_id,
            'password_expires_at': None}


def _extras(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k not in RESERVED}


def _write_attributes(session: orm.Session, user_id: str, spec: dict[str, Any]) -> None:
    """Merges email, description and extras of ``spec`` into the user's attributes."""
    extra = _extras(spec)
    if not extra and 'email' not in spec and 'description' not in spec:
        return
    row = session.get(group_models.UserAttributes, user_id)
    if row is None:
        row = group_models.UserAttributes(user_id=user_id, extra={})
        session.add(row)
    if 'email' in spec:
        row.email = spec['email']
    if 'description' in spec:
        row.description = spec['description']
    if extra:
        row.extra = {**(row.extra or {}), **extra}


class UserAdmin:
    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database) -> None:
        self._conf = conf
        self._db = db

    def _hash(self, password: Any) -> str:
        return passwords.hash_password(passwords.validate_password(password),
                                       self._conf.identity.bcrypt_rounds)

    def create_user(self, domain_id: str, spec: dict[str, Any]) -> dict[str, Any]:
        """A user from a keystone user body (``password`` may be missing or null)."""
        name = spec['name']
        password = spec.get('password')
        password_hash = None if password is None else self._hash(password)
        try:
            with self._db.session() as session:
                resources.load_row(session, models.Domain, 'Domain', 'domain_id', domain_id)
                project_id = spec.get('default_project_id')
                if project_id is not None:
                    resources.load_row(session, models.Project, 'Project',
                                       'default_project_id', project_id)
                if session.scalar(sa.select(models.User.id).where(
                        models.User.name == name, models.User.domain_id == domain_id)):
                    raise exception.Duplicate(resource='User', name=name)
                row = models.User(id=uuid.uuid4().hex, name=name, domain_id=domain_id,
                                  password_hash=password_hash, default_project_id=project_id,
                                  enabled=spec.get('enabled', True) is not False)
                session.add(row)
                session.flush()
                _write_attributes(session, row.id, spec)
                session.flush()
                return _user_dict(row, attributes_of(session, [row.id]).get(row.id, {}))
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='User', name=name) from None

    def get_user(self, user_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            row = resources.load_row(session, models.User, 'User', 'user_id', user_id)
            return _user_dict(row, attributes_of(session, [row.id]).get(row.id, {}))

    def with_attributes(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``records`` (plain user dicts) with their stored attributes added."""
        with self._db.reader() as session:
            attrs = attributes_of(session, [r['id'] for r in records])
        return [{**attrs.get(r['id'], {}), **r} for r in records]

    def update_user(self, user_id: str, spec: dict[str, Any]) -> dict[str, Any]:
        """Applies a keystone user PATCH body; a new password or disabling revokes
        the user's tokens."""
        password_hash = self._hash(spec['password']) if spec.get('password') else None
        name = spec.get('name')
        try:
            with self._db.session() as session:
                row = resources.load_row(session, models.User, 'User', 'user_id', user_id)
                if name is not None and name != row.name:
                    if session.scalar(sa.select(models.User.id).where(
                            models.User.name == name, models.User.domain_id == row.domain_id)):
                        raise exception.Duplicate(resource='User', name=name)
                    row.name = name
                if 'default_project_id' in spec:
                    project_id = spec['default_project_id']
                    row.default_project_id = None if project_id is None else resources.load_row(
                        session, models.Project, 'Project', 'default_project_id',
                        project_id).id
                if password_hash is not None:
                    row.password_hash = password_hash
                if 'enabled' in spec:
                    row.enabled = spec['enabled']
                if password_hash is not None or spec.get('enabled') is False:
                    resources.record_user_revocation(session, row.id, timeutils.utcnow())
                _write_attributes(session, row.id, spec)
                session.flush()
                return _user_dict(row, attributes_of(session, [row.id]).get(row.id, {}))
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='User', name=name) from None

    def change_password(self, user_id: str, original: str, new: str) -> None:
        """A user's own password change: NotAuthorized unless ``original`` is right;
        the user's tokens are revoked."""
        new_hash = self._hash(new)
        with self._db.session() as session:
            row = resources.load_row(session, models.User, 'User', 'user_id', user_id)
            if not passwords.verify_password(original, row.password_hash):
                raise exception.NotAuthorized(WRONG_ORIGINAL)
            row.password_hash = new_hash
            resources.record_user_revocation(session, row.id, timeutils.utcnow())
