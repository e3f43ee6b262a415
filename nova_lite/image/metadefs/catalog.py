"""The metadefs stores, built together over one database."""

from __future__ import annotations

from nova_lite.db import api as db_api
from nova_lite.image.metadefs import namespaces, objects, properties, resource_types, tags


class MetadefsCatalog:
    """Namespaces, their objects, properties and tags, and the resource types."""

    def __init__(self, db: db_api.Database) -> None:
        self.namespaces = namespaces.NamespaceStore(db)
        self.objects = objects.ObjectStore(db)
        self.properties = properties.PropertyStore(db)
        self.tags = tags.TagStore(db)
        self.resource_types = resource_types.ResourceTypeStore(db)
