"""Ports that layer 3 makes and removes inside its own transaction: router gateways,
router interfaces and floating IP ports."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.db.models import network as models
from nova_lite.network import (
    external,
    fixed_ip_requests,
    ipv6_addresses,
    ports,
    standard_attrs,
)

fixed_ips = ports._fixed_ips  # noqa: SLF001 - one module's helper shared with its sibling


def port_methods(manager: object) -> ports.PortMethods:
    """The network manager that mixes layer 3 in, as the port methods it also has."""
    if not isinstance(manager, ports.PortMethods):
        raise TypeError(f'{type(manager).__name__} has no port methods')
    return manager


def owner_project(ctx: nl_context.RequestContext, project_id: Any) -> str | None:
    return ports.owner_project(ctx, project_id)


def create_port_row(manager: ports.PortMethods, session: orm.Session,
                    network: models.Network, entries: list[dict[str, Any]] | None, *,
                    project_id: str | None, device_id: str, device_owner: str,
                    gateway_allowed: bool = False) -> models.Port:
    """A port on ``network`` with addresses as ``entries`` asks (None: any free one),
    in the caller's transaction. ``gateway_allowed`` lets an entry name the subnet's
    gateway address (a router interface holds it)."""
    subnets = session.scalars(
        sa.select(models.Subnet).where(models.Subnet.network_id == network.id)
        .order_by(models.Subnet.created_at, models.Subnet.id)
        .with_for_update(read=True)).all()
    if entries is None:
        requests = None
    elif gateway_allowed:
        requests = [fixed_ip_requests.AddressRequest(
            'subnet_id', fixed_ip_requests.named_subnet('subnet_id', entry['subnet_id'], subnets),
            entry['ip_address']) for entry in entries]
    else:
        requests = fixed_ip_requests.resolve(entries, subnets, device_owner)
    port_id = manager._insert_port(  # noqa: SLF001
        session, project_id, network.id, None, name='', device_id=device_id,
        device_owner=device_owner, binding_host_id='', admin_state_up=True)
    row = session.get_one(models.Port, port_id)
    if requests is None:
        allocated = manager._allocate_default(session, network.id, subnets,  # noqa: SLF001
                                              port_id)
    else:
        allocated = [manager._allocate(session, request, port_id,  # noqa: SLF001
                                       ports.auto_address_mac(row))
                     for request in requests]
    ipv6_addresses.allocate_missing(session, subnets, port_id, row.mac_address, device_owner,
                                    allocated)
    return row


def delete_port_row(session: orm.Session, port: models.Port) -> None:
    """Delete a layer 3 port with its addresses (floating IPs on it are disassociated)."""
    external.before_port_delete(session, port, service=True)
    session.execute(sa.delete(models.IPAllocation).where(
        models.IPAllocation.port_id == port.id))
    standard_attrs.forget(session, [port.id])
    session.delete(port)
    session.flush()
