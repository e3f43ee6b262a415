"""The attach actions of ``POST /v3/{project_id}/volumes/{volume_id}/action``.

Cinder's volume-level attach flow: ``os-reserve`` / ``os-unreserve``,
``os-attach``, ``os-begin_detaching`` / ``os-roll_detaching``, ``os-detach``,
``os-initialize_connection`` / ``os-terminate_connection``, the admin's
``os-force_detach`` and ``os-update_readonly_flag``. Each handler checks its
rule, then its body, and calls :mod:`nova_lite.volume.volume_attach`; a volume
whose status does not allow the action is a 400, as cinder's InvalidVolume.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import validation, wsgi
from nova_lite.api.validation import UUID_PATTERN
from nova_lite.common import context as nl_context
from nova_lite.volume import volume_attach
from nova_lite.volume.rest import policies, scope

_TRUE = (True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't')
_FALSE = (False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no',
          'n', 'f')
_CONNECTOR: dict[str, Any] = {'type': 'object'}


def _action(name: str, properties: dict[str, Any], required: list[str] | None = None,
            extra: dict[str, Any] | None = None, nullable: bool = False) -> dict[str, Any]:
    """The schema of a body ``{name: {...}}`` with these properties."""
    inner: dict[str, Any] = {'type': ['object', 'null'] if nullable else 'object',
                             'properties': properties, 'required': required or [],
                             'additionalProperties': False, **(extra or {})}
    return {'type': 'object', 'properties': {name: inner}, 'required': [name],
            'additionalProperties': False}


ATTACH = _action('os-attach', {
    'instance_uuid': {'type': 'string', 'pattern': UUID_PATTERN},
    'mountpoint': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    'host_name': {'type': 'string', 'maxLength': 255},
    'mode': {'type': 'string', 'enum': list(volume_attach.MODES)},
}, ['mountpoint'], {'anyOf': [{'required': ['instance_uuid']}, {'required': ['host_name']}]})
DETACH = _action('os-detach', {
    'attachment_id': {'type': ['string', 'null'], 'pattern': UUID_PATTERN}}, nullable=True)
FORCE_DETACH = _action('os-force_detach', {
    'attachment_id': {'type': ['string', 'null'], 'pattern': UUID_PATTERN},
    'connector': {'type': ['object', 'null']}})
READONLY = _action('os-update_readonly_flag', {'readonly': {'enum': [*_TRUE, *_FALSE]}},
                   ['readonly'])


def _connection_schema(name: str) -> dict[str, Any]:
    return _action(name, {'connector': _CONNECTOR}, ['connector'])


def _empty_schema(name: str) -> dict[str, Any]:
    return {'type': 'object', 'properties': {name: {'type': ['object', 'null']}},
            'required': [name], 'additionalProperties': False}


_STEPS = volume_attach.VolumeAttachActions
_StatusStep = Callable[[volume_attach.VolumeAttachActions, nl_context.RequestContext, str],
                       None]


class AttachActions(scope.VolumeController):
    """Handlers of the attach actions, by action name (see :meth:`handlers`)."""

    def handlers(self) -> dict[str, Any]:
        return {'os-reserve': self._status_step('os-reserve', policies.RESERVE, _STEPS.reserve),
                'os-unreserve': self._status_step('os-unreserve', policies.UNRESERVE,
                                                  _STEPS.unreserve),
                'os-begin_detaching': self._status_step(
                    'os-begin_detaching', policies.BEGIN_DETACHING, _STEPS.begin_detaching),
                'os-roll_detaching': self._status_step(
                    'os-roll_detaching', policies.ROLL_DETACHING, _STEPS.roll_detaching),
                'os-attach': self.attach, 'os-detach': self.detach,
                'os-initialize_connection': self.initialize_connection,
                'os-terminate_connection': self.terminate_connection,
                'os-force_detach': self.force_detach,
                'os-update_readonly_flag': self.update_readonly_flag}

    def _start(self, req: wsgi.Request, project_id: str, rule: str,
               schema: dict[str, Any], body: dict[str, Any],
               ) -> tuple[nl_context.RequestContext, volume_attach.VolumeAttachActions]:
        """The caller's context (after ``rule``) and the attach steps, ``body`` checked."""
        ctx = self._context(req, project_id, rule)
        validation.validate(schema, body)
        return ctx, self._services.volumes.attach_actions

    def _status_step(self, action: str, rule: str, step: _StatusStep) -> Any:
        """The handler of an action with an empty body that moves the volume's status
        (os-reserve, os-unreserve, os-begin_detaching, os-roll_detaching): 202."""

        def handler(req: wsgi.Request, project_id: str, volume_id: str,
                    body: dict[str, Any]) -> webob.Response:
            ctx, steps = self._start(req, project_id, rule, _empty_schema(action), body)
            step(steps, ctx, volume_id)
            return wsgi.json_response(202)

        return handler

    def attach(self, req: wsgi.Request, project_id: str, volume_id: str,
               body: dict[str, Any]) -> webob.Response:
        ctx, steps = self._start(req, project_id, policies.ATTACH, ATTACH, body)
        request = body['os-attach']
        steps.attach(
            ctx, volume_id, instance_uuid=request.get('instance_uuid'),
            host_name=request.get('host_name'), mountpoint=request['mountpoint'],
            mode=request.get('mode', 'rw'))
        return wsgi.json_response(202)

    def detach(self, req: wsgi.Request, project_id: str, volume_id: str,
               body: dict[str, Any]) -> webob.Response:
        ctx, steps = self._start(req, project_id, policies.DETACH, DETACH, body)
        steps.detach(ctx, volume_id, (body['os-detach'] or {}).get('attachment_id'))
        return wsgi.json_response(202)

    def force_detach(self, req: wsgi.Request, project_id: str, volume_id: str,
                     body: dict[str, Any]) -> webob.Response:
        ctx, steps = self._start(req, project_id, policies.FORCE_DETACH, FORCE_DETACH, body)
        request = body['os-force_detach']
        steps.force_detach(ctx, volume_id, request.get('attachment_id'),
                           request.get('connector'))
        return wsgi.json_response(202)

    def initialize_connection(self, req: wsgi.Request, project_id: str, volume_id: str,
                              body: dict[str, Any]) -> webob.Response:
        ctx, steps = self._start(req, project_id, policies.INITIALIZE_CONNECTION,
                                 _connection_schema('os-initialize_connection'), body)
        info = steps.initialize_connection(
            ctx, volume_id, body['os-initialize_connection']['connector'])
        return wsgi.json_response(200, {'connection_info': info})

    def terminate_connection(self, req: wsgi.Request, project_id: str, volume_id: str,
                             body: dict[str, Any]) -> webob.Response:
        ctx, steps = self._start(req, project_id, policies.TERMINATE_CONNECTION,
                                 _connection_schema('os-terminate_connection'), body)
        steps.terminate_connection(ctx, volume_id,
                                   body['os-terminate_connection']['connector'])
        return wsgi.json_response(202)

    def update_readonly_flag(self, req: wsgi.Request, project_id: str, volume_id: str,
                             body: dict[str, Any]) -> webob.Response:
        ctx, steps = self._start(req, project_id, policies.UPDATE_READONLY, READONLY, body)
        flag = body['os-update_readonly_flag']['readonly']
        steps.update_readonly_flag(ctx, volume_id, flag in _TRUE)
        return wsgi.json_response(202)
