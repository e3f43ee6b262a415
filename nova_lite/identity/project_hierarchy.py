"""Project parents: a project made with a ``parent_id`` of another project of its
domain is that project's child; without one its parent is its domain.

A project with children cannot be deleted (403, as keystone answers without
its cascade option).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import resources

NOT_A_LEAF = ('Cannot delete the project {id} since it is not a leaf in the hierarchy: '
              'delete its children first.')


def parents_of(session: orm.Session, project_ids: Iterable[str]) -> dict[str, str]:
    """The parent project of each listed project that has one."""
    rows = session.execute(sa.select(group_models.ProjectParent.project_id,
                                     group_models.ProjectParent.parent_id).where(
        group_models.ProjectParent.project_id.in_(list(project_ids))))
    return {key: value for key, value in rows}


def resolve_parent(session: orm.Session, parent_id: str | None,
                   domain_id: str | None) -> tuple[str | None, str | None]:
    """``(parent project id or None, domain id)`` of a new project.

    ``parent_id`` may be the domain (a top-level project) or a project, whose
    domain the new project must share.
    """
    if parent_id is None or parent_id == domain_id:
        return None, domain_id
    parent = session.get(models.Project, resources.check_id('project.parent_id', parent_id))
    if parent is None:
        if domain_id is None and session.get(models.Domain, parent_id) is not None:
            return None, parent_id
        raise exception.NotFound(f"Project {parent_id} could not be found (field "
                                 "'project.parent_id').", resource='Project', id=parent_id)
    if domain_id is not None and parent.domain_id != domain_id:
        raise exception.InvalidInput(field='project.parent_id',
                                     reason='the parent must be in the same domain')
    return parent.id, parent.domain_id


class ProjectHierarchy:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def parents(self, project_ids: Iterable[str]) -> dict[str, str]:
        with self._db.reader() as session:
            return parents_of(session, project_ids)

    def with_parents(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``records`` with ``parent_id`` the parent project where there is one."""
        parents = self.parents(r['id'] for r in records)
        return [{**r, 'parent_id': parents.get(r['id'], r['domain_id'])} for r in records]

    def check_leaf(self, project_id: str) -> None:
        """Forbidden if the project has children."""
        with self._db.reader() as session:
            child = session.scalar(sa.select(group_models.ProjectParent.project_id).where(
                group_models.ProjectParent.parent_id == project_id).limit(1))
        if child is not None:
            raise exception.Forbidden(NOT_A_LEAF.format(id=project_id))
