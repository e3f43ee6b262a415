"""Catalog administration: ``/v3/regions`` (create, also with a chosen id by
PUT, update, delete), ``/v3/services`` and ``/v3/endpoints`` (create, show,
update, delete). Listing stays in catalog_routes.py."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, schemas, views

_TEXT = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_NULLABLE_TEXT = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255}
_INTERFACE = {'enum': ['public', 'internal', 'admin']}
_URL = {'type': 'string', 'minLength': 1, 'maxLength': 2048}




REGION_CREATE = schemas.closed_envelope('region', {'id': _TEXT, 'description': schemas.DESCRIPTION,
                                                   'parent_region_id': _NULLABLE_TEXT})
REGION_UPDATE = schemas.closed_envelope('region', {'description': schemas.DESCRIPTION,
                                                   'parent_region_id': _NULLABLE_TEXT})
SERVICE_CREATE = schemas.closed_envelope('service', {'type': _TEXT, 'name': _TEXT,
                                                     'description': schemas.DESCRIPTION,
                                                     'enabled': {'type': 'boolean'}}, ('type',))
SERVICE_UPDATE = schemas.closed_envelope('service', {'type': _TEXT, 'name': _TEXT,
                                                     'description': schemas.DESCRIPTION,
                                                     'enabled': {'type': 'boolean'}})
_ENDPOINT_FIELDS = {'service_id': schemas.ID, 'interface': _INTERFACE, 'url': _URL,
                    'region': _TEXT, 'region_id': _TEXT, 'enabled': {'type': 'boolean'}}
ENDPOINT_CREATE = schemas.closed_envelope('endpoint', _ENDPOINT_FIELDS,
                                          ('service_id', 'interface', 'url'))
ENDPOINT_UPDATE = schemas.closed_envelope('endpoint', _ENDPOINT_FIELDS)


def _region_of(spec: dict[str, Any]) -> str | None:
    """``region_id``, or keystone's older ``region`` field (they must agree)."""
    region_id, region = spec.get('region_id'), spec.get('region')
    if region_id is not None and region is not None and region_id != region:
        raise exception.InvalidInput(field='region_id', reason='differs from region')
    return region_id if region_id is not None else region


class CatalogAdminController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('POST', '/v3/regions', self.create_region),
            ('PUT', '/v3/regions/{region_id}', self.put_region),
            ('PATCH', '/v3/regions/{region_id}', self.update_region),
            ('DELETE', '/v3/regions/{region_id}', self.delete_region),
            ('POST', '/v3/services', self.create_service),
            ('GET', '/v3/services/{service_id}', self.service),
            ('PATCH', '/v3/services/{service_id}', self.update_service),
            ('DELETE', '/v3/services/{service_id}', self.delete_service),
            ('POST', '/v3/endpoints', self.create_endpoint),
            ('GET', '/v3/endpoints/{endpoint_id}', self.endpoint),
            ('PATCH', '/v3/endpoints/{endpoint_id}', self.update_endpoint),
            ('DELETE', '/v3/endpoints/{endpoint_id}', self.delete_endpoint),
        ]

    def _region(self, status: int, record: dict[str, Any]) -> webob.Response:
        return wsgi.json_response(status, {'region': views.region(self._api.v3_url, record)})

    def create_region(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_region')
        spec = controller.read_body(req, REGION_CREATE)['region']
        return self._region(201, self._api.identity.add_region(
            spec.get('id'), description=spec.get('description'),
            parent_region_id=spec.get('parent_region_id')))

    def put_region(self, req: wsgi.Request, region_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_region')
        spec = controller.read_body(req, REGION_CREATE)['region']
        if spec.get('id', region_id) != region_id:
            raise exception.InvalidInput(field='region.id', reason='differs from the URL')
        return self._region(201, self._api.identity.add_region(
            region_id, description=spec.get('description'),
            parent_region_id=spec.get('parent_region_id')))

    def update_region(self, req: wsgi.Request, region_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_region')
        spec = controller.read_body(req, REGION_UPDATE)['region']
        return self._region(200, self._api.identity.update_region(region_id, **spec))

    def delete_region(self, req: wsgi.Request, region_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_region')
        self._api.identity.delete_region(region_id)
        return wsgi.json_response(204)

    def _service(self, status: int, record: dict[str, Any]) -> webob.Response:
        return wsgi.json_response(status,
                                  {'service': views.service(self._api.v3_url, record)})

    def create_service(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_service')
        spec = controller.read_body(req, SERVICE_CREATE)['service']
        return self._service(201, self._api.identity.add_service(
            spec['type'], name=spec.get('name'), description=spec.get('description'),
            enabled=spec.get('enabled', True)))

    def service(self, req: wsgi.Request, service_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_service')
        return self._service(200, self._api.identity.get_service(service_id))

    def update_service(self, req: wsgi.Request, service_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_service')
        spec = controller.read_body(req, SERVICE_UPDATE)['service']
        return self._service(200, self._api.identity.update_service(service_id, **spec))

    def delete_service(self, req: wsgi.Request, service_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_service')
        self._api.identity.delete_service(service_id)
        return wsgi.json_response(204)

    def _endpoint(self, status: int, record: dict[str, Any]) -> webob.Response:
        return wsgi.json_response(status,
                                  {'endpoint': views.endpoint(self._api.v3_url, record)})

    def create_endpoint(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_endpoint')
        spec = controller.read_body(req, ENDPOINT_CREATE)['endpoint']
        region_id = _region_of(spec) or self._api.identity.conf.identity.region_id
        return self._endpoint(201, self._api.identity.add_endpoint(
            spec['service_id'], spec['url'], spec['interface'], region_id,
            enabled=spec.get('enabled', True)))

    def endpoint(self, req: wsgi.Request, endpoint_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_endpoint')
        return self._endpoint(200, self._api.identity.get_endpoint(endpoint_id))

    def update_endpoint(self, req: wsgi.Request, endpoint_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_endpoint')
        spec = controller.read_body(req, ENDPOINT_UPDATE)['endpoint']
        changes = {key: spec[key] for key in ('service_id', 'interface', 'url', 'enabled')
                   if key in spec}
        region_id = _region_of(spec)
        if region_id is not None:
            changes['region_id'] = region_id
        return self._endpoint(200, self._api.identity.update_endpoint(endpoint_id, **changes))

    def delete_endpoint(self, req: wsgi.Request, endpoint_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_endpoint')
        self._api.identity.delete_endpoint(endpoint_id)
        return wsgi.json_response(204)
