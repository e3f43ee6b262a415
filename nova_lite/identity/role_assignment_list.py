"""``/v3/role_assignments``: every grant (user or group, on a project or a domain),
filtered, and with ``effective`` the group grants expanded into one assignment
per member (each marked with the group it comes through, as keystone does)
and, given an ``implied`` resolver, each role's implied roles added (marked
with their prior role); domain-specific roles are not effective themselves."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import domain_roles


@dataclasses.dataclass(frozen=True)
class AssignmentFilter:
    user_id: str | None = None
    group_id: str | None = None
    project_id: str | None = None
    domain_id: str | None = None
    role_id: str | None = None
    effective: bool = False
    # With ``project_id``: that project's descendants match too.
    include_subtree: bool = False


def _all_grants(session: orm.Session) -> list[dict[str, Any]]:
    """Every stored grant as ``{actor_type, actor_id, target_type, target_id, role_id}``."""
    grants = [{'actor_type': 'user', 'actor_id': r.user_id, 'target_type': 'project',
               'target_id': r.project_id, 'role_id': r.role_id}
              for r in session.scalars(sa.select(models.RoleAssignment))]
    grants += [{'actor_type': 'group', 'actor_id': r.group_id, 'target_type': 'project',
                'target_id': r.project_id, 'role_id': r.role_id}
               for r in session.scalars(sa.select(group_models.GroupProjectGrant))]
    grants += [{'actor_type': r.actor_type, 'actor_id': r.actor_id, 'target_type': 'domain',
                'target_id': r.domain_id, 'role_id': r.role_id}
               for r in session.scalars(sa.select(group_models.DomainGrant))]
    return grants


def _members(session: orm.Session) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for row in session.scalars(sa.select(group_models.GroupMembership)):
        members.setdefault(row.group_id, []).append(row.user_id)
    return members


def _expanded(session: orm.Session, grants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group grants replaced by one user grant per member (``via_group`` set)."""
    members = _members(session)
    result: list[dict[str, Any]] = []
    for grant in grants:
        if grant['actor_type'] != 'group':
            result.append(grant)
            continue
        for user_id in sorted(members.get(grant['actor_id'], [])):
            result.append({**grant, 'actor_type': 'user', 'actor_id': user_id,
                           'via_group': grant['actor_id']})
    return result


def _subtree(session: orm.Session, project_id: str) -> set[str]:
    """The project and every project below it."""
    found, frontier = {project_id}, {project_id}
    while frontier:
        children = set(session.scalars(sa.select(group_models.ProjectParent.project_id).where(
            group_models.ProjectParent.parent_id.in_(frontier))))
        frontier = children - found
        found |= frontier
    return found


def _wanted(grant: dict[str, Any], f: AssignmentFilter, projects: set[str] | None) -> bool:
    checks = (('actor', 'user', f.user_id), ('actor', 'group', f.group_id),
              ('target', 'domain', f.domain_id))
    for side, kind, value in checks:
        if value is not None and (grant[f'{side}_type'] != kind
                                  or grant[f'{side}_id'] != value):
            return False
    if projects is not None and (grant['target_type'] != 'project'
                                 or grant['target_id'] not in projects):
        return False
    return f.role_id is None or grant['role_id'] == f.role_id


# ``(session, role ids) -> those roles and every role they imply``.
ImpliedResolver = Callable[[orm.Session, set[str]], set[str]]


def _with_implied(session: orm.Session, grants: list[dict[str, Any]],
                  implied: ImpliedResolver) -> list[dict[str, Any]]:
    """Each grant followed by one per role its role implies (``prior_role`` set)."""
    result: list[dict[str, Any]] = []
    for grant in grants:
        result.append(grant)
        for role_id in sorted(implied(session, {grant['role_id']}) - {grant['role_id']}):
            result.append({**grant, 'role_id': role_id, 'prior_role': grant['role_id']})
    return result


class AssignmentLister:
    def __init__(self, db: db_api.Database, implied: ImpliedResolver | None = None) -> None:
        self._db = db
        self._implied = implied

    def list_assignments(self, f: AssignmentFilter) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            grants = _all_grants(session)
            if f.effective:
                grants = _expanded(session, grants)
                if self._implied is not None:
                    grants = _with_implied(session, grants, self._implied)
                local = set(session.scalars(domain_roles.domain_role_ids()))
                grants = [g for g in grants if g['role_id'] not in local]
            projects = None
            if f.project_id is not None:
                projects = (_subtree(session, f.project_id) if f.include_subtree
                            else {f.project_id})
            chosen = [g for g in grants if _wanted(g, f, projects)]
            role_names = dict(session.execute(sa.select(models.Role.id, models.Role.name)).all())
        for grant in chosen:
            grant['role_name'] = role_names.get(grant['role_id'])
        chosen.sort(key=lambda g: (g['actor_type'], g['actor_id'], g['target_type'],
                                   g['target_id'], g['role_name'] or ''))
        return chosen

    def names(self) -> dict[str, dict[str, Any]]:
        """``{kind: {id: {"name", "domain"?}}}`` for users, groups, projects, domains."""
        with self._db.reader() as session:
            domains = {d.id: {'id': d.id, 'name': d.name}
                       for d in session.scalars(sa.select(models.Domain))}

            def owned(model: Any) -> dict[str, Any]:
                return {r.id: {'name': r.name, 'domain': domains.get(
                    r.domain_id, {'id': r.domain_id, 'name': None})}
                    for r in session.scalars(sa.select(model))}

            return {'user': owned(models.User), 'group': owned(group_models.Group),
                    'project': owned(models.Project),
                    'domain': {k: {'name': v['name']} for k, v in domains.items()}}
