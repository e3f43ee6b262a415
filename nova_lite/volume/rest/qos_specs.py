"""The QoS specs routes: ``/qos-specs``, their keys and volume type associations.

Everything is admin-only by policy, as in cinder. Associating and
disassociating are GETs with a ``vol_type_id`` query parameter (cinder's API).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, policy, routing, wsgi
from nova_lite.volume import qos_specs
from nova_lite.volume.rest import policies, scope

_KEY = {'minLength': 1, 'maxLength': 255}
_VALUE = {'type': 'string', 'maxLength': 255}
CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'qos_specs': {
        'type': 'object',
        'properties': {
            'name': {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': r'\S'},
            'consumer': {'type': 'string', 'enum': list(qos_specs.CONSUMERS)},
        },
        'required': ['name'],
        'propertyNames': _KEY, 'additionalProperties': _VALUE, 'maxProperties': 130,
    }},
    'required': ['qos_specs'],
    'additionalProperties': False,
}
SET_KEYS: dict[str, Any] = {
    'type': 'object',
    'properties': {'qos_specs': {
        'type': 'object',
        'properties': {'consumer': {'type': 'string', 'enum': list(qos_specs.CONSUMERS)}},
        'propertyNames': _KEY, 'additionalProperties': _VALUE,
        'minProperties': 1, 'maxProperties': 128,
    }},
    'required': ['qos_specs'],
    'additionalProperties': False,
}
DELETE_KEYS: dict[str, Any] = {
    'type': 'object',
    'properties': {'keys': {'type': 'array', 'minItems': 1,
                            'items': {'type': 'string', **_KEY}}},
    'required': ['keys'],
    'additionalProperties': False,
}
TYPE_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {'vol_type_id': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
    'required': ['vol_type_id'],
}
DELETE_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {'force': {'type': 'string', 'enum': [
        'True', 'False', 'true', 'false', '1', '0', 'yes', 'no']}},
}


class QosSpecsController(scope.VolumeController):
    """QoS specs through the volume manager's QoS store."""

    def __init__(self, services: scope.VolumeServices, authorizer: policy.Authorizer,
                 public_url: str) -> None:
        super().__init__(services, authorizer)
        self._base = public_url.rstrip('/')

    def _detail(self, project_id: str, specs: dict[str, Any]) -> dict[str, Any]:
        """cinder's one-spec body: the spec and its self and bookmark links."""
        path = f'{project_id}/qos-specs/{specs["id"]}'
        return {'qos_specs': specs,
                'links': [{'rel': 'self', 'href': f'{self._base}/v3/{path}'},
                          {'rel': 'bookmark', 'href': f'{self._base}/{path}'}]}

    @property
    def _store(self) -> qos_specs.QosSpecsStore:
        return self._services.volumes.qos_specs

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_GET_ALL)
        return wsgi.json_response(200, {'qos_specs': self._store.list_specs(ctx)})

    def show(self, req: wsgi.Request, project_id: str, qos_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_GET)
        return wsgi.json_response(200, self._detail(project_id, self._store.get(ctx, qos_id)))

    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_CREATE)
        specs = dict(controller.read_body(req, CREATE)['qos_specs'])
        name = specs.pop('name').strip()
        consumer = specs.pop('consumer', qos_specs.DEFAULT_CONSUMER)
        created = self._store.create(ctx, name, consumer=consumer, specs=specs)
        return wsgi.json_response(200, self._detail(project_id, created))

    def update(self, req: wsgi.Request, project_id: str, qos_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_UPDATE)
        values = controller.read_body(req, SET_KEYS)['qos_specs']
        return wsgi.json_response(200, {'qos_specs': self._store.set_keys(ctx, qos_id,
                                                                          values)})

    def delete_keys(self, req: wsgi.Request, project_id: str,
                    qos_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_UPDATE)
        keys = controller.read_body(req, DELETE_KEYS)['keys']
        self._store.delete_keys(ctx, qos_id, keys)
        return wsgi.json_response(202)

    def delete(self, req: wsgi.Request, project_id: str, qos_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_DELETE)
        force = controller.read_query(req, DELETE_QUERY).get('force', 'false')
        self._store.delete(ctx, qos_id, force=force.lower() in ('true', '1', 'yes'))
        return wsgi.json_response(202)

    def associations(self, req: wsgi.Request, project_id: str,
                     qos_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_GET)
        return wsgi.json_response(
            200, {'qos_associations': self._store.associations(ctx, qos_id)})

    def associate(self, req: wsgi.Request, project_id: str, qos_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_UPDATE)
        type_id = controller.read_query(req, TYPE_QUERY)['vol_type_id']
        self._store.associate(ctx, qos_id, type_id)
        return wsgi.json_response(202)

    def disassociate(self, req: wsgi.Request, project_id: str,
                     qos_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_UPDATE)
        type_id = controller.read_query(req, TYPE_QUERY)['vol_type_id']
        self._store.disassociate(ctx, qos_id, type_id)
        return wsgi.json_response(202)

    def disassociate_all(self, req: wsgi.Request, project_id: str,
                         qos_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.QOS_UPDATE)
        self._store.disassociate_all(ctx, qos_id)
        return wsgi.json_response(202)


def routes(specs: QosSpecsController) -> list[routing.Route]:
    return [
        *routing.crud('/qos-specs', 'qos_id', specs),
        ('PUT', '/qos-specs/{qos_id}/delete_keys', specs.delete_keys),
        ('GET', '/qos-specs/{qos_id}/associations', specs.associations),
        ('GET', '/qos-specs/{qos_id}/associate', specs.associate),
        ('GET', '/qos-specs/{qos_id}/disassociate', specs.disassociate),
        ('GET', '/qos-specs/{qos_id}/disassociate_all', specs.disassociate_all),
    ]
