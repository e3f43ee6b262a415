"""Floating IPs: an address of an external network (held by a ``network:floatingip``
port, so IPAM allocates it), associated with a fixed IP of a port that a router
connects to that external network."""

from __future__ import annotations

import ipaddress
import random
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import base as models_base
from nova_lite.db.models import network as models
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.network import (
    access,
    external,
    l3_errors,
    l3_ports,
    listing,
    revisions,
    tags,
    validators,
)
from nova_lite.network import quotas as quota_engine

ACTIVE = 'ACTIVE'
DOWN = 'DOWN'
UNSET: Any = object()
"""``port_id`` not given to an update (None disassociates)."""

_FIP = l3_models.FloatingIP
FLOATINGIP_FILTERS: dict[str, listing.Condition] = {
    key: (lambda column: (lambda values: column.in_(values)))(getattr(_FIP, name))
    for key, name in (('id', 'id'), ('project_id', 'project_id'), ('status', 'status'),
                      ('description', 'description'),
                      ('floating_network_id', 'floating_network_id'),
                      ('floating_ip_address', 'floating_ip_address'),
                      ('port_id', 'fixed_port_id'), ('fixed_ip_address', 'fixed_ip_address'),
                      ('router_id', 'router_id'))}
FLOATINGIP_FILTERS.update(tags.filter_conditions(_FIP.id))

_SORT_KEYS = listing.sort_columns(_FIP, {'port_id': 'fixed_port_id',
                                         'floating_port_id': ''})


