"""Nova's floating IP proxy (2.1 to 2.35; 404 from 2.36) and the server actions
``addFloatingIp``/``removeFloatingIp`` (2.1 to 2.43; 404 from 2.44).

Each call is the network service's (with the caller's token): a pool is an
external network (named or by id), a floating IP a neutron floating IP in
nova's view (``ip``, ``fixed_ip``, ``instance_id``, ``pool``). An association
also writes the address into the server's ``network_info`` so that the
server's addresses show it as ``OS-EXT-IPS:type: floating``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import webob

from nova_lite.api import controller, routing, validation, wsgi
from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute.rest import base, security_groups, version_changes
from nova_lite.compute.rest import proxy_policies as policies

ACTIONS = ('addFloatingIp', 'removeFloatingIp')
_ADDRESS: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 64}
ACTION_SCHEMAS: dict[str, dict[str, Any]] = {
    'addFloatingIp': {'type': 'object', 'required': ['address'], 'additionalProperties': False,
                      'properties': {'address': _ADDRESS, 'fixed_address': _ADDRESS}},
    'removeFloatingIp': {'type': 'object', 'required': ['address'],
                         'additionalProperties': False, 'properties': {'address': _ADDRESS}},
}
_CREATE: dict[str, Any] = {'type': ['object', 'null'], 'additionalProperties': False,
                           'properties': {'pool': {'type': ['string', 'null'],
                                                   'maxLength': 255}}}


class FloatingIpPoolNotFound(exception.NotFound):
    msg_fmt = 'Floating IP pool not found.'


class FloatingIpLimitExceeded(exception.Forbidden):
    msg_fmt = 'IP allocation over quota in pool %(pool)s.'


def floating_ip_view(fip: Mapping[str, Any], pool: str,
                     instance_id: str | None) -> dict[str, Any]:
    return {'id': fip['id'], 'ip': fip['floating_ip_address'],
            'fixed_ip': fip.get('fixed_ip_address'), 'instance_id': instance_id, 'pool': pool}


def pools(networks: protocols.NetworkClient,
          ctx: nl_context.RequestContext) -> list[dict[str, Any]]:
    """The external networks the caller sees (nova's floating IP pools)."""
    return [dict(n) for n in networks.list_networks(ctx)
            if dict(n).get('router:external')]


class FloatingIPsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._networks = rest.services.network_proxy

    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-floating-ips', self.index),
                ('POST', '/os-floating-ips', self.create),
                ('GET', '/os-floating-ips/{floating_ip_id}', self.show),
                ('DELETE', '/os-floating-ips/{floating_ip_id}', self.delete),
                ('GET', '/os-floating-ip-pools', self.pools)]

    def _allowed(self, req: wsgi.Request, rule: str) -> None:
        base.removed_at(req, version_changes.PROXY_APIS_REMOVED)
        self.authorizer.authorize(req.context, rule,
                                  project_id=req.context.project_id)

    def _view(self, ctx: nl_context.RequestContext, fip: Mapping[str, Any],
              names: dict[str, str] | None = None) -> dict[str, Any]:
        if names is None:
            names = {n['id']: n.get('name') or n['id'] for n in pools(self._networks, ctx)}
        instance_id = None
        if fip.get('port_id'):
            try:
                instance_id = self._networks.get_port(ctx, fip['port_id']).get('device_id') \
                    or None
            except exception.NotFound:
                instance_id = None
        network_id = fip['floating_network_id']
        return floating_ip_view(fip, names.get(network_id, network_id), instance_id)

    def _get(self, ctx: nl_context.RequestContext, floating_ip_id: str) -> Any:
        try:
            return self._networks.get_floatingip(ctx, floating_ip_id)
        except exception.NotFound:
            raise exception.NotFound(
                message=f'Floating IP not found for ID {floating_ip_id}') from None

    def index(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.FLOATING_IPS_VIEW)
        ctx = req.context
        names = {n['id']: n.get('name') or n['id'] for n in pools(self._networks, ctx)}
        return wsgi.json_response(200, {'floating_ips': [
            self._view(ctx, fip, names)
            for fip in self._networks.list_floatingips(ctx, project_id=ctx.project_id)]})

    def show(self, req: wsgi.Request, floating_ip_id: str) -> webob.Response:
        self._allowed(req, policies.FLOATING_IPS_VIEW)
        return wsgi.json_response(200, {'floating_ip': self._view(
            req.context, self._get(req.context, floating_ip_id))})

    def create(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.FLOATING_IPS_MANAGE)
        ctx = req.context
        body = controller.read_body(req, _CREATE) or {}
        wanted = body.get('pool')
        externals = pools(self._networks, ctx)
        chosen = [n for n in externals if wanted in (None, n['id'], n.get('name'))]
        if not chosen:
            raise FloatingIpPoolNotFound()
        try:
            fip = self._networks.create_floatingip(ctx, floating_network_id=chosen[0]['id'])
        except exception.Conflict as exc:
            if security_groups.network_over_quota(exc):
                raise FloatingIpLimitExceeded(pool=chosen[0].get('name') or chosen[0]['id'],
                                              ) from exc
            raise
        return wsgi.json_response(200, {'floating_ip': self._view(ctx, fip)})

    def delete(self, req: wsgi.Request, floating_ip_id: str) -> webob.Response:
        self._allowed(req, policies.FLOATING_IPS_MANAGE)
        self._get(req.context, floating_ip_id)
        self._networks.delete_floatingip(req.context, floating_ip_id)
        return wsgi.json_response(202)

    def pools(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.FLOATING_IP_POOLS)
        return wsgi.json_response(200, {'floating_ip_pools': [
            {'name': n.get('name') or n['id']} for n in pools(self._networks, req.context)]})


