"""``/v3/domains`` (list, show, create) and the catalog records (read only):
``/v3/regions``, ``/v3/services``, ``/v3/endpoints``."""

from __future__ import annotations

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, schemas, views


class CatalogController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('POST', '/v3/domains', self.create_domain),
            ('GET', '/v3/domains', self.domains),
            ('GET', '/v3/domains/{domain_id}', self.domain),
            ('GET', '/v3/regions', self.regions),
            ('GET', '/v3/regions/{region_id}', self.region),
            ('GET', '/v3/services', self.services),
            ('GET', '/v3/endpoints', self.endpoints),
        ]

    def create_domain(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_domain')
        spec = controller.read_body(req, schemas.DOMAIN_CREATE)['domain']
        record = self._api.identity.create_domain(spec['name'],
                                                  description=spec.get('description') or '')
        if spec.get('enabled') is False:
            record = self._api.admin.domains.update_domain(record['id'], enabled=False)
        return wsgi.json_response(201, {'domain': views.domain(self._api.v3_url, record)})

    def domains(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_domains')
        params = controller.read_query(req, schemas.query({'name': schemas.NAME,
                                                  'enabled': schemas.BOOLEAN_TEXT}))
        records = common.filtered(self._api.identity.list_domains(), params,
                                  common.filters_of('name', 'enabled'))
        return wsgi.json_response(200, views.collection(
            'domains', [views.domain(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))

    def domain(self, req: wsgi.Request, domain_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_domain')
        try:
            record = self._api.identity.get_domain(domain_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='Domain', id=domain_id) from None
        return wsgi.json_response(200, {'domain': views.domain(self._api.v3_url, record)})

    def regions(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_regions')
        params = controller.read_query(req, schemas.query({'parent_region_id': schemas.NAME}))
        records = common.filtered(self._api.identity.list_regions(), params,
                                  common.filters_of('parent_region_id'))
        return wsgi.json_response(200, views.collection(
            'regions', [views.region(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))

    def region(self, req: wsgi.Request, region_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_region')
        return wsgi.json_response(200, {'region': views.region(
            self._api.v3_url, self._api.identity.get_region(region_id))})

    def services(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_services')
        params = controller.read_query(req, schemas.query({'type': schemas.NAME,
                                                           'name': schemas.NAME}))
        records = common.filtered(self._api.identity.list_services(), params,
                                  common.filters_of('type', 'name'))
        return wsgi.json_response(200, views.collection(
            'services', [views.service(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))

    def endpoints(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_endpoints')
        params = controller.read_query(req, schemas.query({'service_id': schemas.ID,
                                                  'interface': schemas.NAME,
                                                  'region_id': schemas.NAME}))
        records = common.filtered(self._api.identity.list_endpoints(), params,
                                  common.filters_of('service_id', 'interface', 'region_id'))
        return wsgi.json_response(200, views.collection(
            'endpoints', [views.endpoint(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))
