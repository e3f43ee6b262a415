"""The bootstrap catalog as the identity manager offers it: regions, services,
endpoints, and the keystone v3 catalog of a scope (mixed into the manager)."""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.identity import catalog, resources


class CatalogAccess:
    """Catalog calls of the identity manager, over its :class:`catalog.CatalogStore`."""

    _catalog: catalog.CatalogStore
    _conf: cfg.ConfigOpts
    _db: db_api.Database

    def create_region(self, region_id: str, description: str = '') -> dict[str, Any]:
        return self._catalog.create_region(region_id, description)

    def list_regions(self) -> list[dict[str, Any]]:
        return self._catalog.list_regions()

    def create_service(self, type: str, name: str) -> dict[str, Any]:
        return self._catalog.create_service(type, name)

    def list_services(self) -> list[dict[str, Any]]:
        return self._catalog.list_services()

    def create_endpoint(self, service_id: str, url: str, *, region_id: str | None = None,
                        interface: str = catalog.PUBLIC_INTERFACE) -> dict[str, Any]:
        region = self._conf.identity.region_id if region_id is None else region_id
        return self._catalog.create_endpoint(service_id, url, region_id=region,
                                             interface=interface)

    def list_endpoints(self) -> list[dict[str, Any]]:
        return self._catalog.list_endpoints()

    def get_catalog(self, project_id: str | None) -> list[dict[str, Any]]:
        """The keystone v3 catalog with URLs filled for ``project_id`` (None: the
        system's catalog, without the project-templated endpoints)."""
        with self._db.reader() as session:
            if project_id is not None:
                resources.load_row(session, models.Project, 'Project', 'project_id',
                                   project_id)
            return catalog.catalog_for(session, project_id)
