"""Metadefs records as callers see them (glance's v2 views)."""

from __future__ import annotations

from typing import Any

from nova_lite.common import timeutils
from nova_lite.db.models import image_metadefs as models

NAMESPACES = '/v2/metadefs/namespaces'


def _times(row: Any) -> dict[str, str | None]:
    return {'created_at': timeutils.isotime(row.created_at),
            'updated_at': timeutils.isotime(row.updated_at or row.created_at)}


def _without_none(view: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in view.items() if value is not None}


def namespace_dict(row: models.MetadefNamespace) -> dict[str, Any]:
    return _without_none({
        'namespace': row.namespace, 'display_name': row.display_name,
        'description': row.description, 'visibility': row.visibility,
        'protected': row.protected, 'owner': row.owner, **_times(row),
        'self': f'{NAMESPACES}/{row.namespace}', 'schema': '/v2/schemas/metadefs/namespace'})


def object_dict(namespace: str, row: models.MetadefObject) -> dict[str, Any]:
    return _without_none({
        'name': row.name, 'description': row.description, 'required': list(row.required or []),
        'properties': dict(row.properties or {}), **_times(row),
        'self': f'{NAMESPACES}/{namespace}/objects/{row.name}',
        'schema': '/v2/schemas/metadefs/object'})


def property_dict(row: models.MetadefProperty) -> dict[str, Any]:
    return {'name': row.name, **(row.definition or {})}


def properties_map(rows: list[models.MetadefProperty]) -> dict[str, dict[str, Any]]:
    """``{name: definition}``, as namespaces and property lists show them."""
    return {row.name: dict(row.definition or {}) for row in rows}


def tag_dict(row: models.MetadefTag) -> dict[str, Any]:
    return {'name': row.name, **_times(row)}


def resource_type_dict(row: models.MetadefResourceType) -> dict[str, Any]:
    return {'name': row.name, **_times(row)}


def association_dict(name: str,
                     row: models.MetadefNamespaceResourceType) -> dict[str, Any]:
    return _without_none({'name': name, 'prefix': row.prefix,
                          'properties_target': row.properties_target, **_times(row)})
