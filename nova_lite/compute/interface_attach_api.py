"""Network interfaces attached to and detached from a booted server (os-interface).

The compute API checks the server, the port or network, then makes the port
(a ``net_id`` attach: a port on that network, with the instance as its device)
or reserves the user's port (a ``port_id`` attach), so that it can answer with
the port at once as nova does; the ``attach-interface`` flow
(:mod:`nova_lite.conductor.tasks.interface_actions`) then binds it to the
host, plugs it into the guest and records it, or releases it when anything
fails. Detach checks the port is one of the server's interfaces and starts
the ``detach-interface`` flow. Both run through the server actions'
:meth:`~nova_lite.compute.server_actions_api.ServerActionsAPI.run_host_action`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from nova_lite.clients import payloads, protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import server_actions_api

Prepare = Callable[[dict[str, Any]], tuple[dict[str, Any], Callable[[], None]]]

AMBIGUOUS = 'Multiple possible networks found, use a Network ID to be more specific.'


def device_owner(instance: dict[str, Any]) -> str:
    return f'compute:{instance.get("availability_zone") or "nova"}'


def attachment_view(port: payloads.Port | dict[str, Any]) -> dict[str, Any]:
    """A port as an ``interfaceAttachment`` (without the 2.70 tag)."""
    return {'net_id': port['network_id'], 'port_id': port['id'],
            'mac_addr': port['mac_address'], 'port_state': port.get('status') or 'DOWN',
            'fixed_ips': [{'subnet_id': ip['subnet_id'], 'ip_address': ip['ip_address']}
                          for ip in port.get('fixed_ips') or []]}


class InterfaceAttachments:
    """The reads, checks and arguments of attach and detach (the user's token)."""

    def __init__(self, networks: protocols.NetworkClient,
                 actions: server_actions_api.ServerActionsAPI) -> None:
        self._networks = networks
        self._actions = actions

    # Reads ---------------------------------------------------------------------------

    def list(self, ctx: nl_context.RequestContext,
             instance: dict[str, Any]) -> list[dict[str, Any]]:
        """The server's ports (the network service's view: device_id is the server)."""
        return [dict(port) for port in self._networks.list_ports(ctx,
                                                                 device_id=instance['id'])]

    def show(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
             port_id: str) -> dict[str, Any]:
        """One of the server's ports; 404 when the port is unknown or not the server's."""
        try:
            port = dict(self._networks.get_port(ctx, port_id))
        except exception.NotFound:
            raise exception.NotFound(message=f'Port {port_id} could not be found.') from None
        if port.get('device_id') != instance['id']:
            raise exception.NotFound(message=f'Instance {instance["id"]} is not attached '
                                             f'to port {port_id}.')
        return port

    # Attach --------------------------------------------------------------------------

    def _pick_network(self, ctx: nl_context.RequestContext) -> str:
        """The one network the project can attach to (nova's rule: its own, else the
        shared ones); 400 when there is none or more than one."""
        networks = self._networks.list_networks(ctx)
        own = [n for n in networks if n.get('project_id') == ctx.project_id
               and not n.get('shared')]
        candidates = own or [n for n in networks if n.get('shared')]
        if not candidates:
            raise exception.InvalidInput(
                field='interfaceAttachment.net_id',
                reason=f'no network was requested and none is available for project '
                       f'{ctx.project_id}')
        if len(candidates) > 1:
            raise exception.Invalid(message=AMBIGUOUS)
        return str(candidates[0]['id'])

    def _check_port(self, ctx: nl_context.RequestContext, port_id: str) -> dict[str, Any]:
        try:
            port = dict(self._networks.get_port(ctx, port_id))
        except exception.NotFound:
            raise exception.NotFound(message=f'Port {port_id} could not be found.') from None
        if port.get('device_id'):
            raise exception.Conflict(message=f'Port {port_id} is still in use.')
        return port

    def _check_network(self, ctx: nl_context.RequestContext, network_id: str) -> None:
        try:
            self._networks.get_network(ctx, network_id)
        except exception.NotFound:
            raise exception.NotFound(
                message=f'Network {network_id} could not be found.') from None

    def attach(self, ctx: nl_context.RequestContext, server_id: str, *,
               net_id: str | None = None, port_id: str | None = None,
               fixed_ip: str | None = None, tag: str | None = None) -> dict[str, Any]:
        """Attach a port (the user's, or a new one on a network) to a booted server.

        Returns the port as it is when the flow is cast (202 semantics; nova
        answers 200 with it). 404 unknown port or network, 409 port in use,
        fixed IP taken or server not ACTIVE, PAUSED or SHUTOFF.
        """
        if net_id and port_id:
            raise exception.Invalid(message='Must not input both network_id and port_id')
        if fixed_ip and not net_id:
            raise exception.Invalid(message='Must input network_id when request IP address')
        if fixed_ip:
            try:
                ipaddress.ip_address(fixed_ip)
            except ValueError:
                raise exception.InvalidInput(
                    field='interfaceAttachment.fixed_ips.0.ip_address',
                    reason=f'{fixed_ip!r} is not an IP address') from None
        if port_id:
            self._check_port(ctx, port_id)
        else:
            net_id = net_id or self._pick_network(ctx)
            self._check_network(ctx, net_id)
        made: list[dict[str, Any]] = []

        def prepare(instance: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            port = (self._reserve(ctx, instance, port_id) if port_id
                    else self._create(ctx, instance, str(net_id), fixed_ip))
            made.append(port)
            args = {'port_id': port['id'], 'created': not port_id, 'tag': tag}
            return args, lambda: self._release(ctx, port['id'], created=not port_id)

        self._actions.run_host_action(ctx, server_id, 'attach-interface',
                                      'attaching an interface', prepare)
        return made[0]

    def _create(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                network_id: str, fixed_ip: str | None) -> dict[str, Any]:
        fixed_ips = [{'ip_address': fixed_ip}] if fixed_ip else None
        try:
            return dict(self._networks.create_port(
                ctx, network_id=network_id, fixed_ips=fixed_ips, device_id=instance['id'],
                device_owner=device_owner(instance)))
        except exception.IpAddressExhausted as exc:
            raise exception.InvalidInput(field='interfaceAttachment.net_id',
                                         reason=exc.message) from None
        except exception.Conflict as exc:
            raise exception.Conflict(message=f'Fixed IP {fixed_ip} is already in use: '
                                             f'{exc.message}') from None

    def _reserve(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                 port_id: str) -> dict[str, Any]:
        self._check_port(ctx, port_id)  # again: another attach may have taken it
        port = dict(self._networks.update_port(ctx, port_id, device_id=instance['id'],
                                               device_owner=device_owner(instance)))
        return port

    def _release(self, ctx: nl_context.RequestContext, port_id: str, *, created: bool) -> None:
        if created:
            self._networks.delete_port(ctx, port_id)
        else:
            self._networks.update_port(ctx, port_id, device_id='', device_owner='')

    # Detach --------------------------------------------------------------------------

    def detach(self, ctx: nl_context.RequestContext, server_id: str, port_id: str,
               get_server: Callable[[nl_context.RequestContext, str], dict[str, Any]],
               ) -> None:
        """Detach one of the server's interfaces (202 semantics; 404 if it is not one).

        The interface is checked before the server is marked, so a 404 changes
        nothing.
        """
        instance = get_server(ctx, server_id)
        if not any(vif.get('port_id') == port_id for vif in instance['network_info']):
            raise exception.NotFound(message=f'Port {port_id} is not attached to server '
                                             f'{instance["id"]}.')

        def prepare(marked: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None]]:
            return {'port_id': port_id}, lambda: None

        self._actions.run_host_action(ctx, server_id, 'detach-interface',
                                      'detaching an interface', prepare)
