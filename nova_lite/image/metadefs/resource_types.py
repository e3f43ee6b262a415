"""Resource types (``OS::Glance::Image``, ...) and namespaces' associations with them.

Associating a namespace with an unknown resource type creates the type, as
glance does; the standard types are seeded by the migration.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import image_metadefs as models
from nova_lite.image.metadefs import lookup, views

_Association = models.MetadefNamespaceResourceType
_Type = models.MetadefResourceType


def associate(session: orm.Session, namespace: models.MetadefNamespace,
              fields: dict[str, Any]) -> dict[str, Any]:
    """Associate ``namespace`` with the resource type ``fields['name']`` (Conflict if it is)."""
    name = fields['name']
    resource_type = session.scalar(sa.select(_Type).where(_Type.name == name))
    if resource_type is None:
        resource_type = _Type(name=name, protected=False)
        session.add(resource_type)
        session.flush()
    if session.get(_Association, (namespace.id, resource_type.id)) is not None:
        raise _duplicate(name, namespace.namespace)
    row = _Association(namespace_id=namespace.id, resource_type_id=resource_type.id,
                       prefix=fields.get('prefix'),
                       properties_target=fields.get('properties_target'))
    session.add(row)
    session.flush()
    return views.association_dict(name, row)


def associations_of(session: orm.Session, namespace_id: int) -> list[dict[str, Any]]:
    query = (sa.select(_Type.name, _Association)
             .join(_Association, _Association.resource_type_id == _Type.id)
             .where(_Association.namespace_id == namespace_id)
             .order_by(_Association.created_at, _Type.id))
    return [views.association_dict(name, row) for name, row in session.execute(query)]


def _duplicate(name: str, namespace: str) -> exception.Conflict:
    return exception.Conflict(f'The metadata definition resource-type association of '
                              f'resource-type={name} to namespace={namespace} already '
                              f'exists.')


class ResourceTypeStore:
    """The resource types, and the associations of each namespace."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def list_resource_types(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(_Type).order_by(_Type.id))
            return [views.resource_type_dict(row) for row in rows]

    def list_associations(self, ctx: nl_context.RequestContext,
                          namespace: str) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            return associations_of(session, lookup.namespace_row(session, ctx, namespace).id)

    def create_association(self, ctx: nl_context.RequestContext, namespace: str,
                           fields: dict[str, Any]) -> dict[str, Any]:
        def _create(session: orm.Session) -> dict[str, Any]:
            return associate(session, lookup.namespace_row(session, ctx, namespace,
                                                           for_update=True), fields)

        return lookup.write(self._db, lambda: _duplicate(fields['name'], namespace), _create)

    def delete_association(self, ctx: nl_context.RequestContext, namespace: str,
                           name: str) -> None:
        with self._db.session() as session:
            row = lookup.namespace_row(session, ctx, namespace, for_update=True)
            found = None if not lookup.storable(name) else session.scalar(
                sa.select(_Association).join(_Type, _Association.resource_type_id == _Type.id)
                .where(_Association.namespace_id == row.id, _Type.name == name))
            if found is None:
                raise exception.NotFound(f'Failed to find resource type {name} to delete.')
            lookup.check_unprotected(row, f'Resource type association {name}')
            session.delete(found)