def visible_floating_ips(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    if access.is_admin(ctx):
        return sa.true()
    return _FIP.project_id == ctx.project_id


def _get(session: orm.Session, ctx: nl_context.RequestContext, floatingip_id: Any,
         lock: bool = False) -> l3_models.FloatingIP:
    validators.existing_id('FloatingIP', floatingip_id)
    statement = sa.select(_FIP).where(_FIP.id == floatingip_id, visible_floating_ips(ctx))
    row = session.scalars(statement.with_for_update() if lock else statement).first()
    if row is None:
        raise exception.NotFound(resource='FloatingIP', id=floatingip_id)
    return row


def _floating_ip_dict(row: l3_models.FloatingIP) -> dict[str, Any]:
    created = timeutils.isotime(row.created_at)
    return {'id': row.id, 'project_id': row.project_id, 'tenant_id': row.project_id,
            'description': row.description, 'floating_network_id': row.floating_network_id,
            'floating_ip_address': row.floating_ip_address, 'port_id': row.fixed_port_id,
            'fixed_ip_address': row.fixed_ip_address, 'router_id': row.router_id,
            'status': row.status, 'revision_number': row.revision_number,
            'created_at': created,
            'updated_at': timeutils.isotime(row.updated_at) if row.updated_at else created}


def _router_for(session: orm.Session, network_id: str, subnet_id: str) -> str | None:
    """A router with a gateway on ``network_id`` and an interface on ``subnet_id``."""
    gateway = orm.aliased(models.Port)
    interface = orm.aliased(models.Port)
    return session.scalar(
        sa.select(l3_models.Router.id)
        .join(gateway, gateway.id == l3_models.Router.gw_port_id)
        .join(interface, sa.and_(interface.device_id == l3_models.Router.id,
                                 interface.device_owner == external.ROUTER_INTERFACE))
        .join(models.IPAllocation, models.IPAllocation.port_id == interface.id)
        .where(gateway.network_id == network_id, models.IPAllocation.subnet_id == subnet_id)
        .order_by(l3_models.Router.created_at, l3_models.Router.id).limit(1))


class FloatingIPMethods:
    """The floating IP part of the network manager (mixed into NetworkManager)."""

    conf: cfg.ConfigOpts
    db: db_api.Database
    quotas: quota_engine.NetworkQuotas
    rng: random.Random

    def create_floatingip(self, ctx: nl_context.RequestContext, floating_network_id: str, *,
                          port_id: str | None = None, fixed_ip_address: str | None = None,
                          floating_ip_address: str | None = None,
                          subnet_id: str | None = None, description: str = '',
                          project_id: str | None = None) -> dict[str, Any]:
        """Allocate an address of the external network ``floating_network_id``, and
        associate it with ``port_id`` when one is given (one transaction)."""
        validators.string('description', description)
        owner = l3_ports.owner_project(ctx, project_id)
        with self.db.session() as session:
            network = access.get_network(session, ctx, floating_network_id, lock='share')
            if network.id not in external.external_ids(session, [network.id]):
                raise exception.InvalidInput(
                    field='floating_network_id',
                    reason=f'network {network.id} is not a valid external network')
            entry: dict[str, Any] = {}
            if subnet_id is not None:
                entry['subnet_id'] = subnet_id
            if floating_ip_address is not None:
                entry['ip_address'] = floating_ip_address
            row = _FIP(id=models_base.new_uuid(), project_id=owner, description=description,
                       floating_network_id=network.id, status=DOWN)
            port = l3_ports.create_port_row(
                l3_ports.port_methods(self), session, network, [entry] if entry else None,
                project_id='', device_id=row.id, device_owner=external.FLOATING_IP)
            addresses = l3_ports.fixed_ips(session, [port.id])[port.id]
            if not addresses:
                raise exception.InvalidInput(
                    field='floating_network_id',
                    reason=f'external network {network.id} has no subnet to allocate from')
            port.status = 'N/A'
            row.floating_port_id = port.id
            row.floating_ip_address = addresses[0][1]
            session.add(row)
            session.flush()
            if port_id is not None:
                self._associate(session, ctx, row, port_id, fixed_ip_address)
            elif fixed_ip_address is not None:
                raise exception.InvalidInput(field='fixed_ip_address',
                                             reason='needs port_id')
            session.flush()
            self.quotas.check(session, owner, quota_engine.FLOATINGIP)
            return tags.fill(session, [_floating_ip_dict(row)])[0]

    def get_floatingip(self, ctx: nl_context.RequestContext,
                       floatingip_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            return tags.fill(session, [_floating_ip_dict(_get(session, ctx, floatingip_id))])[0]

    def page_floatingips(self, ctx: nl_context.RequestContext, filters: listing.Filters = (),
                         request: paging.PageRequest = paging.EVERYTHING,
                         ) -> paging.Page[dict[str, Any]]:
        statement = listing.filtered(sa.select(_FIP).where(visible_floating_ips(ctx)),
                                     FLOATINGIP_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(
                session, statement, listing.order(_FIP, request.sort, _SORT_KEYS),
                request, _FIP.id)
            return paging.Page(tags.fill(session, [_floating_ip_dict(row) for row in page.items]),
                               page.next_marker)

    def update_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str, *,
                          port_id: Any = UNSET, fixed_ip_address: str | None = None,
                          description: str | None = None) -> dict[str, Any]:
        """Associate with ``port_id``, disassociate (``port_id`` None), or change the
        description; ``port_id`` left out keeps the association."""
        if description is not None:
            validators.string('description', description)
        with self.db.session() as session:
            row = _get(session, ctx, floatingip_id, lock=True)
            revisions.check(row)
            if description is not None:
                row.description = description
            if port_id is None:
                if fixed_ip_address is not None:
                    raise exception.InvalidInput(field='fixed_ip_address',
                                                 reason='needs port_id')
                row.fixed_port_id = row.fixed_ip_address = row.router_id = None
                row.status = DOWN
            elif port_id is not UNSET:
                self._associate(session, ctx, row, port_id, fixed_ip_address)
            elif fixed_ip_address is not None:
                raise exception.InvalidInput(field='fixed_ip_address', reason='needs port_id')
            row.updated_at = timeutils.utcnow()
            session.flush()
            return tags.fill(session, [_floating_ip_dict(row)])[0]

    def delete_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str) -> None:
        """Release the address (its port and IP allocation go with it)."""
        with self.db.session() as session:
            row = _get(session, ctx, floatingip_id, lock=True)
            port = session.get(models.Port, row.floating_port_id)
            tags.forget(session, [row.id])
            session.delete(row)
            session.flush()
            if port is not None:
                l3_ports.delete_port_row(session, port)

    def _associate(self, session: orm.Session, ctx: nl_context.RequestContext,
                   row: l3_models.FloatingIP, port_id: Any,
                   fixed_ip_address: str | None) -> None:
        port = access.get_port(session, ctx, port_id, lock='share')
        if not access.is_admin(ctx) and port.project_id != row.project_id:
            raise exception.NotFound(resource='Port', id=port_id)
        if port.device_owner in external.L3_OWNERS:
            raise exception.InvalidInput(
                field='port_id', reason=f'port {port.id} is owned by {port.device_owner}; '
                                        'a floating IP cannot be associated with it')
        v4 = [(subnet_id, address) for subnet_id, address in
              l3_ports.fixed_ips(session, [port.id])[port.id]
              if ipaddress.ip_address(address).version == 4]
        if fixed_ip_address is not None:
            try:
                wanted = str(ipaddress.ip_address(str(fixed_ip_address)))
            except ValueError:
                raise exception.InvalidInput(
                    field='fixed_ip_address',
                    reason=f'{fixed_ip_address!r} is not an IP address') from None
            chosen = [entry for entry in v4 if entry[1] == wanted]
            if not chosen:
                raise exception.InvalidInput(
                    field='fixed_ip_address',
                    reason=f'port {port.id} does not have fixed IP {fixed_ip_address}')
        else:
            if not v4:
                raise exception.InvalidInput(
                    field='port_id', reason=f'port {port.id} has no fixed IPv4 address')
            if len(v4) > 1:
                raise exception.InvalidInput(
                    field='fixed_ip_address',
                    reason=f'port {port.id} has several fixed IPv4 addresses; name one')
            chosen = v4
        subnet_id, address = chosen[0]
        router_id = _router_for(session, row.floating_network_id, subnet_id)
        if router_id is None:
            raise l3_errors.ExternalGatewayForFloatingIPNotFound(
                external_network_id=row.floating_network_id, subnet_id=subnet_id,
                port_id=port.id)
        other = session.scalar(sa.select(_FIP.id).where(
            _FIP.fixed_port_id == port.id, _FIP.fixed_ip_address == address,
            _FIP.floating_network_id == row.floating_network_id, _FIP.id != row.id))
        if other is not None:
            raise l3_errors.FloatingIPPortAlreadyAssociated(
                floating_ip_address=row.floating_ip_address, fip_id=row.id, port_id=port.id,
                fixed_ip=address, net_id=row.floating_network_id)
        row.fixed_port_id, row.fixed_ip_address = port.id, address
        row.router_id, row.status = router_id, ACTIVE
