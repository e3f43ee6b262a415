"""Metadata definition objects: named groups of property definitions in a namespace."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import image_metadefs as models
from nova_lite.image.metadefs import lookup, views

_Object = models.MetadefObject


def new_object(namespace: models.MetadefNamespace, fields: dict[str, Any]) -> _Object:
    return _Object(namespace_id=namespace.id, name=fields['name'],
                   description=fields.get('description'),
                   required=list(fields.get('required') or []),
                   properties=dict(fields.get('properties') or {}))


def objects_of(session: orm.Session, namespace: models.MetadefNamespace) -> list[dict[str, Any]]:
    rows = session.scalars(sa.select(_Object).where(_Object.namespace_id == namespace.id)
                           .order_by(_Object.created_at, _Object.id))
    return [views.object_dict(namespace.namespace, row) for row in rows]


def _not_found(namespace: str, name: str) -> exception.NotFound:
    return exception.NotFound(f'The metadata definition object with name={name} was not '
                              f'found in namespace={namespace}.')


class ObjectStore:
    """Create, list, show, replace and delete a namespace's objects."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def _row(self, session: orm.Session, namespace: models.MetadefNamespace,
             name: str) -> _Object:
        row = lookup.named_child(session, _Object, namespace.id, name)
        if row is None:
            raise _not_found(namespace.namespace, name)
        return row

    def list_objects(self, ctx: nl_context.RequestContext,
                     namespace: str) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            return objects_of(session, lookup.namespace_row(session, ctx, namespace))

    def get_object(self, ctx: nl_context.RequestContext, namespace: str,
                   name: str) -> dict[str, Any]:
        with self._db.reader() as session:
            ns = lookup.namespace_row(session, ctx, namespace)
            return views.object_dict(namespace, self._row(session, ns, name))

    def create_object(self, ctx: nl_context.RequestContext, namespace: str,
                      fields: dict[str, Any]) -> dict[str, Any]:
        def _create(session: orm.Session) -> dict[str, Any]:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            if lookup.named_child(session, _Object, ns.id, fields['name']) is not None:
                raise conflict()
            row = new_object(ns, fields)
            session.add(row)
            session.flush()
            return views.object_dict(namespace, row)

        def conflict() -> exception.Conflict:
            return lookup.duplicate('object', fields['name'], namespace)

        return lookup.write(self._db, conflict, _create)

    def update_object(self, ctx: nl_context.RequestContext, namespace: str, name: str,
                      fields: dict[str, Any]) -> dict[str, Any]:
        """Replace the object (a new ``name`` renames it)."""
        def _update(session: orm.Session) -> dict[str, Any]:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            row = self._row(session, ns, name)
            if fields['name'] != name and lookup.named_child(
                    session, _Object, ns.id, fields['name']) is not None:
                raise conflict()
            replacement = new_object(ns, fields)
            for column in ('name', 'description', 'required', 'properties'):
                setattr(row, column, getattr(replacement, column))
            session.flush()
            return views.object_dict(namespace, row)

        def conflict() -> exception.Conflict:
            return lookup.duplicate('object', fields['name'], namespace)

        return lookup.write(self._db, conflict, _update)

    def delete_object(self, ctx: nl_context.RequestContext, namespace: str,
                      name: str) -> None:
        with self._db.session() as session:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            row = self._row(session, ns, name)
            lookup.check_unprotected(ns, f'Object {name}')
            session.delete(row)
