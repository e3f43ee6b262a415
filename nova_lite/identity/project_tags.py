"""Project tags (keystone's ``/v3/projects/{id}/tags``) and the list filters on them.

A tag is 1-255 characters without ``/`` or ``,``; a project has at most 80,
kept in the order they were given.
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

MAX_TAGS = 80
MAX_TAG_LENGTH = 255


def check_tag(tag: Any, field: str = 'tags') -> str:
    if (not isinstance(tag, str) or not tag.strip() or len(tag) > MAX_TAG_LENGTH
            or '/' in tag or ',' in tag):
        raise exception.InvalidInput(
            field=field, reason="a tag is 1-255 characters without '/' or ','")
    return tag


def check_tags(tags: Any) -> list[str]:
    if not isinstance(tags, list):
        raise exception.InvalidInput(field='tags', reason='must be a list of strings')
    unique = list(dict.fromkeys(check_tag(tag) for tag in tags))
    if len(unique) > MAX_TAGS:
        raise exception.InvalidInput(field='tags', reason=f'at most {MAX_TAGS} tags')
    return unique


def tags_of(session: orm.Session, project_ids: Iterable[str]) -> dict[str, list[str]]:
    """Each project's tags, by project id (sorted by name)."""
    result: dict[str, list[str]] = {}
    rows = session.execute(sa.select(group_models.ProjectTag.project_id,
                                     group_models.ProjectTag.name)
                           .where(group_models.ProjectTag.project_id.in_(list(project_ids)))
                           .order_by(group_models.ProjectTag.name))
    for project_id, name in rows:
        result.setdefault(project_id, []).append(name)
    return result


def replace_tags(session: orm.Session, project_id: str, tags: list[str]) -> None:
    session.execute(sa.delete(group_models.ProjectTag).where(
        group_models.ProjectTag.project_id == project_id))
    session.add_all(group_models.ProjectTag(project_id=project_id, name=tag) for tag in tags)


class ProjectTagStore:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def _project(self, session: orm.Session, project_id: str) -> models.Project:
        return resources.load_row(session, models.Project, 'Project', 'project_id', project_id)

    def list_tags(self, project_id: str) -> list[str]:
        with self._db.reader() as session:
            self._project(session, project_id)
            return tags_of(session, [project_id]).get(project_id, [])

    def tags_by_project(self, project_ids: Iterable[str]) -> dict[str, list[str]]:
        with self._db.reader() as session:
            return tags_of(session, project_ids)

    def set_tags(self, project_id: str, tags: Any) -> list[str]:
        tags = check_tags(tags)
        with self._db.session() as session:
            self._project(session, project_id)
            replace_tags(session, project_id, tags)
        return sorted(tags)

    def add_tag(self, project_id: str, tag: str) -> None:
        check_tag(tag, 'tag')
        with self._db.session() as session:
            self._project(session, project_id)
            current = tags_of(session, [project_id]).get(project_id, [])
            if tag in current:
                return
            if len(current) >= MAX_TAGS:
                raise exception.InvalidInput(field='tag', reason=f'at most {MAX_TAGS} tags')
            session.add(group_models.ProjectTag(project_id=project_id, name=tag))

    def has_tag(self, project_id: str, tag: str) -> bool:
        return tag in self.list_tags(project_id)

    def delete_tag(self, project_id: str, tag: str) -> None:
        with self._db.session() as session:
            self._project(session, project_id)
            row = session.get(group_models.ProjectTag, {'project_id': project_id, 'name': tag})
            if row is None:
                raise exception.NotFound(resource='Tag', id=tag)
            session.delete(row)


def matches(tags: list[str], params: dict[str, str]) -> bool:
    """Keystone's tag filters: ``tags`` (all), ``tags-any``, ``not-tags``, ``not-tags-any``
    (each a comma-separated list)."""
    have = set(tags)

    def wanted(key: str) -> set[str] | None:
        value = params.get(key)
        return None if value is None else {t for t in value.split(',') if t}

    all_of, any_of = wanted('tags'), wanted('tags-any')
    not_all, not_any = wanted('not-tags'), wanted('not-tags-any')
    if all_of is not None and not all_of <= have:
        return False
    if any_of is not None and not any_of & have:
        return False
    if not_all is not None and not_all and not_all <= have:
        return False
    return not (not_any is not None and not_any & have)
