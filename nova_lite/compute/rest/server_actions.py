"""``POST /servers/{id}/action``: os-stop, os-start, reboot, os-getConsoleOutput."""

from __future__ import annotations

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.compute import schemas as body_schemas
from nova_lite.compute.rest import base, policies

_RULES = {'os-stop': policies.SERVERS_STOP, 'os-start': policies.SERVERS_START,
          'reboot': policies.SERVERS_REBOOT,
          'os-getConsoleOutput': policies.CONSOLE_OUTPUT}


class ServerActionsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._actions = rest.actions

    def routes(self) -> list[routing.Route]:
        return [('POST', '/servers/{server_id}/action', self.action)]

    def action(self, req: wsgi.Request, server_id: str) -> webob.Response:
        ctx = req.context
        body = controller.read_body(req, body_schemas.server_action)
        [(name, args)] = body.items()
        instance = self._rest.services.compute_api.get_server(ctx, server_id)
        self.authorizer.authorize(ctx, _RULES[name], project_id=instance['project_id'])
        if name == 'os-stop':
            self._actions.stop_server(ctx, instance['id'])
        elif name == 'os-start':
            self._actions.start_server(ctx, instance['id'])
        elif name == 'reboot':
            self._actions.reboot_server(ctx, instance['id'], args['type'])
        else:
            output = self._actions.get_console_output(ctx, instance['id'],
                                                      args.get('length'))
            return wsgi.json_response(200, {'output': output})
        return wsgi.json_response(202)
