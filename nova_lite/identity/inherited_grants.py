"""Keystone's ``OS-INHERIT``: roles granted on a domain (or a project) that a
user or a group holds on every project of that domain (or under that project).

The grant itself gives no role on the domain or project it names.

Groups are reached through :class:`GroupLookup` and the project hierarchy
through :class:`ProjectTree`, callables over the caller's database session,
so that the store works with any group or hierarchy backend: until one is
connected, no group exists (:data:`NO_GROUPS`) and no project has a parent
project (:data:`FLAT_PROJECTS`), so a grant inherited from a project reaches
no project.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as identity_models
from nova_lite.db.models import identity_extensions as models
from nova_lite.identity import resources

ACTOR_TYPES = ('user', 'group')
TARGET_TYPES = ('domain', 'project')
INHERITED_TO = 'projects'


@dataclasses.dataclass(frozen=True)
class GroupLookup:
    """What the store needs of groups: membership both ways, and existence."""

    group_ids_of_user: Callable[[orm.Session, str], list[str]]
    user_ids_in_group: Callable[[orm.Session, str], list[str]]
    group_exists: Callable[[orm.Session, str], bool]


NO_GROUPS = GroupLookup(group_ids_of_user=lambda session, user_id: [],
                        user_ids_in_group=lambda session, group_id: [],
                        group_exists=lambda session, group_id: False)


@dataclasses.dataclass(frozen=True)
class Grant:
    actor_type: str
    actor_id: str
    target_type: str
    target_id: str
    role_id: str


@dataclasses.dataclass(frozen=True)
class ProjectTree:
    """The projects above and below a project (a grant on a project reaches those
    below it; a project inherits from those above it)."""

    ancestor_ids: Callable[[orm.Session, str], list[str]]
    descendant_ids: Callable[[orm.Session, str], list[str]]


# No project has a parent project: a project's parent is its domain.
FLAT_PROJECTS = ProjectTree(ancestor_ids=lambda session, project_id: [],
                            descendant_ids=lambda session, project_id: [])


def inherited_role_ids(session: orm.Session, user_id: str, project_id: str,
                       groups: GroupLookup = NO_GROUPS,
                       projects: ProjectTree = FLAT_PROJECTS) -> set[str]:
    """The ids of the roles the user inherits on the project: from grants to the user
    or its groups on the project's domain or on a project above it."""
    project = session.get(identity_models.Project, project_id)
    if project is None:
        return set()
    grant = models.InheritedRoleGrant
    actors = sa.or_(
        sa.and_(grant.actor_type == 'user', grant.actor_id == user_id),
        sa.and_(grant.actor_type == 'group',
                grant.actor_id.in_(groups.group_ids_of_user(session, user_id))))
    targets = sa.or_(
        sa.and_(grant.target_type == 'domain', grant.target_id == project.domain_id),
        sa.and_(grant.target_type == 'project',
                grant.target_id.in_(projects.ancestor_ids(session, project_id))))
    return set(session.scalars(sa.select(grant.role_id).distinct().where(actors, targets)))


def delete_group_grants(session: orm.Session, group_ids: list[str]) -> None:
    """Removes the inherited grants of deleted groups (groups have no foreign key
    here): the group store calls this in the transaction that deletes them."""
    session.execute(sa.delete(models.InheritedRoleGrant).where(
        models.InheritedRoleGrant.actor_type == 'group',
        models.InheritedRoleGrant.actor_id.in_(group_ids)))


def _grant_dict(row: models.InheritedRoleGrant, role_name: str) -> dict[str, Any]:
    return {'actor_type': row.actor_type, 'actor_id': row.actor_id,
            'target_type': row.target_type, 'target_id': row.target_id,
            'role_id': row.role_id, 'role_name': role_name, 'inherited_to': INHERITED_TO}


def _key(grant: Grant) -> dict[str, str]:
    return dataclasses.asdict(grant)


