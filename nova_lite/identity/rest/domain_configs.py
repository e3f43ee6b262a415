"""``/v3/domains/{domain_id}/config`` (whole, per group, per option) and
``/v3/domains/config/default`` (keystone's defaults). Stored only: nova_lite
has no LDAP driver, every domain keeps using the SQL backend."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.identity import domain_configs as config_store
from nova_lite.identity.rest import common, extension_schemas
from nova_lite.identity.rest.extension_common import unknown_id_is_not_found

_CONFIG = '/v3/domains/{domain_id}/config'
_DEFAULT = '/v3/domains/config'


def _shaped(value: Any, group: str | None, option: str | None) -> dict[str, Any]:
    """``{"config": ...}``: the whole configuration, ``{group: {...}}`` or ``{option: v}``."""
    if option is not None:
        return {'config': {option: value}}
    if group is not None:
        return {'config': {group: value}}
    return {'config': value}


class DomainConfigController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        routes: list[routing.Route] = [
            ('GET', f'{_DEFAULT}/default', self.default),
            ('GET', f'{_DEFAULT}/{{group}}/default', self.default),
            ('GET', f'{_DEFAULT}/{{group}}/{{option}}/default', self.default),
            ('PUT', _CONFIG, self.create),
        ]
        for path in (_CONFIG, f'{_CONFIG}/{{group}}', f'{_CONFIG}/{{group}}/{{option}}'):
            routes += [('GET', path, self.show), ('PATCH', path, self.update),
                       ('DELETE', path, self.delete)]
        return routes

    @property
    def _store(self) -> config_store.DomainConfigStore:
        return self._api.identity.extensions.domain_configs

    def default(self, req: wsgi.Request, group: str | None = None,
                option: str | None = None) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_domain_config_default')
        return wsgi.json_response(200, _shaped(self._store.defaults(group, option),
                                               group, option))

    def create(self, req: wsgi.Request, domain_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:create_domain_config')
        config = controller.read_body(req, extension_schemas.DOMAIN_CONFIG)['config']
        with unknown_id_is_not_found('Domain', domain_id):
            stored, created = self._store.replace(domain_id, config)
        return wsgi.json_response(201 if created else 200, {'config': stored})

    def show(self, req: wsgi.Request, domain_id: str, group: str | None = None,
             option: str | None = None) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_domain_config')
        with unknown_id_is_not_found('Domain', domain_id):
            value = self._store.get(domain_id, group, option)
        return wsgi.json_response(200, _shaped(value, group, option))

    def update(self, req: wsgi.Request, domain_id: str, group: str | None = None,
               option: str | None = None) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_domain_config')
        config = controller.read_body(req, extension_schemas.DOMAIN_CONFIG)['config']
        with unknown_id_is_not_found('Domain', domain_id):
            stored = self._store.update(domain_id, config, group, option)
        return wsgi.json_response(200, {'config': stored})

    def delete(self, req: wsgi.Request, domain_id: str, group: str | None = None,
               option: str | None = None) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_domain_config')
        with unknown_id_is_not_found('Domain', domain_id):
            self._store.delete(domain_id, group, option)
        return wsgi.json_response(204)
