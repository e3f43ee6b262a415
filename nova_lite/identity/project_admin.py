"""Creating and changing projects with keystone's full body: a rename, and the
project's tags written in the same transaction as the project."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import project_hierarchy, project_tags, resources


def _project_dict(session: orm.Session, row: models.Project) -> dict[str, Any]:
    parent_id = project_hierarchy.parents_of(session, [row.id]).get(row.id, row.domain_id)
    return {'id': row.id, 'name': row.name, 'domain_id': row.domain_id,
            'enabled': row.enabled, 'description': row.description,
            'parent_id': parent_id, 'is_domain': False,
            'tags': project_tags.tags_of(session, [row.id]).get(row.id, [])}


def _no_clash(session: orm.Session, name: str, domain_id: str) -> None:
    if session.scalar(sa.select(models.Project.id).where(
            models.Project.name == name, models.Project.domain_id == domain_id)):
        raise exception.Duplicate(resource='Project', name=name)


class ProjectAdmin:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create_project(self, name: str, domain_id: str | None, *, description: str = '',
                       enabled: bool = True, tags: list[str] | None = None,
                       parent_id: str | None = None,
                       default_domain_id: str = 'default') -> dict[str, Any]:
        """A project in ``domain_id`` (else its parent's, else ``default_domain_id``)."""
        tags = project_tags.check_tags(tags or [])
        try:
            with self._db.session() as session:
                parent, domain_id = project_hierarchy.resolve_parent(session, parent_id,
                                                                     domain_id)
                domain_id = domain_id or default_domain_id
                resources.load_row(session, models.Domain, 'Domain', 'domain_id', domain_id)
                _no_clash(session, name, domain_id)
                row = models.Project(id=uuid.uuid4().hex, name=name, domain_id=domain_id,
                                     description=description or '', enabled=enabled)
                session.add(row)
                session.flush()
                if parent is not None:
                    session.add(group_models.ProjectParent(project_id=row.id, parent_id=parent))
                project_tags.replace_tags(session, row.id, tags)
                session.flush()
                return _project_dict(session, row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Project', name=name) from None

    def update_project(self, project_id: str, spec: dict[str, Any]) -> dict[str, Any]:
        """Applies a keystone project PATCH body (name, description, enabled, tags);
        disabling a project makes its tokens fail validation at once."""
        tags = project_tags.check_tags(spec['tags']) if 'tags' in spec else None
        name = spec.get('name')
        try:
            with self._db.session() as session:
                row = resources.load_row(session, models.Project, 'Project', 'project_id',
                                         project_id)
                if name is not None and name != row.name:
                    _no_clash(session, name, row.domain_id)
                    row.name = name
                if spec.get('description') is not None:
                    row.description = spec['description']
                if 'enabled' in spec:
                    row.enabled = spec['enabled']
                if tags is not None:
                    project_tags.replace_tags(session, row.id, tags)
                row.updated_at = timeutils.utcnow()
                session.flush()
                return _project_dict(session, row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Project', name=name) from None
