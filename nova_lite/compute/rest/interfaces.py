"""``/servers/{id}/os-interface``: list, show, attach (200 with the port, as nova
answers) and detach (202) a server's network interfaces; attach and detach are
action flows (:mod:`nova_lite.compute.interface_attach_api`)."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.api.validation import UUID_PATTERN
from nova_lite.common import exception
from nova_lite.compute import interface_attach_api
from nova_lite.compute.rest import base, interface_policies
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import api_version

_ATTACH_BODY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'interfaceAttachment': {
            'type': 'object',
            'properties': {
                'net_id': {'type': 'string', 'pattern': UUID_PATTERN},
                'port_id': {'type': 'string', 'pattern': UUID_PATTERN},
                'fixed_ips': {
                    'type': 'array', 'minItems': 1, 'maxItems': 1,
                    'items': {
                        'type': 'object',
                        'properties': {'ip_address': {'type': 'string', 'minLength': 1,
                                                      'maxLength': 45}},
                        'required': ['ip_address'],
                        'additionalProperties': False,
                    },
                },
                'tag': {'type': 'string', 'minLength': 1, 'maxLength': 60,
                        'pattern': '^[^,/]*$'},
            },
            'additionalProperties': False,
        },
    },
    'additionalProperties': False,
}


class InterfacesHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._interfaces = interface_attach_api.InterfaceAttachments(
            rest.services.network_proxy, rest.actions)

    def routes(self) -> list[routing.Route]:
        path = '/servers/{server_id}/os-interface'
        return [('GET', path, self.index), ('POST', path, self.create),
                ('GET', path + '/{port_id}', self.show),
                ('DELETE', path + '/{port_id}', self.delete)]

    def _instance(self, req: wsgi.Request, server_id: str, rule: str) -> dict[str, Any]:
        instance = self._rest.services.compute_api.get_server(req.context, server_id)
        self.authorizer.authorize(req.context, rule, project_id=instance['project_id'])
        return instance

    @staticmethod
    def _view(req: wsgi.Request, instance: dict[str, Any], port: dict[str, Any],
              tag: Any = None) -> dict[str, Any]:
        body = interface_attach_api.attachment_view(port)
        if api_version(req) >= changes.INTERFACE_TAG_SHOWN:
            known: dict[str, Any] = next(
                (vif for vif in instance['network_info'] if vif.get('port_id') == port['id']),
                {})
            body['tag'] = tag if tag is not None else known.get('tag')
        return body

    def index(self, req: wsgi.Request, server_id: str) -> webob.Response:
        instance = self._instance(req, server_id, interface_policies.INTERFACES_LIST)
        ports = self._interfaces.list(req.context, instance)
        return wsgi.json_response(200, {'interfaceAttachments': [
            self._view(req, instance, port) for port in ports]})

    def show(self, req: wsgi.Request, server_id: str, port_id: str) -> webob.Response:
        instance = self._instance(req, server_id, interface_policies.INTERFACES_SHOW)
        port = self._interfaces.show(req.context, instance, port_id)
        return wsgi.json_response(200, {'interfaceAttachment': self._view(req, instance,
                                                                           port)})

    def create(self, req: wsgi.Request, server_id: str) -> webob.Response:
        args = controller.read_body(req, _ATTACH_BODY).get('interfaceAttachment') or {}
        if 'tag' in args and api_version(req) < changes.INTERFACE_ATTACH_TAG:
            raise exception.InvalidInput(field='interfaceAttachment.tag',
                                         reason='needs microversion 2.49')
        instance = self._instance(req, server_id, interface_policies.INTERFACES_CREATE)
        fixed_ips = args.get('fixed_ips') or [{}]
        port = self._interfaces.attach(
            req.context, instance['id'], net_id=args.get('net_id'),
            port_id=args.get('port_id'), fixed_ip=fixed_ips[0].get('ip_address'),
            tag=args.get('tag'))
        return wsgi.json_response(200, {'interfaceAttachment': self._view(
            req, instance, port, tag=args.get('tag'))})

    def delete(self, req: wsgi.Request, server_id: str, port_id: str) -> webob.Response:
        instance = self._instance(req, server_id, interface_policies.INTERFACES_DELETE)
        self._interfaces.detach(req.context, instance['id'], port_id,
                                self._rest.services.compute_api.get_server)
        return wsgi.json_response(202)
