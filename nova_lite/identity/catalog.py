"""The service catalog: the five services, their ports and URL paths.

Endpoint URLs are the configured ``[identity] public_base_url`` (scheme and
host) plus each service's port and path. A path may hold keystone's
``$(project_id)s`` template, which is filled with the token's project when the
catalog is handed out. ``CatalogStore`` keeps regions, services and endpoints
in the database.
"""

from __future__ import annotations

import collections
import dataclasses
import re
import urllib.parse
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.api.endpoints import endpoint_url
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models

PUBLIC_INTERFACE = 'public'
INTERFACES = ('public', 'internal', 'admin')
_TEMPLATE_RE = re.compile(r'\$\((\w+)\)s')


@dataclasses.dataclass(frozen=True)
class CatalogService:
    """One service of the catalog as bootstrap records it."""

    type: str
    name: str
    port: int
    path: str


SERVICES: tuple[CatalogService, ...] = (
    CatalogService('identity', 'keystone', 5000, '/v3'),
    CatalogService('compute', 'nova', 8774, '/v2.1'),
    CatalogService('image', 'glance', 9292, ''),
    CatalogService('network', 'neutron', 9696, ''),
    CatalogService('block-storage', 'cinderv3', 8776, '/v3/$(project_id)s'),
)


# The [api] option holding each service's port (the catalog records where the
# APIs really listen, or keystonemiddleware and the clients would look elsewhere).
PORT_OPTIONS = {'identity': 'identity_port', 'compute': 'compute_port',
                'image': 'image_port', 'network': 'network_port',
                'block-storage': 'volume_port'}


def service_url(base_url: str, service: CatalogService, port: int | None = None) -> str:
    return endpoint_url(base_url, service.port if port is None else port, service.path)


def substitute(url: str, project_id: str | None) -> str | None:
    """``url`` with its templates filled for ``project_id``; None if one is unknown
    (a project template without a project: a system-scoped catalog)."""
    values = {} if project_id is None else {'project_id': project_id,
                                            'tenant_id': project_id}

    def fill(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    filled = _TEMPLATE_RE.sub(fill, url)
    return None if _TEMPLATE_RE.search(filled) else filled


def text(field: str, value: Any, max_length: int = 255) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise exception.InvalidInput(field=field,
                                     reason=f'must be a string of 1-{max_length} characters')
    return value


def check_url(url: Any) -> str:
    parts = urllib.parse.urlsplit(text('url', url, 2048))
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        raise exception.InvalidInput(field='url', reason='must be an http(s) URL')
    return url


def service_dict(row: models.CatalogService) -> dict[str, Any]:
    return {'id': row.id, 'type': row.type, 'name': row.name, 'enabled': row.enabled,
            'description': row.description}


def endpoint_dict(row: models.Endpoint) -> dict[str, Any]:
    return {'id': row.id, 'service_id': row.service_id, 'interface': row.interface,
            'region': row.region_id, 'region_id': row.region_id, 'url': row.url,
            'enabled': row.enabled}


def region_dict(row: models.Region) -> dict[str, Any]:
    return {'id': row.id, 'description': row.description,
            'parent_region_id': row.parent_region_id}


def catalog_for(session: orm.Session, project_id: str | None) -> list[dict[str, Any]]:
    """The keystone v3 catalog of the enabled services and endpoints, URLs filled for
    ``project_id`` (by service type)."""
    endpoints: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for row in session.scalars(sa.select(models.Endpoint).where(
            models.Endpoint.enabled.is_(True)).order_by(
            models.Endpoint.interface, models.Endpoint.region_id)):
        url = substitute(row.url, project_id)
        if url is not None:
            endpoints[row.service_id].append({
                'id': row.id, 'interface': row.interface, 'region': row.region_id,
                'region_id': row.region_id, 'url': url})
    services = session.scalars(sa.select(models.CatalogService).where(
        models.CatalogService.enabled.is_(True)).order_by(models.CatalogService.type))
    return [{'type': row.type, 'name': row.name, 'id': row.id,
             'endpoints': endpoints[row.id]} for row in services]


class CatalogStore:
    """Regions, services and endpoints; the create calls are idempotent."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create_region(self, region_id: str, description: str = '') -> dict[str, Any]:
        """The region ``region_id``, created if it does not exist yet."""
        region_id = text('region_id', region_id)
        if description is not None and not isinstance(description, str):
            raise exception.InvalidInput(field='description', reason='must be a string')
        try:
            with self._db.session() as session:
                row = session.get(models.Region, region_id)
                if row is None:
                    row = models.Region(id=region_id, description=description or '')
                    session.add(row)
                    session.flush()
                return region_dict(row)
        except sa_exc.IntegrityError:  # created concurrently
            return next(r for r in self.list_regions() if r['id'] == region_id)

    def list_regions(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.Region).order_by(models.Region.id))
            return [region_dict(row) for row in rows]

    def create_service(self, type: str, name: str) -> dict[str, Any]:
        """The service of ``type`` (types are unique); created with ``name`` if absent."""
        service_type, name = text('type', type), text('name', name)
        try:
            with self._db.session() as session:
                row = session.scalar(sa.select(models.CatalogService).where(
                    models.CatalogService.type == service_type))
                if row is None:
                    row = models.CatalogService(id=uuid.uuid4().hex, type=service_type,
                                                name=name)
                    session.add(row)
                    session.flush()
                return service_dict(row)
        except sa_exc.IntegrityError:  # created concurrently
            return next(s for s in self.list_services() if s['type'] == service_type)

    def list_services(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.CatalogService).order_by(
                models.CatalogService.type))
            return [service_dict(row) for row in rows]

    def create_endpoint(self, service_id: str, url: str, *, region_id: str,
                        interface: str = PUBLIC_INTERFACE) -> dict[str, Any]:
        """The endpoint of the service for (interface, region): created, or its URL
        updated when it differs."""
        url = check_url(url)
        if interface not in INTERFACES:
            raise exception.InvalidInput(field='interface',
                                         reason=f'must be one of {", ".join(INTERFACES)}')
        service_id, region_id = text('service_id', service_id), text('region_id', region_id)
        try:
            return self._upsert_endpoint(service_id, url, region_id, interface)
        except sa_exc.IntegrityError:  # created concurrently: update that one instead
            return self._upsert_endpoint(service_id, url, region_id, interface)

    def _upsert_endpoint(self, service_id: str, url: str, region_id: str,
                         interface: str) -> dict[str, Any]:
        with self._db.session() as session:
            if session.get(models.CatalogService, service_id) is None:
                raise exception.NotFound(f"Service {service_id} could not be found "
                                         "(field 'service_id').", resource='Service',
                                         id=service_id)
            if session.get(models.Region, region_id) is None:
                raise exception.NotFound(f"Region {region_id} could not be found "
                                         "(field 'region_id').", resource='Region',
                                         id=region_id)
            row = session.scalar(sa.select(models.Endpoint).where(
                models.Endpoint.service_id == service_id,
                models.Endpoint.interface == interface,
                models.Endpoint.region_id == region_id))
            if row is None:
                row = models.Endpoint(id=uuid.uuid4().hex, service_id=service_id,
                                      interface=interface, region_id=region_id, url=url)
                session.add(row)
            elif row.url != url:
                row.url = url
            session.flush()
            return endpoint_dict(row)

    def list_endpoints(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.Endpoint).order_by(
                models.Endpoint.service_id, models.Endpoint.interface))
            return [endpoint_dict(row) for row in rows]
