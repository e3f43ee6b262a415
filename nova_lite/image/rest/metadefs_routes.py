"""Every route of the metadefs catalog (``/v2/metadefs/...`` and its schemas)."""

from __future__ import annotations

from nova_lite.api import policy, routing
from nova_lite.db import api as db_api
from nova_lite.image.metadefs import catalog as metadefs_catalog
from nova_lite.image.rest import (
    metadefs_namespaces,
    metadefs_objects,
    metadefs_properties,
    metadefs_resource_types,
    metadefs_schemas,
    metadefs_tags,
)


def routes(db: db_api.Database, authorizer: policy.Authorizer) -> list[routing.Route]:
    catalog = metadefs_catalog.MetadefsCatalog(db)
    controllers = (metadefs_namespaces.NamespacesController,
                   metadefs_objects.ObjectsController,
                   metadefs_properties.PropertiesController,
                   metadefs_tags.TagsController,
                   metadefs_resource_types.ResourceTypesController)
    found: list[routing.Route] = list(metadefs_schemas.routes())
    for controller in controllers:
        found.extend(controller(catalog, authorizer).routes())
    return found
