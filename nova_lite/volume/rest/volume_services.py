"""``/os-services`` and ``/os-hosts`` (admins): the block storage services.

``GET /os-services`` lists cinder-scheduler and cinder-volume (filters
``host``, ``binary``); ``PUT /os-services/enable|disable|disable-log-reason``
changes one service's status, ``PUT /os-services/freeze|thaw`` the
cinder-volume host's. ``GET /os-hosts`` lists the services per host and
``GET /os-hosts/{host}`` the volume and snapshot usage of the cinder-volume
host.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.volume import services as volume_services
from nova_lite.volume.rest import policies, scope

_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255}
LIST_QUERY: dict[str, Any] = {'type': 'object', 'properties': {'host': _NAME,
                                                                'binary': _NAME}}
# ``service`` is the pre-Juno spelling of ``binary``, which cinder still accepts.
_SERVICE_PROPERTIES = {'host': _NAME, 'binary': _NAME, 'service': _NAME}
SERVICE: dict[str, Any] = {
    'type': 'object', 'properties': _SERVICE_PROPERTIES, 'required': ['host'],
    'anyOf': [{'required': ['binary']}, {'required': ['service']}],
}
DISABLE_WITH_REASON: dict[str, Any] = {
    **SERVICE,
    'properties': {**_SERVICE_PROPERTIES, 'disabled_reason': {
        'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': r'\S'}},
    'required': ['host', 'disabled_reason'],
}
HOST: dict[str, Any] = {'type': 'object', 'properties': {'host': _NAME},
                        'required': ['host']}


class VolumeServicesController(scope.VolumeController):
    """The services of :class:`~nova_lite.volume.services.VolumeServiceStates`."""

    @property
    def _states(self) -> volume_services.VolumeServiceStates:
        return self._services.volumes.service_states

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self._context(req, project_id, policies.SERVICES)
        wanted = controller.read_query(req, LIST_QUERY)
        found = self._states.list_services(host=wanted.get('host'), binary=wanted.get('binary'))
        return wsgi.json_response(200, {'services': found})

    def _set_disabled(self, req: wsgi.Request, project_id: str, disabled: bool,
                      schema: dict[str, Any]) -> webob.Response:
        self._context(req, project_id, policies.SERVICES_UPDATE)
        body = controller.read_body(req, schema)
        binary = body.get('binary', body.get('service'))
        changed = self._states.set_disabled(binary, body['host'], disabled,
                                            body.get('disabled_reason'))
        if schema is SERVICE and disabled:
            changed.pop('disabled_reason')  # cinder's plain disable answers without it
        return wsgi.json_response(200, changed)

    def enable(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return self._set_disabled(req, project_id, False, SERVICE)

    def disable(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return self._set_disabled(req, project_id, True, SERVICE)

    def disable_log_reason(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return self._set_disabled(req, project_id, True, DISABLE_WITH_REASON)

    def _set_frozen(self, req: wsgi.Request, project_id: str, frozen: bool,
                    rule: str) -> webob.Response:
        self._context(req, project_id, rule)
        host = controller.read_body(req, HOST)['host']
        self._states.set_frozen(host, frozen)
        return wsgi.json_response(200)

    def freeze(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return self._set_frozen(req, project_id, True, policies.FREEZE_HOST)

    def thaw(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return self._set_frozen(req, project_id, False, policies.THAW_HOST)

    # -- os-hosts ----------------------------------------------------------

    def list_hosts(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self._context(req, project_id, policies.HOSTS)
        hosts = [{'host_name': service['host'], 'service': service['binary'],
                  'zone': service['zone'],
                  'service-status': 'available' if service['state'] == 'up'
                  else 'unavailable',
                  'service-state': service['status'], 'last-update': service['updated_at']}
                 for service in self._states.list_services()]
        return wsgi.json_response(200, {'hosts': hosts})

    def show_host(self, req: wsgi.Request, project_id: str, host: str) -> webob.Response:
        self._context(req, project_id, policies.HOSTS)
        usage = self._states.host_usage(host)
        return wsgi.json_response(200, {'host': [{'resource': entry} for entry in usage]})


def routes(services: VolumeServicesController) -> list[routing.Route]:
    return [
        ('GET', '/os-services', services.index),
        ('PUT', '/os-services/enable', services.enable),
        ('PUT', '/os-services/disable', services.disable),
        ('PUT', '/os-services/disable-log-reason', services.disable_log_reason),
        ('PUT', '/os-services/freeze', services.freeze),
        ('PUT', '/os-services/thaw', services.thaw),
        ('GET', '/os-hosts', services.list_hosts),
        ('GET', '/os-hosts/{host}', services.show_host),
    ]
