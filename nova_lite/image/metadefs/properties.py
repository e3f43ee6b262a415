"""Property definitions of a namespace: a name and a JSON-schema-like definition."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import image_metadefs as models
from nova_lite.image.metadefs import lookup, views

_Property = models.MetadefProperty


def new_property(namespace: models.MetadefNamespace, name: str,
                 definition: dict[str, Any]) -> _Property:
    return _Property(namespace_id=namespace.id, name=name,
                     definition={k: v for k, v in definition.items() if k != 'name'})


def properties_of(session: orm.Session, namespace_id: int) -> dict[str, dict[str, Any]]:
    rows = session.scalars(sa.select(_Property).where(_Property.namespace_id == namespace_id)
                           .order_by(_Property.name))
    return views.properties_map(list(rows))


def _not_found(namespace: str, name: str) -> exception.NotFound:
    return exception.NotFound(f'The metadata definition property with name={name} was not '
                              f'found in namespace={namespace}.')


class PropertyStore:
    """Create, list, show, replace and delete a namespace's property definitions."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def _row(self, session: orm.Session, namespace: models.MetadefNamespace,
             name: str) -> _Property:
        row = lookup.named_child(session, _Property, namespace.id, name)
        if row is None:
            raise _not_found(namespace.namespace, name)
        return row

    def list_properties(self, ctx: nl_context.RequestContext,
                        namespace: str) -> dict[str, dict[str, Any]]:
        with self._db.reader() as session:
            return properties_of(session, lookup.namespace_row(session, ctx, namespace).id)

    def get_property(self, ctx: nl_context.RequestContext, namespace: str, name: str,
                     resource_type: str | None = None) -> dict[str, Any]:
        """The property; with ``resource_type``, ``name`` carries that association's prefix."""
        with self._db.reader() as session:
            ns = lookup.namespace_row(session, ctx, namespace)
            if resource_type is not None:
                name = self._unprefixed(session, ns, name, resource_type)
            return views.property_dict(self._row(session, ns, name))

    @staticmethod
    def _unprefixed(session: orm.Session, ns: models.MetadefNamespace, name: str,
                    resource_type: str) -> str:
        prefix = None if not lookup.storable(resource_type) else session.scalar(
            sa.select(models.MetadefNamespaceResourceType.prefix)
            .join(models.MetadefResourceType,
                  models.MetadefResourceType.id ==
                  models.MetadefNamespaceResourceType.resource_type_id)
            .where(models.MetadefNamespaceResourceType.namespace_id == ns.id,
                   models.MetadefResourceType.name == resource_type))
        if not prefix or not name.startswith(prefix):
            raise exception.NotFound(f'Property {name} does not start with the expected '
                                     f"resource type association prefix of '{prefix}'.")
        return name[len(prefix):]

    def create_property(self, ctx: nl_context.RequestContext, namespace: str,
                        definition: dict[str, Any]) -> dict[str, Any]:
        name = definition['name']

        def _create(session: orm.Session) -> dict[str, Any]:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            if lookup.named_child(session, _Property, ns.id, name) is not None:
                raise conflict()
            row = new_property(ns, name, definition)
            session.add(row)
            session.flush()
            return views.property_dict(row)

        def conflict() -> exception.Conflict:
            return lookup.duplicate('property', name, namespace)

        return lookup.write(self._db, conflict, _create)

    def update_property(self, ctx: nl_context.RequestContext, namespace: str, name: str,
                        definition: dict[str, Any]) -> dict[str, Any]:
        """Replace the definition (a new ``name`` renames the property)."""
        new_name = definition['name']

        def _update(session: orm.Session) -> dict[str, Any]:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            row = self._row(session, ns, name)
            if new_name != name and lookup.named_child(
                    session, _Property, ns.id, new_name) is not None:
                raise conflict()
            row.name = new_name
            row.definition = new_property(ns, new_name, definition).definition
            session.flush()
            return views.property_dict(row)

        def conflict() -> exception.Conflict:
            return lookup.duplicate('property', new_name, namespace)

        return lookup.write(self._db, conflict, _update)

    def delete_property(self, ctx: nl_context.RequestContext, namespace: str,
                        name: str) -> None:
        with self._db.session() as session:
            ns = lookup.namespace_row(session, ctx, namespace, for_update=True)
            row = self._row(session, ns, name)
            lookup.check_unprotected(ns, f'Property {name}')
            session.delete(row)
