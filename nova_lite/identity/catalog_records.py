"""Catalog administration: regions, services and endpoints created, changed and
deleted through the API (``catalog.CatalogStore`` keeps bootstrap's idempotent
creates). Tokens' catalogs are built from these rows, so a change shows in the
next token issued or validated.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db.models import identity as models
from nova_lite.identity import catalog, resources

LOG = logging.getLogger(__name__)

_UNSET: Any = object()



def _enabled(value: Any) -> bool:
    if not isinstance(value, bool):
        raise exception.InvalidInput(field='enabled', reason='must be a boolean')
    return value


def _interface(value: Any) -> str:
    if value not in catalog.INTERFACES:
        raise exception.InvalidInput(field='interface',
                                     reason=f'must be one of {", ".join(catalog.INTERFACES)}')
    return str(value)


def _load(session: orm.Session, model: type[Any], resource: str, value: Any) -> Any:
    row = session.get(model, value) if isinstance(value, str) else None
    if row is None:
        raise exception.NotFound(resource=resource, id=value)
    return row


class CatalogRecordStore:
    """Region, service and endpoint administration (mixed into the manager)."""

    _db: Any

    # Regions ---------------------------------------------------------------------

    def add_region(self, region_id: str | None = None, *, description: str | None = None,
                   parent_region_id: str | None = None) -> dict[str, Any]:
        """A new region (a random id when none is given); Duplicate if it exists."""
        region_id = uuid.uuid4().hex if region_id is None else catalog.text('id', region_id)
        try:
            with self._db.session() as session:
                if session.get(models.Region, region_id) is not None:
                    raise exception.Duplicate(f'Region {region_id} already exists.',
                                              resource='Region', name=region_id)
                if parent_region_id is not None:
                    _load(session, models.Region, 'Region', parent_region_id)
                row = models.Region(id=region_id,
                                    description=resources.check_description(description),
                                    parent_region_id=parent_region_id)
                session.add(row)
                session.flush()
                return catalog.region_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Region', name=region_id) from None

    def get_region(self, region_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return catalog.region_dict(_load(session, models.Region, 'Region', region_id))

    def update_region(self, region_id: str, *, description: Any = _UNSET,
                      parent_region_id: Any = _UNSET) -> dict[str, Any]:
        with self._db.session() as session:
            row = _load(session, models.Region, 'Region', region_id)
            if description is not _UNSET:
                row.description = resources.check_description(description)
            if parent_region_id is not _UNSET:
                self._check_parent(session, row.id, parent_region_id)
                row.parent_region_id = parent_region_id
            session.flush()
            return catalog.region_dict(row)

    @staticmethod
    def _check_parent(session: orm.Session, region_id: str, parent_id: str | None) -> None:
        """The parent exists and is not the region or one of its descendants."""
        seen = {region_id}
        while parent_id is not None:
            if parent_id in seen:
                raise exception.InvalidInput(field='parent_region_id',
                                             reason='the regions would form a cycle')
            seen.add(parent_id)
            parent_id = _load(session, models.Region, 'Region', parent_id).parent_region_id

    def delete_region(self, region_id: str) -> None:
        """Deletes a region without child regions or endpoints (Conflict otherwise)."""
        with self._db.session() as session:
            row = _load(session, models.Region, 'Region', region_id)
            children = session.scalar(sa.select(sa.func.count()).select_from(
                models.Region).where(models.Region.parent_region_id == row.id))
            endpoints = session.scalar(sa.select(sa.func.count()).select_from(
                models.Endpoint).where(models.Endpoint.region_id == row.id))
            if children or endpoints:
                raise exception.Conflict(
                    f'Region {region_id} still has {children} child regions and '
                    f'{endpoints} endpoints.')
            session.delete(row)
        LOG.info('Deleted region %s', region_id)

    # Services --------------------------------------------------------------------

    def add_service(self, service_type: str, *, name: str | None = None,
                    description: str | None = None, enabled: bool = True) -> dict[str, Any]:
        """A new service; Duplicate if one of the type exists (types are unique here)."""
        service_type = catalog.text('type', service_type)
        name = '' if name is None else catalog.text('name', name)
        try:
            with self._db.session() as session:
                row = models.CatalogService(id=uuid.uuid4().hex, type=service_type,
                                            name=name,
                                            description=resources.check_description(description),
                                            enabled=_enabled(enabled))
                session.add(row)
                session.flush()
                return catalog.service_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(f'A service of type {service_type} already exists.',
                                      resource='Service', name=service_type) from None

    def get_service(self, service_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return catalog.service_dict(_load(session, models.CatalogService, 'Service',
                                              service_id))

    def update_service(self, service_id: str, **changes: Any) -> dict[str, Any]:
        """Changes ``type``, ``name``, ``description`` and/or ``enabled``."""
        try:
            with self._db.session() as session:
                row = _load(session, models.CatalogService, 'Service', service_id)
                if 'type' in changes:
                    row.type = catalog.text('type', changes['type'])
                if 'name' in changes:
                    row.name = catalog.text('name', changes['name'])
                if 'description' in changes:
                    row.description = resources.check_description(changes['description'])
                if 'enabled' in changes:
                    row.enabled = _enabled(changes['enabled'])
                session.flush()
                return catalog.service_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Service', name=changes.get('type')) from None

    def delete_service(self, service_id: str) -> None:
        """Deletes a service and its endpoints."""
        with self._db.session() as session:
            row = _load(session, models.CatalogService, 'Service', service_id)
            session.execute(sa.delete(models.Endpoint).where(
                models.Endpoint.service_id == row.id))
            session.delete(row)
        LOG.info('Deleted service %s and its endpoints', service_id)

    # Endpoints -------------------------------------------------------------------

    def add_endpoint(self, service_id: str, url: str, interface: str, region_id: str, *,
                     enabled: bool = True) -> dict[str, Any]:
        """A new endpoint; its region is created if it does not exist (as keystone
        does for the ``region`` field)."""
        url, interface = catalog.check_url(url), _interface(interface)
        region_id, enabled = catalog.text('region_id', region_id), _enabled(enabled)
        try:
            with self._db.session() as session:
                self._endpoint_refs(session, service_id, region_id)
                row = models.Endpoint(id=uuid.uuid4().hex, service_id=service_id,
                                      interface=interface, region_id=region_id, url=url,
                                      enabled=enabled)
                session.add(row)
                session.flush()
                return catalog.endpoint_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(
                f'The service already has a {interface} endpoint in region {region_id}.',
                resource='Endpoint', name=interface) from None

    @staticmethod
    def _endpoint_refs(session: orm.Session, service_id: str, region_id: str) -> None:
        if session.get(models.CatalogService, catalog.text('service_id', service_id)) is None:
            raise exception.InvalidInput(field='service_id',
                                         reason=f'service {service_id} does not exist')
        if session.get(models.Region, region_id) is None:
            session.add(models.Region(id=region_id, description=''))
            session.flush()

    def get_endpoint(self, endpoint_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return catalog.endpoint_dict(_load(session, models.Endpoint, 'Endpoint',
                                               endpoint_id))

    def update_endpoint(self, endpoint_id: str, **changes: Any) -> dict[str, Any]:
        """Changes ``service_id``, ``url``, ``interface``, ``region_id``, ``enabled``."""
        try:
            with self._db.session() as session:
                row = _load(session, models.Endpoint, 'Endpoint', endpoint_id)
                if 'url' in changes:
                    row.url = catalog.check_url(changes['url'])
                if 'interface' in changes:
                    row.interface = _interface(changes['interface'])
                if 'enabled' in changes:
                    row.enabled = _enabled(changes['enabled'])
                if 'service_id' in changes or 'region_id' in changes:
                    service_id = changes.get('service_id', row.service_id)
                    region_id = catalog.text('region_id', changes.get('region_id',
                                                                      row.region_id))
                    self._endpoint_refs(session, service_id, region_id)
                    row.service_id, row.region_id = service_id, region_id
                session.flush()
                return catalog.endpoint_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Endpoint', name=endpoint_id) from None

    def delete_endpoint(self, endpoint_id: str) -> None:
        with self._db.session() as session:
            session.delete(_load(session, models.Endpoint, 'Endpoint', endpoint_id))
        LOG.info('Deleted endpoint %s', endpoint_id)
