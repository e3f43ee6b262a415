"""Role grants besides a user's on a project (resources.py has that one):
a group's on a project, and a user's or a group's on a domain."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import groups, resources

ACTOR_TYPES = ('user', 'group')
TARGET_TYPES = ('project', 'domain')


def _check_refs(session: orm.Session, actor_type: str, actor_id: str, target_type: str,
                target_id: str, role_id: str | None) -> None:
    """NotFound unless the actor, the target and the role (if given) exist."""
    if actor_type == 'user':
        resources.load_row(session, models.User, 'User', 'user_id', actor_id)
    else:
        groups.load_group(session, actor_id)
    if target_type == 'project':
        resources.load_row(session, models.Project, 'Project', 'project_id', target_id)
    else:
        resources.load_row(session, models.Domain, 'Domain', 'domain_id', target_id)
    if role_id is not None:
        resources.load_row(session, models.Role, 'Role', 'role_id', role_id)


def _key(actor_type: str, actor_id: str, target_type: str, target_id: str,
         role_id: str) -> tuple[type[Any], dict[str, str]]:
    if target_type == 'domain':
        return group_models.DomainGrant, {'actor_type': actor_type, 'actor_id': actor_id,
                                          'domain_id': target_id, 'role_id': role_id}
    if actor_type == 'group':
        return group_models.GroupProjectGrant, {'group_id': actor_id, 'project_id': target_id,
                                                'role_id': role_id}
    return models.RoleAssignment, {'user_id': actor_id, 'project_id': target_id,
                                   'role_id': role_id}


class GrantStore:
    """Grants of a role to a user or group on a project or domain."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def grant(self, actor_type: str, actor_id: str, target_type: str, target_id: str,
              role_id: str) -> None:
        """Grants the role (idempotent)."""
        model, key = _key(actor_type, actor_id, target_type, target_id, role_id)
        try:
            with self._db.session() as session:
                _check_refs(session, actor_type, actor_id, target_type, target_id, role_id)
                if session.get(model, key) is None:
                    session.add(model(**key))
        except sa_exc.IntegrityError:  # granted concurrently: done
            pass

    def has_grant(self, actor_type: str, actor_id: str, target_type: str, target_id: str,
                  role_id: str) -> bool:
        model, key = _key(actor_type, actor_id, target_type, target_id, role_id)
        with self._db.reader() as session:
            _check_refs(session, actor_type, actor_id, target_type, target_id, role_id)
            return session.get(model, key) is not None

    def revoke(self, actor_type: str, actor_id: str, target_type: str, target_id: str,
               role_id: str) -> None:
        model, key = _key(actor_type, actor_id, target_type, target_id, role_id)
        with self._db.session() as session:
            _check_refs(session, actor_type, actor_id, target_type, target_id, role_id)
            row = session.get(model, key)
            if row is None:
                raise exception.NotFound(
                    f'Role {role_id} is not granted to {actor_type} {actor_id} on '
                    f'{target_type} {target_id}.', resource='RoleAssignment', id=role_id)
            session.delete(row)

    def roles(self, actor_type: str, actor_id: str, target_type: str,
              target_id: str) -> list[dict[str, Any]]:
        """The roles granted directly to the actor on the target, by name."""
        model, key = _key(actor_type, actor_id, target_type, target_id, '')
        columns = {k: v for k, v in key.items() if k != 'role_id'}
        with self._db.reader() as session:
            _check_refs(session, actor_type, actor_id, target_type, target_id, None)
            stmt = (sa.select(models.Role.id, models.Role.name)
                    .join(model, model.role_id == models.Role.id)
                    .where(*(getattr(model, k) == v for k, v in columns.items()))
                    .order_by(models.Role.name))
            return [{'id': role_id, 'name': name} for role_id, name in session.execute(stmt)]

    def domain_ids_for_user(self, user_id: str) -> set[str]:
        """The domains the user holds a role on, directly or through a group
        (keystone's ``/v3/auth/domains``)."""
        grant, member = group_models.DomainGrant, group_models.GroupMembership
        direct = sa.select(grant.domain_id).where(grant.actor_type == 'user',
                                                  grant.actor_id == user_id)
        via_group = (sa.select(grant.domain_id)
                     .join(member, member.group_id == grant.actor_id)
                     .where(grant.actor_type == 'group', member.user_id == user_id))
        with self._db.reader() as session:
            return set(session.scalars(sa.union(direct, via_group)))


def delete_user_domain_grants(session: orm.Session, user_ids: list[str]) -> None:
    """Drops the domain grants of deleted users, inside ``session``."""
    if user_ids:
        session.execute(sa.delete(group_models.DomainGrant).where(
            group_models.DomainGrant.actor_type == 'user',
            group_models.DomainGrant.actor_id.in_(user_ids)))
