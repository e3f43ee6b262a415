"""IPv6 subnet modes (``ipv6_ra_mode``, ``ipv6_address_mode``) and EUI-64 addresses.

As in neutron: both modes are one of :data:`MODES` or None, only on IPv6
subnets with DHCP enabled, equal when both are given, and fixed once the
subnet exists. A subnet whose address mode is ``slaac`` or
``dhcpv6-stateless`` gives every port (router interfaces aside) the address
that stateless autoconfiguration derives from the port's MAC and the subnet's
/64 prefix, never an address of its allocation pools.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from nova_lite.common import exception
from nova_lite.network import ipam

SLAAC = 'slaac'
DHCPV6_STATEFUL = 'dhcpv6-stateful'
DHCPV6_STATELESS = 'dhcpv6-stateless'
MODES = (SLAAC, DHCPV6_STATEFUL, DHCPV6_STATELESS)
AUTO_ADDRESS_MODES = frozenset({SLAAC, DHCPV6_STATELESS})
EUI64_PREFIX_LENGTH = 64

# Ports that hold a subnet's gateway rather than an address of their own MAC
# (neutron's router interface owners).
ROUTER_INTERFACE_OWNERS = frozenset({
    'network:router_interface', 'network:router_interface_distributed',
    'network:ha_router_replicated_interface', 'network:router_centralized_snat'})


def check(ip_version: int, ra_mode: Any, address_mode: Any, enable_dhcp: bool,
          network: ipam.IPNetwork) -> tuple[str | None, str | None]:
    """The validated (ra_mode, address_mode) of a new subnet; a 400 naming the field."""
    for field, value in (('ipv6_ra_mode', ra_mode), ('ipv6_address_mode', address_mode)):
        if value is not None and value not in MODES:
            raise exception.InvalidInput(field=field,
                                         reason=f'{value!r} is not one of {", ".join(MODES)}')
        if value is not None and ip_version != 6:
            raise exception.InvalidInput(field=field,
                                         reason='is not valid when ip_version is 4')
    if ra_mode is None and address_mode is None:
        return None, None
    field = 'ipv6_ra_mode' if ra_mode is not None else 'ipv6_address_mode'
    if not enable_dhcp:
        raise exception.InvalidInput(
            field=field, reason='ipv6_ra_mode or ipv6_address_mode cannot be set when '
                                'enable_dhcp is set to False')
    if ra_mode is not None and address_mode is not None and ra_mode != address_mode:
        raise exception.InvalidInput(
            field='ipv6_address_mode',
            reason=f"ipv6_ra_mode set to '{ra_mode}' with ipv6_address_mode set to "
                   f"'{address_mode}' is not valid: if both attributes are set, they must "
                   'be the same value')
    if (is_auto_address(ra_mode, address_mode)
            and network.prefixlen != EUI64_PREFIX_LENGTH):
        raise exception.InvalidInput(
            field='cidr', reason=f'{network} is not a /64: the IPv6 address mode '
                                 f'{address_mode or ra_mode} uses EUI-64 addresses, which '
                                 'need a /64 prefix')
    return ra_mode, address_mode


def check_dhcp_change(enable_dhcp: bool | None, ra_mode: str | None,
                      address_mode: str | None) -> None:
    """DHCP cannot be turned off on a subnet that has an IPv6 mode."""
    if enable_dhcp is False and (ra_mode is not None or address_mode is not None):
        raise exception.InvalidInput(field='enable_dhcp',
                                     reason='cannot disable enable_dhcp with ipv6 '
                                            'attributes set')


def check_router_interface(subnet: Any) -> None:
    """A subnet told to take router advertisements from an external router (an
    address mode without an RA mode) cannot be a router's interface."""
    if (subnet.ip_version == 6 and subnet.ipv6_ra_mode is None
            and subnet.ipv6_address_mode is not None):
        raise exception.InvalidInput(
            field='subnet_id', reason=f'IPv6 subnet {subnet.id} configured to receive RAs '
                                      'from an external router cannot be added to a router')


def is_auto_address(ra_mode: str | None, address_mode: str | None) -> bool:
    """Whether ports get EUI-64 addresses (neutron: the address mode decides, else the
    RA mode)."""
    mode = address_mode if address_mode is not None else ra_mode
    return mode in AUTO_ADDRESS_MODES


def is_auto_address_subnet(subnet: Any) -> bool:
    """Whether a subnet row (or dict) gives EUI-64 addresses."""
    get = subnet.get if isinstance(subnet, dict) else lambda key: getattr(subnet, key)
    return (get('ip_version') == 6
            and is_auto_address(get('ipv6_ra_mode'), get('ipv6_address_mode')))


def gets_auto_addresses(device_owner: str) -> bool:
    """Whether a port of this owner takes the EUI-64 addresses of auto-address subnets."""
    return device_owner not in ROUTER_INTERFACE_OWNERS


def eui64_address(network: ipam.IPNetwork, mac: str) -> str:
    """The address of ``mac`` in ``network`` (modified EUI-64, RFC 4291 appendix A)."""
    octets = bytes(int(part, 16) for part in mac.split(':'))
    interface_id = bytes([octets[0] ^ 0x02]) + octets[1:3] + b'\xff\xfe' + octets[3:6]
    return str(ipaddress.IPv6Address(int(network.network_address)
                                     | int.from_bytes(interface_id, 'big')))
