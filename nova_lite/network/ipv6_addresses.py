"""EUI-64 addresses of auto-address IPv6 subnets (slaac, dhcpv6-stateless) held by ports.

Such an address is derived, not drawn from the allocation pools: it is stored
as an ``ip_allocations`` row like any other so that it shows in the port's
``fixed_ips``, is freed with the port and blocks nothing else. Runs inside the
caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models import network as models
from nova_lite.network import external, ipam, ipv6_modes


def address_of(subnet: models.Subnet, mac: str) -> str:
    """The EUI-64 address of ``mac`` on an auto-address subnet."""
    return ipv6_modes.eui64_address(ipam.parse_network(subnet.cidr), mac)


def allocate(session: orm.Session, subnet: models.Subnet, port_id: str, mac: str, *,
             field: str = 'fixed_ips') -> tuple[str, str]:
    """Give ``port_id`` its EUI-64 address on ``subnet``; a 409 if another port has it."""
    address = ipam.allocate_specific_ip(session, subnet, address_of(subnet, mac), port_id,
                                        field=field)
    return subnet.id, address


def allocate_missing(session: orm.Session, subnets: Sequence[models.Subnet], port_id: str,
                     mac: str, device_owner: str,
                     held: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The EUI-64 addresses a port of ``device_owner`` must have on the auto-address
    ``subnets`` and does not hold yet (neutron gives them to every port but router
    interfaces, whatever its ``fixed_ips`` asked)."""
    if not ipv6_modes.gets_auto_addresses(device_owner):
        return []
    holding = {subnet_id for subnet_id, _ in held}
    return [allocate(session, subnet, port_id, mac) for subnet in subnets
            if ipv6_modes.is_auto_address_subnet(subnet) and subnet.id not in holding]


def add_to_network_ports(session: orm.Session, subnet: models.Subnet) -> None:
    """A new auto-address subnet: every port of its network but router interfaces gets
    its EUI-64 address."""
    rows = session.execute(sa.select(models.Port.id, models.Port.mac_address).where(
        models.Port.network_id == subnet.network_id,
        models.Port.device_owner.not_in(ipv6_modes.ROUTER_INTERFACE_OWNERS))).all()
    if rows:
        session.execute(sa.insert(models.IPAllocation), [
            {'subnet_id': subnet.id, 'ip_address': address_of(subnet, mac),
             'port_id': port_id, 'network_id': subnet.network_id}
            for port_id, mac in rows])
        session.execute(sa.update(models.Port).where(
            models.Port.id.in_([port_id for port_id, _ in rows]))
            .values(updated_at=timeutils.utcnow()))


def remove_from_ports(session: orm.Session, subnet: models.Subnet) -> None:
    """An auto-address subnet is going: the EUI-64 addresses of ports other than router
    interfaces go with it (a router interface's stays, and keeps the subnet in use)."""
    rows = session.execute(
        sa.select(models.IPAllocation.port_id, models.IPAllocation.ip_address)
        .join(models.Port, models.Port.id == models.IPAllocation.port_id)
        .where(models.IPAllocation.subnet_id == subnet.id,
               models.Port.device_owner.not_in(ipv6_modes.ROUTER_INTERFACE_OWNERS))).all()
    for port_id, address in rows:
        external.disassociate_addresses(session, port_id, [address])
        session.execute(sa.delete(models.IPAllocation).where(
            models.IPAllocation.subnet_id == subnet.id,
            models.IPAllocation.port_id == port_id))
