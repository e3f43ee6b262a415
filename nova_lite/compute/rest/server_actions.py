"""``POST /servers/{id}/action``: the server actions (flows) and os-getConsoleOutput."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute import schemas as body_schemas
from nova_lite.compute.rest import (
    action_policies,
    admin_server_actions,
    base,
    floating_ips,
    policies,
    proxy_policies,
    resize_actions,
    server_security_groups,
)
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import api_version

_RULES = {'os-stop': policies.SERVERS_STOP, 'os-start': policies.SERVERS_START,
          'reboot': policies.SERVERS_REBOOT,
          'os-getConsoleOutput': policies.CONSOLE_OUTPUT,
          'pause': action_policies.PAUSE, 'unpause': action_policies.UNPAUSE,
          'suspend': action_policies.SUSPEND, 'resume': action_policies.RESUME,
          'lock': action_policies.LOCK, 'unlock': action_policies.UNLOCK,
          'os-resetState': action_policies.RESET_STATE,
          'createImage': action_policies.CREATE_IMAGE,
          'createBackup': action_policies.CREATE_BACKUP,
          'shelve': action_policies.SHELVE, 'shelveOffload': action_policies.SHELVE_OFFLOAD,
          'unshelve': action_policies.UNSHELVE,
          'addSecurityGroup': proxy_policies.SERVER_SECURITY_GROUPS_ADD,
          'removeSecurityGroup': proxy_policies.SERVER_SECURITY_GROUPS_REMOVE,
          'resize': action_policies.RESIZE, 'confirmResize': action_policies.CONFIRM_RESIZE,
          'revertResize': action_policies.REVERT_RESIZE, 'rebuild': action_policies.REBUILD,
          'addFloatingIp': proxy_policies.FLOATING_IPS_MANAGE,
          'removeFloatingIp': proxy_policies.FLOATING_IPS_MANAGE,
          **admin_server_actions.RULES}
# Body key -> the host action flow it starts.
_HOST_ACTIONS = {'os-stop': 'stop', 'os-start': 'start', 'pause': 'pause',
                 'unpause': 'unpause', 'suspend': 'suspend', 'resume': 'resume'}


class ServerActionsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._actions = rest.actions
        self._admin_actions = admin_server_actions.AdminServerActions(rest)
        self._floating_ips = floating_ips.FloatingIPActions(rest)

    def routes(self) -> list[routing.Route]:
        return [('POST', '/servers/{server_id}/action', self.action)]

    def action(self, req: wsgi.Request, server_id: str) -> webob.Response:
        ctx = req.context
        body = controller.read_body(req, body_schemas.server_action)
        [(name, args)] = body.items()
        instance = self._rest.services.compute_api.get_server(ctx, server_id)
        self.authorizer.authorize(ctx, _RULES[name], project_id=instance['project_id'])
        if name in admin_server_actions.RULES:
            return self._admin_actions.run(req, instance, name, args)
        if name in floating_ips.ACTIONS:
            return self._floating_ips.run(req, instance, name, args)
        if name in _HOST_ACTIONS:
            self._actions.run_host_action(ctx, instance['id'], _HOST_ACTIONS[name])
        elif name == 'reboot':
            self._actions.reboot_server(ctx, instance['id'], args['type'])
        elif name == 'lock':
            self._actions.lock_server(ctx, instance['id'], self._locked_reason(req, args))
        elif name == 'unlock':
            self._actions.unlock_server(ctx, instance['id'])
        elif name == 'os-resetState':
            self._actions.reset_state(ctx, instance['id'], args['state'])
        elif name == 'createImage':
            return self._create_image(req, instance, args)
        elif name == 'createBackup':
            return self._create_backup(req, instance, args)
        elif name == 'shelve':
            self._actions.shelve_server(ctx, instance['id'])
        elif name == 'shelveOffload':
            self._actions.shelve_offload_server(ctx, instance['id'])
        elif name == 'unshelve':
            self._actions.unshelve_server(ctx, instance['id'],
                                          self._unshelve_body(req, instance, args))
        elif name in ('addSecurityGroup', 'removeSecurityGroup'):
            server_security_groups.change(self._rest.services.network_proxy, ctx,
                                          instance['id'], args['name'],
                                          add=name == 'addSecurityGroup')
        elif name in resize_actions.ACTIONS:
            return resize_actions.act(self._rest, req, name, instance, body)
        else:
            output = self._actions.get_console_output(ctx, instance['id'],
                                                      args.get('length'))
            return wsgi.json_response(200, {'output': output})
        return wsgi.json_response(202)

    def _create_image(self, req: wsgi.Request, instance: dict[str, Any],
                      args: dict[str, Any]) -> webob.Response:
        image_id = self._actions.create_image(req.context, instance['id'], args['name'],
                                              args.get('metadata'))
        if api_version(req) >= changes.SERVER_CREATE_IMAGE_BODY:
            return wsgi.json_response(202, {'image_id': image_id})
        return self._image_location(req, image_id)

    def _create_backup(self, req: wsgi.Request, instance: dict[str, Any],
                       args: dict[str, Any]) -> webob.Response:
        rotation = int(args['rotation'])
        image_id = self._actions.create_backup(req.context, instance['id'], args['name'],
                                               args['backup_type'], rotation,
                                               args.get('metadata'))
        if api_version(req) >= changes.SERVER_CREATE_IMAGE_BODY:
            return wsgi.json_response(202, {'image_id': image_id})
        # As in Nova: no Location when rotation 0 deleted the backup just made.
        return self._image_location(req, image_id) if rotation > 0 else wsgi.json_response(202)

    @staticmethod
    def _image_location(req: wsgi.Request, image_id: str) -> webob.Response:
        response = wsgi.json_response(202)
        prefix = req.application_url.rstrip('/')
        project = req.context.project_id
        response.headers['Location'] = (f'{prefix}/{project}/images/{image_id}' if project
                                        else f'{prefix}/images/{image_id}')
        return response

    def _unshelve_body(self, req: wsgi.Request, instance: dict[str, Any],
                       args: dict[str, Any] | None) -> dict[str, Any] | None:
        """The unshelve body, each field checked against the version that brought it."""
        if not args:
            return None
        version = api_version(req)
        if version < changes.UNSHELVE_AVAILABILITY_ZONE:
            raise exception.InvalidInput(field='unshelve',
                                         reason='takes no arguments below microversion 2.77')
        if version < changes.UNSHELVE_HOST:
            if 'host' in args:
                raise exception.InvalidInput(field='unshelve.host',
                                             reason='needs microversion 2.91 or later')
            if args.get('availability_zone', '') is None:
                raise exception.InvalidInput(field='unshelve.availability_zone',
                                             reason='may be null from microversion 2.91')
        if 'host' in args:
            self.authorizer.authorize(req.context, action_policies.UNSHELVE_TO_HOST,
                                      project_id=instance['project_id'])
        return args

    @staticmethod
    def _locked_reason(req: wsgi.Request, args: dict[str, Any] | None) -> str | None:
        reason = (args or {}).get('locked_reason')
        if reason is not None and api_version(req) < changes.SERVER_LOCKED_REASON:
            raise exception.InvalidInput(field='lock.locked_reason',
                                         reason='needs microversion 2.73 or later')
        return reason
