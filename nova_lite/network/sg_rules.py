"""Security group rules as neutron checks them: direction, ethertype, protocol
(names or numbers), port ranges (ICMP type and code for ICMP), and the remote
(an IP prefix of the rule's ethertype, or a group, never both).

``normalize`` turns a create request into the stored attributes or raises the
neutron-named 4xx error; nothing here touches the database.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from nova_lite.common import exception

DIRECTIONS = ('ingress', 'egress')
ETHERTYPES = ('IPv4', 'IPv6')
# neutron_lib.constants.IP_PROTOCOL_MAP: name -> IANA number.
PROTOCOLS: dict[str, int] = {
    'ah': 51, 'dccp': 33, 'egp': 8, 'esp': 50, 'gre': 47, 'hopopt': 0, 'icmp': 1,
    'igmp': 2, 'ip': 0, 'ipip': 4, 'ipv6-encap': 41, 'ipv6-frag': 44, 'ipv6-icmp': 58,
    'icmpv6': 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60, 'ipv6-route': 43, 'ospf': 89,
    'pgm': 113, 'rsvp': 46, 'sctp': 132, 'tcp': 6, 'udp': 17, 'udplite': 136, 'vrrp': 112,
}
ANY = 'any'
PORT_PROTOCOLS = frozenset({6, 17, 33, 132, 136})  # tcp udp dccp sctp udplite
ICMP_PROTOCOLS = frozenset({1, 58})
IPV6_ONLY = frozenset({'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt',
                       'ipv6-opts', 'ipv6-route', '41', '43', '44', '58', '59', '60'})
MAX_PORT = 65535


class SecurityGroupRuleInvalidProtocol(exception.Invalid):
    msg_fmt = ('Security group rule protocol %(protocol)s not supported. Only protocol '
               'values %(values)s and integer representations [0 to 255] are supported.')


class SecurityGroupRuleInvalidEtherType(exception.Invalid):
    msg_fmt = ("Security group rule for ethertype '%(ethertype)s' not supported. "
               'Allowed values are %(values)s.')


class SecurityGroupRuleInvalidDirection(exception.Invalid):
    msg_fmt = ("Invalid input for direction. Reason: '%(direction)s' is not in "
               "['ingress', 'egress'].")


class SecurityGroupInvalidPortValue(exception.Invalid):
    msg_fmt = 'Invalid value for port %(port)s.'


class SecurityGroupInvalidPortRange(exception.Invalid):
    msg_fmt = 'For TCP/UDP protocols, port_range_min must be <= port_range_max'


class SecurityGroupProtocolRequiredWithPorts(exception.Invalid):
    msg_fmt = 'Must also specify protocol if port range is given.'


class SecurityGroupInvalidProtocolForPort(exception.Invalid):
    msg_fmt = ('Invalid protocol %(protocol)s for port range, only supported for TCP, '
               'UDP, UDPLITE, SCTP and DCCP.')


class SecurityGroupInvalidIcmpValue(exception.Invalid):
    msg_fmt = ('Invalid value for ICMP %(field)s (%(attr)s) %(value)s. '
               'It must be 0 to 255.')


class SecurityGroupMissingIcmpType(exception.Invalid):
    msg_fmt = ('ICMP code (port-range-max) %(value)s is provided but ICMP type '
               '(port-range-min) is missing.')


class SecurityGroupRuleParameterConflict(exception.Invalid):
    msg_fmt = 'Conflicting value ethertype %(ethertype)s for CIDR %(cidr)s'


class SecurityGroupEthertypeConflictWithProtocol(exception.Invalid):
    msg_fmt = 'Invalid ethertype %(ethertype)s for protocol %(protocol)s.'


class SecurityGroupRemoteGroupAndRemoteIpPrefix(exception.Invalid):
    msg_fmt = 'Only remote_ip_prefix or remote_group_id may be provided.'


class InvalidRemoteIpPrefix(exception.Invalid):
    msg_fmt = ("Invalid input for remote_ip_prefix. Reason: '%(value)s' is not a valid "
               'IP subnet.')


def protocol(value: Any) -> str | None:
    """The stored protocol: a lower-case name, a number as a string, None for any."""
    if value is None or value == ANY:
        return None
    if isinstance(value, bool):
        raise SecurityGroupRuleInvalidProtocol(protocol=value, values=_names())
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        number = int(value)
        if 0 <= number <= 255:
            return str(number)
        raise SecurityGroupRuleInvalidProtocol(protocol=value, values=_names())
    if isinstance(value, str) and value.lower() in PROTOCOLS:
        return value.lower()
    raise SecurityGroupRuleInvalidProtocol(protocol=value, values=_names())


def protocol_number(stored: str | None) -> int | None:
    if stored is None:
        return None
    return int(stored) if stored.isdigit() else PROTOCOLS[stored]


def _names() -> list[str]:
    return [ANY, *PROTOCOLS]


def port_value(value: Any) -> int | None:
    """A port (or ICMP type/code) as given: None, or an integer 0..65535."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise SecurityGroupInvalidPortValue(port=value)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SecurityGroupInvalidPortValue(port=value) from None
    if isinstance(value, float) or not 0 <= number <= MAX_PORT:
        raise SecurityGroupInvalidPortValue(port=value)
    return number


