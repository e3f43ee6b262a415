"""``PATCH`` and ``DELETE /v3/domains/{domain_id}`` (list, show and create are in
catalog_routes.py). A domain is deleted only once disabled (403 otherwise, as
keystone answers), with everything in it; the default domain never."""

from __future__ import annotations

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity import bootstrap
from nova_lite.identity.rest import common, schemas, views


class DomainAdminController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('PATCH', '/v3/domains/{domain_id}', self.update),
            ('DELETE', '/v3/domains/{domain_id}', self.delete),
        ]

    def _exists(self, domain_id: str) -> None:
        try:
            self._api.identity.get_domain(domain_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='Domain', id=domain_id) from None

    def update(self, req: wsgi.Request, domain_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_domain')
        spec = controller.read_body(req, schemas.DOMAIN_UPDATE)['domain']
        self._exists(domain_id)
        if domain_id == bootstrap.DEFAULT_DOMAIN_ID and spec.get('enabled') is False:
            raise exception.Forbidden('The default domain cannot be disabled.')
        record = self._api.admin.domains.update_domain(
            domain_id, name=spec.get('name'), description=spec.get('description'),
            enabled=spec.get('enabled'))
        return wsgi.json_response(200, {'domain': views.domain(self._api.v3_url, record)})

    def delete(self, req: wsgi.Request, domain_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_domain')
        self._exists(domain_id)
        self._api.admin.domains.delete_domain(domain_id,
                                              protected=(bootstrap.DEFAULT_DOMAIN_ID,))
        return wsgi.json_response(204)
