"""The server actions of deferred delete, network info and host moves, as Nova answers them.

* ``forceDelete``: deletes the server at once, whatever its state (Nova's
  ``force_delete``); nova_lite never defers a delete (Nova's
  ``reclaim_instance_interval`` of 0), so it is the ordinary delete.
* ``restore``: undoes a deferred delete. No server of nova_lite is ever
  ``SOFT_DELETED``, so it is a 409 for any server that exists.
* ``injectNetworkInfo`` (admin): asks the host to refresh the guest's network
  configuration. The libvirt driver has nothing to inject (Nova's neither):
  the action is checked and recorded in ``os-instance-actions``.
* ``migrate`` and ``os-migrateLive`` (admin): a move to another host. A cloud
  whose other compute hosts are all disabled or down has nowhere to go, which
  is Nova's 400 "No valid host"; moving between hosts is not built (the test
  clouds have one compute host), which is a 400 that says so.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import wsgi
from nova_lite.common import exception
from nova_lite.common.states import VmState
from nova_lite.compute import api as compute_api
from nova_lite.compute import instance_actions
from nova_lite.compute.rest import action_policies, base

# Body key -> policy rule.
RULES: dict[str, str] = {
    'forceDelete': action_policies.FORCE_DELETE,
    'restore': action_policies.RESTORE,
    'injectNetworkInfo': action_policies.INJECT_NETWORK_INFO,
    'migrate': action_policies.MIGRATE,
    'os-migrateLive': action_policies.MIGRATE_LIVE,
}

_MOVE_STATES = {'migrate': (VmState.ACTIVE, VmState.STOPPED),
                'os-migrateLive': (VmState.ACTIVE, VmState.PAUSED)}


class NoValidHostForMove(exception.Invalid):
    msg_fmt = 'No valid host was found. %(reason)s'


class AdminServerActions:
    """Runs the actions of :data:`RULES` on a server already read and authorized."""

    def __init__(self, rest: base.ComputeRest) -> None:
        self._rest = rest

    def run(self, req: wsgi.Request, instance: dict[str, Any], name: str,
            args: dict[str, Any] | None) -> webob.Response:
        ctx = req.context
        services = self._rest.services
        if name == 'forceDelete':
            services.compute_api.delete_server(ctx, instance['id'])
        elif name == 'restore':
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state=instance['vm_state'], action='restore',
                                         needed='soft-deleted')
        elif name == 'injectNetworkInfo':
            self._inject_network_info(ctx, instance)
        else:
            self._move(instance, name, args or {})
        return wsgi.json_response(202)

    def _inject_network_info(self, ctx: Any, instance: dict[str, Any]) -> None:
        compute_api.check_not_locked(ctx, instance)
        if not instance['host']:
            raise exception.InvalidState(resource='Instance', id=instance['id'],
                                         state='without a host', action='injectNetworkInfo',
                                         needed='a host')
        events = self._rest.services.instance_actions
        events.start_action(instance_id=instance['id'],
                            action=instance_actions.INJECT_NETWORK_INFO,
                            request_id=ctx.request_id, user_id=ctx.user_id,
                            project_id=ctx.project_id)
        events.finish_action(instance['id'], ctx.request_id)

    def _move(self, instance: dict[str, Any], name: str, args: dict[str, Any]) -> None:
        if instance['vm_state'] not in _MOVE_STATES[name] or instance['task_state']:
            raise exception.InvalidState(
                resource='Instance', id=instance['id'],
                state=instance['task_state'] or instance['vm_state'], action=name,
                needed=' or '.join(_MOVE_STATES[name]) + ' with no task in progress')
        wanted = args.get('host')
        others = [service for service in
                  self._rest.services.admin_stores.services.list(binary='nova-compute')
                  if service['host'] != instance['host'] and not service['disabled']
                  and service['up'] and wanted in (None, service['host'])]
        if not others:
            raise NoValidHostForMove(reason=f'No other enabled compute host is up for '
                                            f'{name}.')
        raise exception.InvalidInput(
            field=name, reason='moving a server between hosts is not supported by nova_lite '
                               '(cold and live migration are out of scope)')
