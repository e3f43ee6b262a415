"""Metadata definition namespaces: create (with contents), list, show, replace, delete.

A namespace may be created with its resource type associations, objects,
properties and tags in the same request; all of it is written in one
transaction. Deleting a protected namespace, or anything in one, is
Forbidden.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import image_metadefs as models
from nova_lite.image.metadefs import lookup, objects, properties, resource_types, tags, views

_Namespace = models.MetadefNamespace
# The kinds of contents DELETE /v2/metadefs/namespaces/{ns}/<kind> empties.
CONTENTS: dict[str, type[Any]] = {'objects': models.MetadefObject,
                                  'properties': models.MetadefProperty,
                                  'tags': models.MetadefTag}
SORT_KEYS = ('created_at', 'updated_at', 'namespace', 'display_name', 'visibility')


def _core(ctx: nl_context.RequestContext, fields: dict[str, Any]) -> dict[str, Any]:
    """The namespace's own columns; omitted optional ones take their defaults."""
    return {'namespace': fields['namespace'], 'display_name': fields.get('display_name'),
            'description': fields.get('description'),
            'visibility': fields.get('visibility') or 'private',
            'protected': bool(fields.get('protected', False)),
            'owner': fields.get('owner') or ctx.project_id}


def _check_owner(ctx: nl_context.RequestContext, owner: str | None) -> None:
    if not ctx.is_admin and owner != ctx.project_id:
        raise exception.Forbidden('Only an admin may give a namespace another owner.')


def _with_associations(session: orm.Session, row: _Namespace) -> dict[str, Any]:
    view = views.namespace_dict(row)
    associations = resource_types.associations_of(session, row.id)
    if associations:
        view['resource_type_associations'] = associations
    return view


def _prefixed(view: dict[str, Any], resource_type: str) -> dict[str, Any]:
    """Property names (also inside objects) prefixed as ``resource_type``'s association says."""
    prefix = next((a.get('prefix') for a in view.get('resource_type_associations', [])
                   if a['name'] == resource_type), None)
    if not prefix:
        return view
    if 'properties' in view:
        view['properties'] = {prefix + k: v for k, v in view['properties'].items()}
    for obj in view.get('objects', []):
        obj['properties'] = {prefix + k: v for k, v in obj.get('properties', {}).items()}
        obj['required'] = [prefix + name for name in obj.get('required', [])]
    return view


