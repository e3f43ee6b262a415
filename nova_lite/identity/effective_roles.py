"""The roles a user holds on a project: granted to the user directly or to a
group the user is a member of (keystone's effective role assignments).
Domain-specific roles (domain_roles.py) are left out, as keystone leaves them
out of tokens."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import domain_roles


def _role_ids(user_id: str, project_id: str) -> sa.CompoundSelect:
    direct = sa.select(models.RoleAssignment.role_id).where(
        models.RoleAssignment.user_id == user_id,
        models.RoleAssignment.project_id == project_id)
    via_group = (sa.select(group_models.GroupProjectGrant.role_id)
                 .join(group_models.GroupMembership,
                       group_models.GroupMembership.group_id
                       == group_models.GroupProjectGrant.group_id)
                 .where(group_models.GroupMembership.user_id == user_id,
                        group_models.GroupProjectGrant.project_id == project_id))
    return sa.union(direct, via_group)


def _global_role_ids(user_id: str, project_id: str) -> sa.Select[tuple[str]]:
    held = _role_ids(user_id, project_id).subquery()
    return sa.select(held.c.role_id).where(held.c.role_id.not_in(domain_roles.domain_role_ids()))


def project_role_ids(session: orm.Session, user_id: str, project_id: str) -> set[str]:
    """The ids of the roles the user holds on the project, directly or through groups."""
    return set(session.scalars(_global_role_ids(user_id, project_id)))


def project_roles(session: orm.Session, user_id: str,
                  project_id: str) -> list[dict[str, Any]]:
    """``[{"id", "name"}]`` of the user's roles on the project, by name, no repeats."""
    rows = session.execute(
        sa.select(models.Role.id, models.Role.name)
        .where(models.Role.id.in_(_global_role_ids(user_id, project_id)))
        .order_by(models.Role.name))
    return [{'id': role_id, 'name': name} for role_id, name in rows]


def project_ids_of(user_id: str) -> sa.CompoundSelect:
    """A select of the ids of the projects the user holds any role on."""
    direct = sa.select(models.RoleAssignment.project_id).where(
        models.RoleAssignment.user_id == user_id)
    via_group = (sa.select(group_models.GroupProjectGrant.project_id)
                 .join(group_models.GroupMembership,
                       group_models.GroupMembership.group_id
                       == group_models.GroupProjectGrant.group_id)
                 .where(group_models.GroupMembership.user_id == user_id))
    return sa.union(direct, via_group)