class InheritedGrantStore:
    def __init__(self, db: db_api.Database, groups: GroupLookup = NO_GROUPS,
                 projects: ProjectTree = FLAT_PROJECTS) -> None:
        self._db = db
        self.groups = groups
        self.projects = projects

    def grant(self, grant: Grant) -> None:
        """Makes the grant (idempotent); 404 for an unknown actor, target or role."""
        try:
            with self._db.session() as session:
                self._check_refs(session, grant)
                if session.get(models.InheritedRoleGrant, _key(grant)) is None:
                    session.add(models.InheritedRoleGrant(
                        **_key(grant),
                        user_id=grant.actor_id if grant.actor_type == 'user' else None,
                        domain_id=grant.target_id if grant.target_type == 'domain' else None,
                        project_id=(grant.target_id if grant.target_type == 'project'
                                    else None)))
                    session.flush()
        except sa_exc.IntegrityError:
            # The same grant made concurrently is done; a reference deleted meanwhile is not.
            if not self.exists(grant):
                raise exception.Conflict(reason='a user, group, target or role of the '
                                                'grant was deleted meanwhile') from None

    def exists(self, grant: Grant) -> bool:
        with self._db.reader() as session:
            self._check_refs(session, grant)
            return session.get(models.InheritedRoleGrant, _key(grant)) is not None

    def revoke(self, grant: Grant) -> None:
        with self._db.session() as session:
            self._check_refs(session, grant)
            row = session.get(models.InheritedRoleGrant, _key(grant))
            if row is None:
                raise exception.NotFound(
                    f'Role {grant.role_id} is not granted to {grant.actor_type} '
                    f'{grant.actor_id} on {grant.target_type} {grant.target_id} '
                    'as inherited to projects.', resource='RoleAssignment', id=grant.role_id)
            session.delete(row)

    def roles_of(self, actor_type: str, actor_id: str, target_type: str,
                 target_id: str) -> list[dict[str, Any]]:
        """``[{"id", "name"}]`` of the roles the actor inherits from the target."""
        with self._db.reader() as session:
            self._check_refs(session, Grant(actor_type, actor_id, target_type, target_id, ''),
                             role=False)
            rows = session.execute(
                sa.select(identity_models.Role.id, identity_models.Role.name)
                .join(models.InheritedRoleGrant,
                      models.InheritedRoleGrant.role_id == identity_models.Role.id)
                .where(models.InheritedRoleGrant.actor_type == actor_type,
                       models.InheritedRoleGrant.actor_id == actor_id,
                       models.InheritedRoleGrant.target_type == target_type,
                       models.InheritedRoleGrant.target_id == target_id)
                .order_by(identity_models.Role.name))
            return [{'id': role_id, 'name': name} for role_id, name in rows]

    def list_grants(self) -> list[dict[str, Any]]:
        """Every inherited grant, as ``{actor_type, actor_id, target_type, target_id,
        role_id, role_name, inherited_to}``."""
        with self._db.reader() as session:
            rows = session.execute(
                sa.select(models.InheritedRoleGrant, identity_models.Role.name)
                .join(identity_models.Role,
                      identity_models.Role.id == models.InheritedRoleGrant.role_id)
                .order_by(models.InheritedRoleGrant.actor_type,
                          models.InheritedRoleGrant.actor_id,
                          models.InheritedRoleGrant.target_type,
                          models.InheritedRoleGrant.target_id, identity_models.Role.name))
            return [_grant_dict(row, name) for row, name in rows]

    def effective_assignments(self) -> list[dict[str, Any]]:
        """Each grant as the user-on-project assignments it gives: group grants once
        per member (``via_group``), each with the grant it comes from (``source``)."""
        grants = self.list_grants()
        with self._db.reader() as session:
            result: list[dict[str, Any]] = []
            for grant in grants:
                users = ([grant['actor_id']] if grant['actor_type'] == 'user'
                         else self.groups.user_ids_in_group(session, grant['actor_id']))
                for project_id in self._projects_under(session, grant):
                    for user_id in users:
                        result.append({
                            'actor_type': 'user', 'actor_id': user_id,
                            'target_type': 'project', 'target_id': project_id,
                            'role_id': grant['role_id'], 'role_name': grant['role_name'],
                            'via_group': (grant['actor_id'] if grant['actor_type'] == 'group'
                                          else None), 'source': grant})
            return result

    def project_ids_of(self, user_id: str) -> set[str]:
        """The projects the user inherits any role on (``/v3/users/{id}/projects``)."""
        with self._db.reader() as session:
            grant = models.InheritedRoleGrant
            actors = sa.or_(
                sa.and_(grant.actor_type == 'user', grant.actor_id == user_id),
                sa.and_(grant.actor_type == 'group', grant.actor_id.in_(
                    self.groups.group_ids_of_user(session, user_id))))
            rows = session.execute(sa.select(grant.target_type, grant.target_id)
                                   .distinct().where(actors))
            found: set[str] = set()
            for target_type, target_id in rows:
                found.update(self._projects_under(
                    session, {'target_type': target_type, 'target_id': target_id}))
            return found

    def inherited_roles(self, session: orm.Session, user_id: str,
                        project_id: str) -> list[dict[str, Any]]:
        """``[{"id", "name"}]`` the user inherits on the project (the token's lookup)."""
        role_ids = inherited_role_ids(session, user_id, project_id, self.groups, self.projects)
        rows = session.execute(
            sa.select(identity_models.Role.id, identity_models.Role.name)
            .where(identity_models.Role.id.in_(role_ids)).order_by(identity_models.Role.name))
        return [{'id': role_id, 'name': name} for role_id, name in rows]

    def _projects_under(self, session: orm.Session, grant: dict[str, Any]) -> list[str]:
        if grant['target_type'] == 'project':
            return self.projects.descendant_ids(session, grant['target_id'])
        return list(session.scalars(sa.select(identity_models.Project.id).where(
            identity_models.Project.domain_id == grant['target_id']).order_by(
            identity_models.Project.id)))

    def _check_refs(self, session: orm.Session, grant: Grant, *, role: bool = True) -> None:
        """404 unless the actor, the target (and the role) exist."""
        if grant.actor_type == 'user':
            resources.load_row(session, identity_models.User, 'User', 'user_id',
                               grant.actor_id)
        elif not self.groups.group_exists(session, resources.check_id('group_id',
                                                                      grant.actor_id)):
            raise exception.NotFound(resource='Group', id=grant.actor_id)
        target_model = (identity_models.Domain if grant.target_type == 'domain'
                        else identity_models.Project)
        resources.load_row(session, target_model, grant.target_type.capitalize(),
                           f'{grant.target_type}_id', grant.target_id)
        if role:
            resources.load_row(session, identity_models.Role, 'Role', 'role_id', grant.role_id)
