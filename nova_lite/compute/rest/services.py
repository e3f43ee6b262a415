"""``/os-services`` (admins): list, enable/disable/force down, delete.

Before 2.53 services have integer ids and are changed by host and binary
(``PUT /os-services/enable|disable|disable-log-reason|force-down``, the last
from 2.11); from 2.53 they have uuid ids and are changed with
``PUT /os-services/{id}``. A disabled or forced-down compute service gets no
new instances (the scheduler's ComputeFilter).
"""

from __future__ import annotations

from typing import Any

import webob
from oslo_utils import uuidutils

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute import services as service_store
from nova_lite.compute.rest import admin_policies, base, version_changes
from nova_lite.compute.rest.api_version import Version, api_version

_name: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_reason: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_host_binary: dict[str, Any] = {'host': _name, 'binary': _name}


def _legacy_body(**extra: dict[str, Any]) -> dict[str, Any]:
    return {'type': 'object', 'properties': {**_host_binary, **extra},
            'required': ['host', 'binary', *extra], 'additionalProperties': False}


update_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'status': {'type': 'string', 'enum': ['enabled', 'disabled']},
                   'disabled_reason': _reason, 'forced_down': {'type': 'boolean'}},
    'additionalProperties': False,
}
list_query: dict[str, Any] = {'type': 'object', 'properties': {'host': _name, 'binary': _name}}


def service_view(service: dict[str, Any], version: Version) -> dict[str, Any]:
    """A service as ``GET /os-services`` shows it at ``version``."""
    body = {'id': service['uuid'] if version >= version_changes.SERVICE_UUIDS
            else service['id'],
            'binary': service['binary'], 'host': service['host'], 'zone': service['zone'],
            'status': 'disabled' if service['disabled'] else 'enabled',
            'state': 'up' if service['up'] else 'down',
            'updated_at': service['updated_at'],
            'disabled_reason': service['disabled_reason']}
    if version >= version_changes.SERVICE_FORCED_DOWN:
        body['forced_down'] = service['forced_down']
    return body


class ServicesHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._store = rest.services.admin_stores.services

    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-services', self.index),
                ('PUT', '/os-services/{service_id}', self.update),
                ('DELETE', '/os-services/{service_id}', self.delete)]

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.SERVICES_LIST)
        version = api_version(req)
        params = controller.read_query(req, list_query)
        if version >= version_changes.SERVICES_STRICT_QUERY:
            unknown = sorted(set(req.GET) - set(list_query['properties']))
            if unknown:
                raise exception.InvalidInput(field=unknown[0],
                                             reason='is not a query parameter of GET '
                                                    '/os-services')
        services = self._store.list(host=params.get('host'), binary=params.get('binary'))
        return wsgi.json_response(200, {'services': [service_view(s, version)
                                                     for s in services]})

    def _find(self, req: wsgi.Request, service_id: str) -> dict[str, Any]:
        if api_version(req) >= version_changes.SERVICE_UUIDS:
            if not uuidutils.is_uuid_like(service_id):
                raise exception.InvalidInput(field='service_id',
                                             reason=f'invalid uuid {service_id}')
            return self._store.get(uuid=service_id)
        if not service_id.isdigit():
            raise exception.NotFound(message=f'Service {service_id} could not be found.')
        return self._store.get(service_id=int(service_id))

    def update(self, req: wsgi.Request, service_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.SERVICES_UPDATE)
        version = api_version(req)
        if version < version_changes.SERVICE_UUIDS:
            return self._legacy_update(req, service_id, version)
        body = controller.read_body(req, update_request)
        if 'status' not in body and 'forced_down' not in body:
            raise exception.Invalid(message='No updates were requested. Fields "status" or '
                                            '"forced_down" should be specified.')
        if 'disabled_reason' in body and body.get('status') != 'disabled':
            raise exception.Invalid(message='Specifying "disabled_reason" with status other '
                                            'than "disabled" is invalid.')
        service = self._find(req, service_id)
        if service['binary'] != service_store.COMPUTE:
            raise exception.Invalid(message=f"Updating a {service['binary']} service is not "
                                            'supported. Only nova-compute services can be '
                                            'updated.')
        values: dict[str, Any] = {}
        if 'status' in body:
            values['disabled'] = body['status'] == 'disabled'
            values['disabled_reason'] = body.get('disabled_reason')
        if 'forced_down' in body:
            values['forced_down'] = body['forced_down']
        updated = self._store.update(service, values)
        return wsgi.json_response(200, {'service': service_view(updated, version)})

    def _legacy_update(self, req: wsgi.Request, action: str,
                       version: Version) -> webob.Response:
        """``PUT /os-services/{enable,disable,disable-log-reason,force-down}``."""
        if action in ('enable', 'disable'):
            body = controller.read_body(req, _legacy_body())
            values: dict[str, Any] = {'disabled': action == 'disable'}
            if action == 'enable':
                values['disabled_reason'] = None
        elif action == 'disable-log-reason':
            body = controller.read_body(req, _legacy_body(disabled_reason=_reason))
            values = {'disabled': True, 'disabled_reason': body['disabled_reason']}
        elif action == 'force-down' and version >= version_changes.SERVICE_FORCED_DOWN:
            body = controller.read_body(req, _legacy_body(forced_down={'type': 'boolean'}))
            values = {'forced_down': body['forced_down']}
        else:
            raise exception.NotFound(message=f'Unknown action {action}')
        service = self._store.get(host=body['host'], binary=body['binary'])
        updated = self._store.update(service, values)
        shown: dict[str, Any] = {'host': updated['host'], 'binary': updated['binary']}
        if action == 'force-down':
            shown['forced_down'] = updated['forced_down']
        else:
            shown['status'] = 'disabled' if updated['disabled'] else 'enabled'
        if action == 'disable-log-reason':
            shown['disabled_reason'] = updated['disabled_reason']
        return wsgi.json_response(200, {'service': shown})

    def delete(self, req: wsgi.Request, service_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.SERVICES_DELETE)
        self._store.delete(self._find(req, service_id))
        return wsgi.json_response(204)
