"""``/servers/{id}/os-server-password``: the guest's encrypted admin password.

A guest (through the metadata service) posts its admin password encrypted
with the server's key; nova keeps it in the instance's system metadata. Here
it is kept in the same place, the build request's ``system_metadata``
(``password``); with no metadata service nothing sets it yet, so GET answers
an empty string until one does. DELETE clears it (204).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.compute.rest import base, interface_policies

SYSTEM_METADATA = 'system_metadata'
PASSWORD_KEY = 'password'


def password_of(instance: dict[str, Any]) -> str:
    """The instance's stored (encrypted) password; '' when it has none."""
    system_metadata = (instance.get('build_request') or {}).get(SYSTEM_METADATA) or {}
    return str(system_metadata.get(PASSWORD_KEY) or '')


def _without_password(build_request: dict[str, Any]) -> dict[str, Any]:
    system_metadata = dict(build_request.get(SYSTEM_METADATA) or {})
    system_metadata.pop(PASSWORD_KEY, None)
    return {SYSTEM_METADATA: system_metadata}


class ServerPasswordHandler(base.ComputeController):
    def routes(self) -> list[routing.Route]:
        path = '/servers/{server_id}/os-server-password'
        return [('GET', path, self.show), ('DELETE', path, self.clear)]

    def _instance(self, req: wsgi.Request, server_id: str, rule: str) -> dict[str, Any]:
        instance = self._rest.services.compute_api.get_server(req.context, server_id)
        self.authorizer.authorize(req.context, rule, project_id=instance['project_id'])
        return instance

    def show(self, req: wsgi.Request, server_id: str) -> webob.Response:
        instance = self._instance(req, server_id, interface_policies.PASSWORD_SHOW)
        return wsgi.json_response(200, {'password': password_of(instance)})

    def clear(self, req: wsgi.Request, server_id: str) -> webob.Response:
        instance = self._instance(req, server_id, interface_policies.PASSWORD_CLEAR)
        self._rest.services.instances.change_details(
            instance['id'], build_request_change=_without_password)
        return wsgi.json_response(204)
