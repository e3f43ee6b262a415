"""The OS-INHERIT store's group and project-tree lookups over the identity
groups (identity_groups) and project parents (project_hierarchy)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import inherited_grants


def _group_ids_of_user(session: orm.Session, user_id: str) -> list[str]:
    return list(session.scalars(sa.select(group_models.GroupMembership.group_id).where(
        group_models.GroupMembership.user_id == user_id)))


def _user_ids_in_group(session: orm.Session, group_id: str) -> list[str]:
    return list(session.scalars(sa.select(group_models.GroupMembership.user_id).where(
        group_models.GroupMembership.group_id == group_id)))


def _group_exists(session: orm.Session, group_id: str) -> bool:
    return session.get(group_models.Group, group_id) is not None


def _ancestor_ids(session: orm.Session, project_id: str) -> list[str]:
    found: list[str] = []
    current = project_id
    while True:
        parent = session.scalar(sa.select(group_models.ProjectParent.parent_id).where(
            group_models.ProjectParent.project_id == current))
        if parent is None or parent in found:
            return found
        found.append(parent)
        current = parent


def _descendant_ids(session: orm.Session, project_id: str) -> list[str]:
    found: list[str] = []
    frontier = [project_id]
    while frontier:
        children = list(session.scalars(sa.select(group_models.ProjectParent.project_id).where(
            group_models.ProjectParent.parent_id.in_(frontier))))
        children = [c for c in children if c not in found]
        found += children
        frontier = children
    return found


GROUPS = inherited_grants.GroupLookup(group_ids_of_user=_group_ids_of_user,
                                      user_ids_in_group=_user_ids_in_group,
                                      group_exists=_group_exists)
PROJECT_TREE = inherited_grants.ProjectTree(ancestor_ids=_ancestor_ids,
                                            descendant_ids=_descendant_ids)
