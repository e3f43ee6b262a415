"""The ``fixed_ips`` of a port request, matched to the subnets of its network.

Each entry names a subnet, an address, or both; :func:`resolve` finds its
subnet and checks the address (inside the subnet, not its gateway, not asked
twice, not on an auto-address IPv6 subnet but for a router interface).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nova_lite.common import exception
from nova_lite.db.models import network as models
from nova_lite.network import ipam, ipv6_modes

FIXED_IP_KEYS = frozenset({'subnet_id', 'ip_address'})


@dataclass
class AddressRequest:
    """One entry of ``fixed_ips`` resolved against the network's subnets."""

    field: str
    subnet: models.Subnet
    address: str | None  # None: any free address of the subnet


def resolve(entries: list[dict[str, Any]], subnets: Sequence[models.Subnet],
             device_owner: str = '') -> list[AddressRequest]:
    """Match each ``fixed_ips`` entry to a subnet of the network and check its address.

    An address of an auto-address subnet cannot be asked for, but by a router
    interface (as in neutron)."""
    requests: list[AddressRequest] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        field = f'fixed_ips.{index}'
        subnet_id, ip_address = entry.get('subnet_id'), entry.get('ip_address')
        if subnet_id is None and ip_address is None:
            raise exception.InvalidInput(field=field, reason='needs subnet_id or ip_address')
        if ip_address is None:
            requests.append(AddressRequest(field, named_subnet(field, subnet_id, subnets),
                                            None))
            continue
        ip_field = f'{field}.ip_address'
        address = ipam.parse_address(ip_field, ip_address)
        if subnet_id is not None:
            subnet = named_subnet(field, subnet_id, subnets)
        else:
            found = [s for s in subnets if address in cidr(s)]
            if not found:
                raise exception.InvalidInput(
                    field=ip_field, reason=f'{address} is in no subnet of this network')
            subnet = found[0]
        ipam.check_host_address(ip_field, address, cidr(subnet))
        if (ipv6_modes.is_auto_address_subnet(subnet)
                and ipv6_modes.gets_auto_addresses(device_owner)):
            raise exception.InvalidInput(
                field=ip_field, reason=f'IPv6 address {address} cannot be directly assigned '
                                       f'to a port on subnet {subnet.id} as the subnet is '
                                       'configured for automatic addresses')
        if subnet.gateway_ip and address == ipaddress.ip_address(subnet.gateway_ip):
            raise exception.InvalidInput(
                field=ip_field, reason=f'{address} is the gateway of subnet {subnet.id}')
        if str(address) in seen:
            raise exception.InvalidInput(field=ip_field, reason=f'{address} is requested twice')
        seen.add(str(address))
        requests.append(AddressRequest(ip_field, subnet, str(address)))
    return requests


def names_held(entry: dict[str, Any], held: tuple[str, str]) -> bool:
    """Whether a ``fixed_ips`` entry names the held (subnet, address)."""
    subnet_id, address = held
    if entry.get('subnet_id') not in (None, subnet_id):
        return False
    wanted = entry.get('ip_address')
    if wanted is None:
        return entry.get('subnet_id') == subnet_id
    try:
        return str(ipaddress.ip_address(str(wanted).strip())) == address
    except ValueError:
        return False


def named_subnet(field: str, subnet_id: Any,
                  subnets: Sequence[models.Subnet]) -> models.Subnet:
    for subnet in subnets:
        if subnet.id == subnet_id:
            return subnet
    raise exception.InvalidInput(field=f'{field}.subnet_id',
                                 reason=f'{subnet_id!r} is not a subnet of this network')


def cidr(subnet: models.Subnet) -> ipam.IPNetwork:
    return ipam.parse_network(subnet.cidr)
