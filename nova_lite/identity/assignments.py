"""System role grants, role implications and the effective roles of a scope.

A user holds roles on a project (``role_assignments``) or on the whole
deployment, the *system* (``system_role_assignments``). A role may imply
others (``admin`` implies ``manager``, which implies ``member``, which implies
``reader``, as keystone's bootstrap sets up): a token carries the roles held
plus every role they imply, followed transitively.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_auth as auth_models
from nova_lite.identity import (
    domain_roles,
    inherited_backends,
    inherited_grants,
    resources,
    system_group_grants,
)
from nova_lite.identity import effective_roles as held_roles

LOG = logging.getLogger(__name__)

SYSTEM_ALL = 'all'


def _implied_closure(session: orm.Session, role_ids: set[str]) -> set[str]:
    """``role_ids`` plus every role they imply, transitively."""
    found = set(role_ids)
    frontier = set(role_ids)
    while frontier:
        implied = set(session.scalars(sa.select(auth_models.ImpliedRole.implied_role_id).where(
            auth_models.ImpliedRole.prior_role_id.in_(frontier))))
        frontier = implied - found
        found |= frontier
    return found


def _role_refs(session: orm.Session, role_ids: set[str]) -> list[dict[str, Any]]:
    if not role_ids:
        return []
    rows = session.execute(sa.select(models.Role.id, models.Role.name).where(
        models.Role.id.in_(role_ids)).order_by(models.Role.name))
    return [{'id': role_id, 'name': name} for role_id, name in rows]


def project_role_ids(session: orm.Session, user_id: str, project_id: str) -> set[str]:
    """The global roles the user holds on the project: granted to it or to one of its
    groups, or inherited from a grant on the domain or on a project above
    (OS-INHERIT). Domain-specific roles never reach a token."""
    return held_roles.project_role_ids(session, user_id, project_id) | (
        inherited_grants.inherited_role_ids(session, user_id, project_id,
                                            inherited_backends.GROUPS,
                                            inherited_backends.PROJECT_TREE))


def system_role_ids(session: orm.Session, user_id: str) -> set[str]:
    """The roles the user holds directly on the system."""
    return set(session.scalars(sa.select(auth_models.SystemRoleAssignment.role_id).where(
        auth_models.SystemRoleAssignment.user_id == user_id)))


def held_system_role_ids(session: orm.Session, user_id: str) -> set[str]:
    """The roles the user holds on the system: granted to it or to one of its groups."""
    return system_role_ids(session, user_id) | system_group_grants.role_ids_through_groups(
        session, user_id)


def effective_roles(session: orm.Session, role_ids: set[str]) -> list[dict[str, Any]]:
    """``{id, name}`` of ``role_ids`` and the roles they imply, by name."""
    return _role_refs(session, _implied_closure(session, role_ids))


def effective_role_ids(session: orm.Session, role_ids: set[str]) -> set[str]:
    return _implied_closure(session, role_ids)


class AssignmentStore:
    """System grants and role implications (mixed into the identity manager)."""

    _db: Any

    # System grants ---------------------------------------------------------------

    def grant_system_role(self, user_id: str, role_id: str) -> None:
        """Grants ``role_id`` on the system to the user (idempotent)."""
        key = {'user_id': user_id, 'role_id': role_id}
        try:
            with self._db.session() as session:
                resources.load_row(session, models.User, 'User', 'user_id', user_id)
                resources.load_row(session, models.Role, 'Role', 'role_id', role_id)
                if session.get(auth_models.SystemRoleAssignment, key) is None:
                    session.add(auth_models.SystemRoleAssignment(**key))
                    session.flush()
        except sa_exc.IntegrityError:  # granted concurrently: done
            pass
        LOG.info('Granted role %s on the system to user %s', role_id, user_id)

    def revoke_system_role(self, user_id: str, role_id: str) -> None:
        with self._db.session() as session:
            row = session.get(auth_models.SystemRoleAssignment,
                              {'user_id': resources.check_id('user_id', user_id),
                               'role_id': resources.check_id('role_id', role_id)})
            if row is None:
                raise exception.NotFound(f'Role {role_id} is not assigned to user {user_id} '
                                         'on the system.', resource='RoleAssignment',
                                         id=role_id)
            session.delete(row)
        LOG.info('Revoked role %s on the system from user %s', role_id, user_id)

    def list_system_roles(self, user_id: str) -> list[dict[str, Any]]:
        """The roles granted directly to the user on the system."""
        with self._db.reader() as session:
            resources.load_row(session, models.User, 'User', 'user_id', user_id)
            return _role_refs(session, system_role_ids(session, user_id))

    def list_system_assignments(self) -> list[dict[str, Any]]:
        """Every system grant: ``{user_id, role_id, role_name}``."""
        with self._db.reader() as session:
            rows = session.execute(
                sa.select(auth_models.SystemRoleAssignment, models.Role.name)
                .join(models.Role, models.Role.id == auth_models.SystemRoleAssignment.role_id)
                .order_by(auth_models.SystemRoleAssignment.user_id, models.Role.name))
            return [{'user_id': row.user_id, 'role_id': row.role_id, 'role_name': name}
                    for row, name in rows]

    def delete_role(self, role_id: str) -> None:
        """Deletes a role with its grants, implications and delegations (the tokens
        holding it lose it at once)."""
        with self._db.session() as session:
            row = resources.load_row(session, models.Role, 'Role', 'role_id', role_id)
            session.execute(sa.delete(models.RoleAssignment).where(
                models.RoleAssignment.role_id == row.id))
            session.execute(sa.delete(auth_models.SystemRoleAssignment).where(
                auth_models.SystemRoleAssignment.role_id == row.id))
            session.execute(sa.delete(auth_models.ImpliedRole).where(sa.or_(
                auth_models.ImpliedRole.prior_role_id == row.id,
                auth_models.ImpliedRole.implied_role_id == row.id)))
            session.execute(sa.delete(auth_models.ApplicationCredentialRole).where(
                auth_models.ApplicationCredentialRole.role_id == row.id))
            system_group_grants.delete_grants_of_role(session, row.id)
            session.delete(row)
        LOG.info('Deleted role %s', role_id)

    # Role implications -------------------------------------------------------------

    def create_implied_role(self, prior_role_id: str, implied_role_id: str) -> dict[str, Any]:
        """Holding the prior role grants the implied one too (idempotent)."""
        if prior_role_id == implied_role_id:
            raise exception.InvalidInput(field='implied_role_id',
                                         reason='a role cannot imply itself')
        key = {'prior_role_id': prior_role_id, 'implied_role_id': implied_role_id}
        try:
            with self._db.session() as session:
                prior = resources.load_row(session, models.Role, 'Role', 'prior_role_id',
                                           prior_role_id)
                implied = resources.load_row(session, models.Role, 'Role', 'implied_role_id',
                                             implied_role_id)
                if (domain_roles.is_domain_role(session, implied_role_id)
                        and not domain_roles.is_domain_role(session, prior_role_id)):
                    raise exception.Forbidden(
                        'A global role may not imply a domain-specific role.')
                if prior_role_id in _implied_closure(session, {implied_role_id}):
                    raise exception.InvalidInput(field='implied_role_id',
                                                 reason='the implication would be a cycle')
                if session.get(auth_models.ImpliedRole, key) is None:
                    session.add(auth_models.ImpliedRole(**key))
                    session.flush()
                return {'prior_role': {'id': prior.id, 'name': prior.name},
                        'implied': {'id': implied.id, 'name': implied.name}}
        except sa_exc.IntegrityError:
            return self.get_implied_role(prior_role_id, implied_role_id)

    def get_implied_role(self, prior_role_id: str, implied_role_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            key = {'prior_role_id': resources.check_id('prior_role_id', prior_role_id),
                   'implied_role_id': resources.check_id('implied_role_id', implied_role_id)}
            if session.get(auth_models.ImpliedRole, key) is None:
                raise exception.NotFound(f'Role {prior_role_id} does not imply role '
                                         f'{implied_role_id}.', resource='ImpliedRole',
                                         id=implied_role_id)
            prior = session.get(models.Role, prior_role_id)
            implied = session.get(models.Role, implied_role_id)
            assert prior is not None and implied is not None  # foreign keys
            return {'prior_role': {'id': prior.id, 'name': prior.name},
                    'implied': {'id': implied.id, 'name': implied.name}}

    def list_implied_roles(self, prior_role_id: str | None = None) -> list[dict[str, Any]]:
        """Every implication ``{prior_role_id, implied_role_id}`` (of one prior role)."""
        stmt = sa.select(auth_models.ImpliedRole).order_by(
            auth_models.ImpliedRole.prior_role_id, auth_models.ImpliedRole.implied_role_id)
        if prior_role_id is not None:
            stmt = stmt.where(auth_models.ImpliedRole.prior_role_id == prior_role_id)
        with self._db.reader() as session:
            return [{'prior_role_id': row.prior_role_id,
                     'implied_role_id': row.implied_role_id}
                    for row in session.scalars(stmt)]

    def expand_implied_assignments(self,
                                   records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Project assignments plus one per role they imply (``effective`` listings)."""
        implies: dict[str, set[str]] = {}
        for row in self.list_implied_roles():
            implies.setdefault(row['prior_role_id'], set()).add(row['implied_role_id'])
        with self._db.reader() as session:
            names = dict(session.execute(sa.select(models.Role.id, models.Role.name)).all())
        result = list(records)
        seen = {(r['user_id'], r['project_id'], r['role_id']) for r in records}
        for record in records:
            frontier = set(implies.get(record['role_id'], ()))
            while frontier:
                role_id = frontier.pop()
                key = (record['user_id'], record['project_id'], role_id)
                if key in seen:
                    continue
                seen.add(key)
                result.append({**record, 'role_id': role_id, 'role_name': names[role_id]})
                frontier |= implies.get(role_id, set())
        return result

    def delete_implied_role(self, prior_role_id: str, implied_role_id: str) -> None:
        with self._db.session() as session:
            row = session.get(auth_models.ImpliedRole,
                              {'prior_role_id': resources.check_id('prior_role_id',
                                                                   prior_role_id),
                               'implied_role_id': resources.check_id('implied_role_id',
                                                                     implied_role_id)})
            if row is None:
                raise exception.NotFound(resource='ImpliedRole', id=implied_role_id)
            session.delete(row)
