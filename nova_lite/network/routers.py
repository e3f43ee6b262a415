"""Routers: an external gateway (a port on an external network), interfaces (ports
holding a subnet's gateway address) and extra routes, as neutron shapes them."""

from __future__ import annotations

import ipaddress
import random
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import network as models
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.network import (
    access,
    agent_scheduling,
    external,
    ipam,
    ipv6_modes,
    l3_errors,
    l3_ports,
    listing,
    revisions,
    router_routes,
    tags,
    validators,
)
from nova_lite.network import quotas as quota_engine

ROUTER_FILTERS: dict[str, listing.Condition] = {
    name: (lambda column: (lambda values: column.in_(values)))(getattr(l3_models.Router, name))
    for name in ('id', 'name', 'project_id', 'status', 'admin_state_up', 'description')}
ROUTER_FILTERS.update(tags.filter_conditions(l3_models.Router.id))

_SORT_KEYS = listing.sort_columns(l3_models.Router, {'gw_port_id': '', 'enable_snat': ''})


def visible_routers(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    if access.is_admin(ctx):
        return sa.true()
    return l3_models.Router.project_id == ctx.project_id


def get_router(session: orm.Session, ctx: nl_context.RequestContext, router_id: Any,
               lock: bool = False) -> l3_models.Router:
    validators.existing_id('Router', router_id)
    statement = sa.select(l3_models.Router).where(l3_models.Router.id == router_id,
                                                  visible_routers(ctx))
    row = session.scalars(statement.with_for_update() if lock else statement).first()
    if row is None:
        raise exception.NotFound(resource='Router', id=router_id)
    return row


def interface_ports(session: orm.Session, router_ids: list[str]) -> dict[str, list[models.Port]]:
    result: dict[str, list[models.Port]] = defaultdict(list)
    if router_ids:
        for port in session.scalars(sa.select(models.Port).where(
                models.Port.device_id.in_(router_ids),
                models.Port.device_owner == external.ROUTER_INTERFACE)
                .order_by(models.Port.created_at, models.Port.id)):
            result[port.device_id].append(port)
    return result


def _interface_subnets(session: orm.Session, router_id: str) -> dict[str, str]:
    """subnet id -> the interface port holding an address on it."""
    ports = interface_ports(session, [router_id])[router_id]
    fixed = l3_ports.fixed_ips(session, [port.id for port in ports])
    return {subnet_id: port.id for port in ports for subnet_id, _ in fixed[port.id]}


def _subnet_cidrs(session: orm.Session, subnet_ids: list[str]) -> list[ipam.IPNetwork]:
    if not subnet_ids:
        return []
    return [ipam.parse_network(cidr) for cidr in session.scalars(
        sa.select(models.Subnet.cidr).where(models.Subnet.id.in_(subnet_ids)))]


def _router_dict(session: orm.Session, row: l3_models.Router) -> dict[str, Any]:
    gateway = None
    if row.gw_port_id is not None:
        port = session.get_one(models.Port, row.gw_port_id)
        gateway = {'network_id': port.network_id, 'enable_snat': row.enable_snat,
                   'external_fixed_ips': [
                       {'subnet_id': subnet_id, 'ip_address': address}
                       for subnet_id, address in l3_ports.fixed_ips(session, [port.id])[port.id]]}
    created = timeutils.isotime(row.created_at)
    return {'id': row.id, 'name': row.name, 'description': row.description,
            'project_id': row.project_id, 'tenant_id': row.project_id,
            'admin_state_up': row.admin_state_up, 'status': row.status,
            'external_gateway_info': gateway,
            'routes': [dict(route) for route in row.routes or []],
            'tags': tags.of(session, [row.id]).get(row.id, []),
            'revision_number': row.revision_number, 'created_at': created,
            'updated_at': timeutils.isotime(row.updated_at) if row.updated_at else created}


class RouterMethods:
    """The router half of the network manager (mixed into NetworkManager)."""

    conf: cfg.ConfigOpts
    db: db_api.Database
    quotas: quota_engine.NetworkQuotas
    rng: random.Random

    def create_router(self, ctx: nl_context.RequestContext, name: str = '',
                      admin_state_up: bool = True, description: str = '',
                      external_gateway_info: dict[str, Any] | None = None, *,
                      project_id: str | None = None) -> dict[str, Any]:
        """A router of the caller's project (or, for an admin, of ``project_id``),
        with a gateway port on the external network of ``external_gateway_info``."""
        validators.string('name', name)
        validators.string('description', description)
        validators.boolean('admin_state_up', admin_state_up)
        owner = l3_ports.owner_project(ctx, project_id)
        with self.db.session() as session:
            row = l3_models.Router(name=name, description=description, project_id=owner,
                                   admin_state_up=admin_state_up, status='ACTIVE', routes=[])
            session.add(row)
            session.flush()
            if external_gateway_info:
                self._set_gateway(session, ctx, row, external_gateway_info)
            agent_scheduling.schedule_router(session, row.id, self.conf.network.agent_down_time)
            session.flush()
            self.quotas.check(session, owner, quota_engine.ROUTER)
            return _router_dict(session, row)

    def get_router(self, ctx: nl_context.RequestContext, router_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            return _router_dict(session, get_router(session, ctx, router_id))

    def page_routers(self, ctx: nl_context.RequestContext, filters: listing.Filters = (),
                     request: paging.PageRequest = paging.EVERYTHING,
                     ) -> paging.Page[dict[str, Any]]:
        statement = listing.filtered(
            sa.select(l3_models.Router).where(visible_routers(ctx)), ROUTER_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(session, statement,
                                        listing.order(l3_models.Router, request.sort,
                                                      _SORT_KEYS),
                                        request, l3_models.Router.id)
            return paging.Page([_router_dict(session, row) for row in page.items],
                               page.next_marker)

    def update_router(self, ctx: nl_context.RequestContext, router_id: str, *,
                      name: str | None = None, admin_state_up: bool | None = None,
                      description: str | None = None,
                      external_gateway_info: dict[str, Any] | None = None,
                      routes: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """Change the given attributes (None leaves one as it is); an empty
        ``external_gateway_info`` clears the gateway."""
        changes: dict[str, Any] = {}
        for field, value in (('name', name), ('description', description)):
            if value is not None:
                changes[field] = validators.string(field, value)
        if admin_state_up is not None:
            changes['admin_state_up'] = validators.boolean('admin_state_up', admin_state_up)
        checked_routes = None if routes is None else router_routes.check(routes)
        with self.db.session() as session:
            row = get_router(session, ctx, router_id, lock=True)
            revisions.check(row)
            for field, value in changes.items():
                setattr(row, field, value)
            if external_gateway_info is not None:
                self._set_gateway(session, ctx, row, external_gateway_info)
            if checked_routes is not None:
                self._check_nexthops(session, row, checked_routes)
                row.routes = checked_routes
            row.updated_at = timeutils.utcnow()
            session.flush()
            return _router_dict(session, row)

    def delete_router(self, ctx: nl_context.RequestContext, router_id: str) -> None:
        """Delete a router and its gateway port; a 409 while it has interfaces."""
        with self.db.session() as session:
            row = get_router(session, ctx, router_id, lock=True)
            interfaces = interface_ports(session, [row.id])[row.id]
            if interfaces:
                raise l3_errors.RouterInUse(
                    id=row.id, reason=f'still has ports: {len(interfaces)} interface(s)')
            self._clear_gateway(session, row)
            tags.forget(session, [row.id])
            session.delete(row)

    def add_router_interface(self, ctx: nl_context.RequestContext, router_id: str, *,
                             subnet_id: str | None = None,
                             port_id: str | None = None) -> dict[str, Any]:
        """Attach a subnet (a new port with its gateway address) or an unused port."""
        if (subnet_id is None) == (port_id is None):
            raise exception.InvalidInput(field='subnet_id',
                                         reason='give either subnet_id or port_id')
        with self.db.session() as session:
            router = get_router(session, ctx, router_id, lock=True)
            revisions.check(router)
            attached = _interface_subnets(session, router.id)
            if subnet_id is not None:
                port = self._subnet_interface(session, ctx, router, subnet_id, attached)
            else:
                port = self._port_interface(session, ctx, router, port_id, attached)
            router.updated_at = timeutils.utcnow()
            session.flush()
            return self._interface_info(session, router, port)

    def remove_router_interface(self, ctx: nl_context.RequestContext, router_id: str, *,
                                subnet_id: str | None = None,
                                port_id: str | None = None) -> dict[str, Any]:
        """Detach an interface (by subnet or port) and delete its port."""
        if subnet_id is None and port_id is None:
            raise exception.InvalidInput(field='subnet_id',
                                         reason='give subnet_id or port_id')
        with self.db.session() as session:
            router = get_router(session, ctx, router_id, lock=True)
            revisions.check(router)
            attached = _interface_subnets(session, router.id)
            if port_id is not None:
                ports = {p.id: p for p in interface_ports(session, [router.id])[router.id]}
                if port_id not in ports:
                    raise l3_errors.RouterInterfaceNotFound(router_id=router.id,
                                                            port_id=port_id)
                port = ports[port_id]
                if subnet_id is not None and attached.get(subnet_id) != port.id:
                    raise l3_errors.RouterInterfaceNotFoundForSubnet(router_id=router.id,
                                                                     subnet_id=subnet_id)
            else:
                if subnet_id not in attached:
                    raise l3_errors.RouterInterfaceNotFoundForSubnet(router_id=router.id,
                                                                     subnet_id=subnet_id)
                port = session.get_one(models.Port, attached[str(subnet_id)])
            info = self._interface_info(session, router, port)
            self._check_interface_unused(session, router, info['subnet_ids'])
            l3_ports.delete_port_row(session, port)
            router.updated_at = timeutils.utcnow()
            return info

    # -- helpers ------------------------------------------------------------------

    def _set_gateway(self, session: orm.Session, ctx: nl_context.RequestContext,
                     router: l3_models.Router, info: dict[str, Any]) -> None:
        """Replace the router's gateway with ``info`` (``{}`` clears it)."""
        if not isinstance(info, dict):
            raise exception.InvalidInput(field='external_gateway_info',
                                         reason='must be an object')
        if not info or info.get('network_id') is None:
            if info and set(info) - {'network_id'}:
                raise exception.InvalidInput(field='external_gateway_info.network_id',
                                             reason='is required')
            self._clear_gateway(session, router)
            return
        network = access.get_network(session, ctx, info['network_id'], lock='share')
        if network.id not in external.external_ids(session, [network.id]):
            raise exception.InvalidInput(
                field='external_gateway_info.network_id',
                reason=f'network {network.id} is not a valid external network')
        snat = info.get('enable_snat', True)
        validators.boolean('external_gateway_info.enable_snat', snat)
        fixed = info.get('external_fixed_ips')
        current = session.get(models.Port, router.gw_port_id) if router.gw_port_id else None
        if current is not None and current.network_id == network.id and fixed is None:
            router.enable_snat = snat
            return
        if current is not None and current.network_id != network.id:
            self._clear_gateway(session, router)
        elif current is not None:
            self._clear_gateway(session, router, keep_floating_ips=True)
        entries = None if fixed is None else validators.list_of_dicts(
            'external_gateway_info.external_fixed_ips', fixed,
            frozenset({'subnet_id', 'ip_address'}))
        port = l3_ports.create_port_row(
            l3_ports.port_methods(self), session, network, entries, project_id='',
            device_id=router.id, device_owner=external.ROUTER_GATEWAY)
        port.status = 'ACTIVE'
        router.gw_port_id = port.id
        router.enable_snat = snat
        session.flush()

    def _clear_gateway(self, session: orm.Session, router: l3_models.Router, *,
                       keep_floating_ips: bool = False) -> None:
        if router.gw_port_id is None:
            return
        port = session.get_one(models.Port, router.gw_port_id)
        if not keep_floating_ips:
            used = session.scalar(sa.select(sa.func.count()).where(
                l3_models.FloatingIP.router_id == router.id))
            if used:
                raise l3_errors.RouterExternalGatewayInUseByFloatingIp(
                    router_id=router.id, net_id=port.network_id)
        router.gw_port_id = None
        session.flush()
        l3_ports.delete_port_row(session, port)

    def _subnet_interface(self, session: orm.Session, ctx: nl_context.RequestContext,
                          router: l3_models.Router, subnet_id: str,
                          attached: dict[str, str]) -> models.Port:
        subnet = access.get_subnet(session, ctx, subnet_id, lock='share')
        if subnet.id in attached:
            raise exception.InvalidInput(
                field='subnet_id', reason=f'router {router.id} already has a port on subnet '
                                          f'{subnet.id}')
        if not subnet.gateway_ip:
            raise exception.InvalidInput(
                field='subnet_id', reason=f'subnet {subnet.id} has no gateway IP; add it by '
                                          'port instead')
        ipv6_modes.check_router_interface(subnet)
        self._check_no_overlap(session, router, [subnet], attached)
        network = session.get_one(models.Network, subnet.network_id)
        port = l3_ports.create_port_row(
            l3_ports.port_methods(self), session, network,
            [{'subnet_id': subnet.id, 'ip_address': subnet.gateway_ip}],
            project_id=router.project_id, device_id=router.id,
            device_owner=external.ROUTER_INTERFACE, gateway_allowed=True)
        port.status = 'ACTIVE'
        return port

    def _port_interface(self, session: orm.Session, ctx: nl_context.RequestContext,
                        router: l3_models.Router, port_id: Any,
                        attached: dict[str, str]) -> models.Port:
        port = access.get_port(session, ctx, port_id, lock='update')
        if port.device_id or port.device_owner:
            raise l3_errors.PortInUse(port_id=port.id, device_owner=port.device_owner,
                                      device_id=port.device_id)
        fixed = l3_ports.fixed_ips(session, [port.id])[port.id]
        if not fixed:
            raise exception.InvalidInput(field='port_id',
                                         reason=f'port {port.id} has no fixed IP addresses')
        subnet_ids = sorted({subnet_id for subnet_id, _ in fixed})
        for subnet_id in subnet_ids:
            if subnet_id in attached:
                raise exception.InvalidInput(
                    field='port_id', reason=f'router {router.id} already has a port on '
                                            f'subnet {subnet_id}')
        subnets = list(session.scalars(sa.select(models.Subnet)
                                       .where(models.Subnet.id.in_(subnet_ids))))
        self._check_no_overlap(session, router, subnets, attached)
        port.device_id = router.id
        port.device_owner = external.ROUTER_INTERFACE
        port.status = 'ACTIVE'
        return port

    def _check_no_overlap(self, session: orm.Session, router: l3_models.Router,
                          subnets: list[models.Subnet], attached: dict[str, str]) -> None:
        existing = _subnet_cidrs(session, list(attached))
        for subnet in subnets:
            cidr = ipam.parse_network(subnet.cidr)
            for other in existing:
                if other.version == cidr.version and other.overlaps(cidr):
                    raise exception.InvalidInput(
                        field='subnet_id',
                        reason=f'subnet {subnet.id} ({cidr}) overlaps subnet {other} already '
                               f'on router {router.id}')

    def _check_nexthops(self, session: orm.Session, router: l3_models.Router,
                        routes: list[dict[str, str]]) -> None:
        cidrs = _subnet_cidrs(session, list(_interface_subnets(session, router.id)))
        if router.gw_port_id:
            cidrs += _subnet_cidrs(session, [subnet_id for subnet_id, _ in l3_ports.fixed_ips(
                session, [router.gw_port_id])[router.gw_port_id]])
        for index, route in enumerate(routes):
            nexthop = ipaddress.ip_address(route['nexthop'])
            if not any(nexthop in cidr for cidr in cidrs):
                raise l3_errors.InvalidRoutes(
                    field=f'routes.{index}.nexthop',
                    reason=f'the nexthop {nexthop} of route {route} is not connected to '
                           f'router {router.id}')

    def _check_interface_unused(self, session: orm.Session, router: l3_models.Router,
                                subnet_ids: list[str]) -> None:
        cidrs = _subnet_cidrs(session, subnet_ids)
        for route in router.routes or []:
            if any(ipaddress.ip_address(route['nexthop']) in cidr for cidr in cidrs):
                raise l3_errors.RouterInterfaceInUseByRoute(router_id=router.id,
                                                            subnet_id=subnet_ids[0])
        floating = session.scalar(sa.select(sa.func.count()).where(
            l3_models.FloatingIP.router_id == router.id,
            l3_models.FloatingIP.fixed_port_id.in_(
                sa.select(models.IPAllocation.port_id)
                .where(models.IPAllocation.subnet_id.in_(subnet_ids)))))
        if floating:
            raise l3_errors.RouterInterfaceInUseByFloatingIP(router_id=router.id,
                                                             subnet_id=subnet_ids[0])

    def _interface_info(self, session: orm.Session, router: l3_models.Router,
                        port: models.Port) -> dict[str, Any]:
        subnet_ids = [subnet_id for subnet_id, _ in
                      l3_ports.fixed_ips(session, [port.id])[port.id]]
        return {'id': router.id, 'tenant_id': router.project_id,
                'project_id': router.project_id, 'port_id': port.id,
                'network_id': port.network_id,
                'subnet_id': subnet_ids[0] if subnet_ids else None,
                'subnet_ids': subnet_ids}