class FloatingIPActions:
    """``addFloatingIp`` and ``removeFloatingIp`` of ``POST /servers/{id}/action``."""

    def __init__(self, rest: base.ComputeRest) -> None:
        self._networks = rest.services.network_proxy
        self._instances = rest.services.instances

    def run(self, req: wsgi.Request, instance: dict[str, Any], name: str,
            args: dict[str, Any]) -> webob.Response:
        base.removed_at(req, version_changes.FLOATING_IP_ACTIONS_GONE)
        validation.validate(ACTION_SCHEMAS[name], args)
        ctx = req.context
        matches = self._networks.list_floatingips(ctx, floating_ip_address=args['address'])
        if not matches:
            raise exception.NotFound(
                message=f"floating IP {args['address']} not found")
        fip = matches[0]
        if name == 'addFloatingIp':
            self._add(ctx, instance, fip, args.get('fixed_address'))
        else:
            self._remove(ctx, instance, fip)
        return wsgi.json_response(202)

    def _add(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
             fip: Mapping[str, Any], fixed_address: str | None) -> None:
        ports = self._networks.list_ports(ctx, device_id=instance['id'])
        chosen = None
        for port in ports:
            addresses = [ip['ip_address'] for ip in port.get('fixed_ips') or []]
            if addresses and (fixed_address is None or fixed_address in addresses):
                chosen = port
                break
        if chosen is None:
            raise exception.InvalidInput(
                field='addFloatingIp.fixed_address',
                reason=f"server {instance['id']} has no port with "
                       f"{fixed_address or 'a fixed IP'}")
        try:
            self._networks.update_floatingip(
                ctx, fip['id'], port_id=chosen['id'],
                **({'fixed_ip_address': fixed_address} if fixed_address else {}))
        except (exception.Conflict, exception.NotFound) as exc:
            # Nova answers 400 when the network service cannot associate the address.
            raise exception.Invalid(reason=exc.message) from exc
        self._show_floating(ctx, instance['id'])
        previous = self._previous_server(ctx, fip)
        if previous not in (None, instance['id']):
            self._show_floating(ctx, str(previous))

    def _previous_server(self, ctx: nl_context.RequestContext,
                         fip: Mapping[str, Any]) -> str | None:
        """The server whose port the address was on before (it moves on association)."""
        if not fip.get('port_id'):
            return None
        try:
            return self._networks.get_port(ctx, fip['port_id']).get('device_id') or None
        except exception.NotFound:
            return None

    def _remove(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                fip: Mapping[str, Any]) -> None:
        port_ids = {p['id'] for p in self._networks.list_ports(ctx, device_id=instance['id'])}
        if fip.get('port_id') not in port_ids:
            raise exception.Conflict(
                reason=f"floating IP {fip['floating_ip_address']} is not associated with "
                       f"server {instance['id']}")
        self._networks.update_floatingip(ctx, fip['id'], port_id=None)
        self._show_floating(ctx, instance['id'])

    def _show_floating(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        """Write the server's floating addresses (per port) into its network_info."""
        try:
            instance = self._instances.get(instance_id)
        except exception.NotFound:
            return  # not a server (or gone): nothing shows its addresses
        by_port: dict[str, list[str]] = {}
        for vif in instance['network_info']:
            if vif.get('port_id'):
                by_port[vif['port_id']] = [
                    f['floating_ip_address'] for f in
                    self._networks.list_floatingips(ctx, port_id=vif['port_id'])]
        network_info = [{**vif, 'floating_ips': by_port.get(vif.get('port_id') or '', [])}
                        for vif in instance['network_info']]
        self._instances.update(instance_id, network_info=network_info)
