"""Tag definitions of a namespace: names, created one by one or as a list."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import image_metadefs as models
from nova_lite.image.metadefs import lookup, views

_Tag = models.MetadefTag


def tags_of(session: orm.Session, namespace_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(sa.select(_Tag).where(_Tag.namespace_id == namespace_id)
                           .order_by(_Tag.created_at, _Tag.id))
    return [views.tag_dict(row) for row in rows]


def add_tags(session: orm.Session, namespace: models.MetadefNamespace,
             names: list[str]) -> list[_Tag]:
    """New tags (Conflict when a name is repeated or already in the namespace)."""
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise lookup.duplicate('tag', repeated[0], namespace.namespace)
    rows = [_Tag(namespace_id=namespace.id, name=name) for name in names]
    for row in rows:
        if lookup.named_child(session, _Tag, namespace.id, row.name) is not None:
            raise lookup.duplicate('tag', row.name, namespace.namespace)
        session.add(row)
    session.flush()
    return rows


def _not_found(namespace: str, name: str) -> exception.NotFound:
    return exception.NotFound(f'The metadata definition tag with name={name} was not '
                              f'found in namespace={namespace}.')


class TagStore:
    """Create, list, show, rename and delete a namespace's tags."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def _row(self, session: orm.Session, namespace: models.MetadefNamespace,
             name: str) -> _Tag:
        row = lookup.named_child(session, _Tag, namespace.id, name)
        if row is None:
            raise _not_found(namespace.namespace, name)
        return row

    def list_tags(self, ctx: nl_context.RequestContext, namespace: str) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            return tags_of(session, lookup.namespace_row(session, ctx, namespace).id)

    def get_tag(self, ctx: nl_context.RequestContext, namespace: str,
                name: str) -> dict[str, Any]:
        with self._db.reader() as session:
            ns = lookup.namespace_row(session, ctx, namespace)
            return views.tag_dict(self._row(session, ns, name))

    def create_tag(self, ctx: nl_context.RequestContext, namespace: str,
                   name: str) -> dict[str, Any]:
        def _create(session: orm.Session) -> dict[str, Any]:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            return views.tag_dict(add_tags(session, ns, [name])[0])

        return lookup.write(self._db, lambda: lookup.duplicate('tag', name, namespace),
                            _create)

    def create_tags(self, ctx: nl_context.RequestContext, namespace: str, names: list[str],
                    *, append: bool = False) -> list[dict[str, Any]]:
        """Add ``names``; unless ``append``, they replace the namespace's tags."""
        def _create(session: orm.Session) -> list[dict[str, Any]]:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            if not append:
                session.execute(sa.delete(_Tag).where(_Tag.namespace_id == ns.id))
            return [views.tag_dict(row) for row in add_tags(session, ns, names)]

        return lookup.write(self._db, lambda: lookup.duplicate('tag', ', '.join(names),
                                                               namespace), _create)

    def update_tag(self, ctx: nl_context.RequestContext, namespace: str, name: str,
                   new_name: str) -> dict[str, Any]:
        def _update(session: orm.Session) -> dict[str, Any]:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            row = self._row(session, ns, name)
            if new_name != name and lookup.named_child(
                    session, _Tag, ns.id, new_name) is not None:
                raise lookup.duplicate('tag', new_name, namespace)
            row.name = new_name
            session.flush()
            return views.tag_dict(row)

        return lookup.write(self._db, lambda: lookup.duplicate('tag', new_name, namespace),
                            _update)

    def delete_tag(self, ctx: nl_context.RequestContext, namespace: str, name: str) -> None:
        with self._db.session() as session:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            row = self._row(session, ns, name)
            lookup.check_unprotected(ns, f'Tag {name}')
            session.delete(row)
