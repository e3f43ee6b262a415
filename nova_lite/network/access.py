"""Who may see and change which network resources, and row look-ups that enforce it.

A caller sees its own project's networks plus those an RBAC policy shares with
it or makes external for it (``'*'`` or its project), the subnets of the
networks it sees, and its own ports; an admin sees everything. Anything else
answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db.models import network as models
from nova_lite.network import rbac, validators

Lock = Literal['share', 'update'] | None


def is_admin(ctx: nl_context.RequestContext) -> bool:
    return bool(ctx.is_admin or 'admin' in (ctx.roles or []))


def visible_networks(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    if is_admin(ctx):
        return sa.true()
    # A wildcard policy (shared: true, router:external: true) opens it to everyone.
    return sa.or_(models.Network.project_id == ctx.project_id,
                  models.Network.id.in_(rbac.granted_to(ctx)))


def visible_ports(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    if is_admin(ctx):
        return sa.true()
    return models.Port.project_id == ctx.project_id


def _locked(statement: sa.Select[Any], lock: Lock) -> sa.Select[Any]:
    # SQLite ignores FOR UPDATE/SHARE: its writers are serialised by BEGIN IMMEDIATE.
    if lock == 'share':
        return statement.with_for_update(read=True)
    if lock == 'update':
        return statement.with_for_update()
    return statement


def get_network(session: orm.Session, ctx: nl_context.RequestContext, network_id: Any,
                lock: Lock = None) -> models.Network:
    validators.existing_id('Network', network_id)
    row = session.scalars(_locked(
        sa.select(models.Network).where(models.Network.id == network_id,
                                        visible_networks(ctx)), lock)).first()
    if row is None:
        raise exception.NotFound(resource='Network', id=network_id)
    return row


def get_subnet(session: orm.Session, ctx: nl_context.RequestContext, subnet_id: Any,
               lock: Lock = None) -> models.Subnet:
    validators.existing_id('Subnet', subnet_id)
    statement = (sa.select(models.Subnet)
                 .join(models.Network, models.Network.id == models.Subnet.network_id)
                 .where(models.Subnet.id == subnet_id, visible_networks(ctx)))
    if lock:
        statement = statement.with_for_update(read=lock == 'share', of=models.Subnet)
    row = session.scalars(statement).first()
    if row is None:
        raise exception.NotFound(resource='Subnet', id=subnet_id)
    return row


def get_port(session: orm.Session, ctx: nl_context.RequestContext, port_id: Any,
             lock: Lock = None) -> models.Port:
    validators.existing_id('Port', port_id)
    row = session.scalars(_locked(
        sa.select(models.Port).where(models.Port.id == port_id, visible_ports(ctx)),
        lock)).first()
    if row is None:
        raise exception.NotFound(resource='Port', id=port_id)
    return row


def require_network_owner(ctx: nl_context.RequestContext, network: models.Network,
                          action: str) -> None:
    """Changing a network or its subnets is for its project (or an admin), not for
    other projects that merely see it because it is shared with them."""
    if not is_admin(ctx) and network.project_id != ctx.project_id:
        raise exception.Forbidden(
            f'Only the owner of network {network.id} may {action}; it is shared with you.')