class NamespaceStore:
    """The namespaces and what is in them."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def _detail(self, session: orm.Session, row: _Namespace) -> dict[str, Any]:
        view = _with_associations(session, row)
        contents: dict[str, Any] = {
            'objects': objects.objects_of(session, row),
            'properties': properties.properties_of(session, row.id),
            'tags': [{'name': tag['name']} for tag in tags.tags_of(session, row.id)]}
        view.update({key: value for key, value in contents.items() if value})
        return view

    def create_namespace(self, ctx: nl_context.RequestContext,
                         fields: dict[str, Any]) -> dict[str, Any]:
        core = _core(ctx, fields)
        _check_owner(ctx, core['owner'])

        def _create(session: orm.Session) -> dict[str, Any]:
            if session.scalar(sa.select(_Namespace.id).where(
                    _Namespace.namespace == core['namespace'])) is not None:
                raise conflict()
            row = _Namespace(**core)
            session.add(row)
            session.flush()
            for association in fields.get('resource_type_associations') or []:
                resource_types.associate(session, row, association)
            for obj in fields.get('objects') or []:
                if lookup.named_child(session, models.MetadefObject, row.id,
                                      obj['name']) is not None:
                    raise lookup.duplicate('object', obj['name'], row.namespace)
                session.add(objects.new_object(row, obj))
            for name, definition in (fields.get('properties') or {}).items():
                session.add(properties.new_property(row, name, definition))
            tags.add_tags(session, row, [tag['name'] for tag in fields.get('tags') or []])
            session.flush()
            return self._detail(session, row)

        def conflict() -> exception.Conflict:
            return lookup.duplicate('namespace', core['namespace'])

        return lookup.write(self._db, conflict, _create)

    def list_namespaces(self, ctx: nl_context.RequestContext, *,
                        visibility: str | None = None,
                        resource_types: list[str] | None = None,
                        sort_key: str = 'created_at',
                        sort_dir: str = 'desc') -> list[dict[str, Any]]:
        """The namespaces ``ctx`` sees, sorted (the REST layer pages them)."""
        column = getattr(_Namespace, sort_key)
        order = column.desc() if sort_dir == 'desc' else column.asc()
        tiebreak = _Namespace.id.desc() if sort_dir == 'desc' else _Namespace.id.asc()
        query = sa.select(_Namespace).where(lookup.visible_to(ctx))
        if visibility is not None:
            query = query.where(_Namespace.visibility == visibility)
        if resource_types:
            resource_types = [name for name in resource_types if lookup.storable(name)]
            query = query.where(_Namespace.id.in_(
                sa.select(models.MetadefNamespaceResourceType.namespace_id)
                .join(models.MetadefResourceType, models.MetadefResourceType.id ==
                      models.MetadefNamespaceResourceType.resource_type_id)
                .where(models.MetadefResourceType.name.in_(resource_types))))
        with self._db.reader() as session:
            rows = list(session.scalars(query.order_by(order, tiebreak)))
            return [_with_associations(session, row) for row in rows]

    def find_namespace(self, ctx: nl_context.RequestContext, name: str) -> dict[str, Any]:
        """The namespace's own fields (NotFound when ``ctx`` may not see it)."""
        with self._db.reader() as session:
            return views.namespace_dict(lookup.namespace_row(session, ctx, name))

    def get_namespace(self, ctx: nl_context.RequestContext, name: str, *,
                      resource_type: str | None = None) -> dict[str, Any]:
        """The namespace with its contents; property names prefixed for ``resource_type``."""
        with self._db.reader() as session:
            view = self._detail(session, lookup.namespace_row(session, ctx, name))
        return _prefixed(view, resource_type) if resource_type else view

    def update_namespace(self, ctx: nl_context.RequestContext, name: str,
                         fields: dict[str, Any]) -> dict[str, Any]:
        """Replace the namespace's own fields (a new ``namespace`` renames it)."""
        core = _core(ctx, fields)

        def _update(session: orm.Session) -> dict[str, Any]:
            row = lookup.namespace_row(session, ctx, name, for_update=True)
            if core['owner'] != row.owner:
                _check_owner(ctx, core['owner'])
            if core['namespace'] != name and session.scalar(sa.select(_Namespace.id).where(
                    _Namespace.namespace == core['namespace'])) is not None:
                raise conflict()
            for column, value in core.items():
                setattr(row, column, value)
            session.flush()
            return views.namespace_dict(row)

        def conflict() -> exception.Conflict:
            return lookup.duplicate('namespace', core['namespace'])

        return lookup.write(self._db, conflict, _update)

    def delete_namespace(self, ctx: nl_context.RequestContext, name: str) -> None:
        """Delete the namespace and everything in it (Forbidden when protected)."""
        with self._db.session() as session:
            row = lookup.namespace_row(session, ctx, name, for_update=True)
            if row.protected:
                raise exception.Forbidden(f'Namespace {name} is protected and cannot be '
                                          f'deleted.')
            children: list[type[Any]] = [*CONTENTS.values(),
                                         models.MetadefNamespaceResourceType]
            for model in children:
                session.execute(sa.delete(model).where(model.namespace_id == row.id))
            session.delete(row)

    def delete_contents(self, ctx: nl_context.RequestContext, name: str, kind: str) -> None:
        """Delete every object, property or tag (``kind``) of the namespace."""
        model = CONTENTS[kind]
        with self._db.session() as session:
            row = lookup.namespace_row(session, ctx, name, for_update=True)
            if row.protected:
                raise exception.Forbidden(f'Namespace {name} is protected; its {kind} '
                                          f'cannot be deleted.')
            session.execute(sa.delete(model).where(model.namespace_id == row.id))
