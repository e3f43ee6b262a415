"""Domain-specific roles (keystone's roles with a ``domain_id``).

Such a role belongs to one domain; its name need only be unique in the
deployment here (roles have one name space). It may be granted like any
role, but, as in keystone, it never appears itself in a token or in the
effective role assignments (only the global roles it implies would).
``GET /v3/roles`` lists the global roles, ``?domain_id=`` a domain's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import resources


def domain_role_ids() -> sa.Select[tuple[str]]:
    """A select of the ids of every domain-specific role."""
    return sa.select(group_models.DomainRole.role_id)


def is_domain_role(session: orm.Session, role_id: str) -> bool:
    """Whether ``role_id`` is domain-specific (keystone refuses a global role implying
    one: the role implication rules use this)."""
    return session.get(group_models.DomainRole, role_id) is not None


def domains_of(session: orm.Session, role_ids: Iterable[str]) -> dict[str, str]:
    rows = session.execute(sa.select(group_models.DomainRole.role_id,
                                     group_models.DomainRole.domain_id).where(
        group_models.DomainRole.role_id.in_(list(role_ids))))
    return {key: value for key, value in rows}


def delete_domain_roles(session: orm.Session, domain_id: str) -> None:
    """Deletes the roles of a domain being deleted (and their grants), in ``session``."""
    role_ids = list(session.scalars(sa.select(group_models.DomainRole.role_id).where(
        group_models.DomainRole.domain_id == domain_id)))
    if role_ids:
        for model in (models.RoleAssignment, group_models.GroupProjectGrant,
                      group_models.DomainGrant):
            session.execute(sa.delete(model).where(model.role_id.in_(role_ids)))
        session.execute(sa.delete(group_models.DomainRole).where(
            group_models.DomainRole.role_id.in_(role_ids)))
        session.execute(sa.delete(models.Role).where(models.Role.id.in_(role_ids)))


class DomainRoleStore:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create_role(self, name: str, domain_id: str) -> dict[str, Any]:
        """A role of ``domain_id`` (role and its domain written together)."""
        try:
            with self._db.session() as session:
                resources.load_row(session, models.Domain, 'Domain', 'role.domain_id',
                                   domain_id)
                if session.scalar(sa.select(models.Role.id).where(models.Role.name == name)):
                    raise exception.Duplicate(resource='Role', name=name)
                row = models.Role(id=uuid.uuid4().hex, name=name)
                session.add(row)
                session.flush()
                session.add(group_models.DomainRole(role_id=row.id, domain_id=domain_id))
                session.flush()
                return {'id': row.id, 'name': row.name, 'domain_id': domain_id}
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Role', name=name) from None

    def with_domains(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Role records with ``domain_id`` (None for a global role)."""
        with self._db.reader() as session:
            domains = domains_of(session, [r['id'] for r in records])
        return [{**r, 'domain_id': domains.get(r['id'])} for r in records]