def remote_ip_prefix(value: Any, ethertype: str) -> str | None:
    """The prefix of ``ethertype`` as given, with its length (a bare address becomes a
    /32 or /128); host bits are kept, as neutron keeps them."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRemoteIpPrefix(value=value)
    try:
        interface = ipaddress.ip_interface(value.strip())
    except ValueError:
        raise InvalidRemoteIpPrefix(value=value) from None
    if f'IPv{interface.version}' != ethertype:
        raise SecurityGroupRuleParameterConflict(ethertype=ethertype, cidr=value)
    return str(interface)


def _check_ports(rule: dict[str, Any]) -> None:
    low, high, proto = rule['port_range_min'], rule['port_range_max'], rule['protocol']
    if low is None and high is None:
        return
    number = protocol_number(proto)
    if number is None:
        raise SecurityGroupProtocolRequiredWithPorts()
    if number in PORT_PROTOCOLS:
        if low == 0 or high == 0:
            raise SecurityGroupInvalidPortValue(port=0)
        if low is not None and high is not None and low <= high:
            return
        raise SecurityGroupInvalidPortRange()
    if number in ICMP_PROTOCOLS:
        for attr, field, value in (('port_range_min', 'type', low),
                                   ('port_range_max', 'code', high)):
            if value is not None and not 0 <= value <= 255:
                raise SecurityGroupInvalidIcmpValue(field=field, attr=attr, value=value)
        if low is None:
            raise SecurityGroupMissingIcmpType(value=high)
        return
    raise SecurityGroupInvalidProtocolForPort(protocol=proto)


def normalize(request: Mapping[str, Any]) -> dict[str, Any]:
    """The rule's stored attributes from a create request (unknown keys ignored)."""
    direction = request.get('direction')
    if direction not in DIRECTIONS:
        raise SecurityGroupRuleInvalidDirection(direction=direction)
    ethertype = request.get('ethertype', 'IPv4')
    if ethertype not in ETHERTYPES:
        # neutron takes the ethertype's case loosely ('ipv4')
        matches = [e for e in ETHERTYPES if isinstance(ethertype, str)
                   and e.lower() == ethertype.lower()]
        if not matches:
            raise SecurityGroupRuleInvalidEtherType(ethertype=ethertype, values=ETHERTYPES)
        ethertype = matches[0]
    proto = protocol(request.get('protocol'))
    if proto in IPV6_ONLY and ethertype == 'IPv4':
        raise SecurityGroupEthertypeConflictWithProtocol(ethertype=ethertype,
                                                         protocol=proto)
    rule = {'direction': direction, 'ethertype': ethertype, 'protocol': proto,
            'port_range_min': port_value(request.get('port_range_min')),
            'port_range_max': port_value(request.get('port_range_max')),
            'remote_group_id': request.get('remote_group_id'),
            'remote_ip_prefix': None}
    prefix = request.get('remote_ip_prefix')
    if prefix is not None and rule['remote_group_id'] is not None:
        raise SecurityGroupRemoteGroupAndRemoteIpPrefix()
    rule['remote_ip_prefix'] = remote_ip_prefix(prefix, ethertype)
    _check_ports(rule)
    return rule


def same_rule(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two rules match the same traffic (neutron's duplicate check): an
    any-address prefix equals no prefix, a protocol name equals its number."""
    keys = ('direction', 'ethertype', 'port_range_min', 'port_range_max', 'remote_group_id')
    return (all(a.get(key) == b.get(key) for key in keys)
            and protocol_number(a.get('protocol')) == protocol_number(b.get('protocol'))
            and _any_prefix(a.get('remote_ip_prefix')) == _any_prefix(b.get('remote_ip_prefix')))


def _any_prefix(prefix: str | None) -> str | None:
    """The network a prefix matches; None for any address."""
    if prefix is None:
        return None
    network = ipaddress.ip_network(prefix, strict=False)
    return None if network.prefixlen == 0 else str(network)


def default_rules(ethertypes: tuple[str, ...] = ETHERTYPES) -> list[dict[str, Any]]:
    """Neutron's rules of a new group: all egress, IPv4 and IPv6."""
    return [{'direction': 'egress', 'ethertype': ethertype, 'protocol': None,
             'port_range_min': None, 'port_range_max': None, 'remote_group_id': None,
             'remote_ip_prefix': None} for ethertype in ethertypes]
