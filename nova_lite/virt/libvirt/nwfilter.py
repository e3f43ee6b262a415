"""A port's security group rules as a libvirt network filter (nwfilter).

Each port with port security on gets one filter, ``nova-lite-port-<port id>``,
which its ``<interface>`` names with ``<filterref>``: the rules of its groups
become accept rules (neutron's ingress is libvirt's ``in``, the remote being
the source; egress is ``out``, the remote being the destination; a rule naming
a remote group becomes one rule per address of that group's ports), replies to
allowed traffic are accepted when the group is stateful, and everything else is
dropped (replies are matched by connection state on IPv4 only: libvirt has no
state match for IPv6). A port whose port security is off gets no filter.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

from nova_lite.common import exception

FILTER_PREFIX = 'nova-lite-port-'
ACCEPT_PRIORITY = 500
STATE_PRIORITY = 100
DROP_PRIORITY = 1000
_DIRECTIONS = {'ingress': ('in', 'src'), 'egress': ('out', 'dst')}
# protocol (name or number) -> (IPv4 element, IPv6 element) with ports/ICMP attributes.
_ELEMENTS: dict[str, tuple[str, str]] = {
    'tcp': ('tcp', 'tcp-ipv6'), '6': ('tcp', 'tcp-ipv6'),
    'udp': ('udp', 'udp-ipv6'), '17': ('udp', 'udp-ipv6'),
    'sctp': ('sctp', 'sctp-ipv6'), '132': ('sctp', 'sctp-ipv6'),
    'udplite': ('udplite', 'udplite-ipv6'), '136': ('udplite', 'udplite-ipv6'),
    'icmp': ('icmp', 'icmpv6'), '1': ('icmp', 'icmpv6'),
    'icmpv6': ('icmp', 'icmpv6'), 'ipv6-icmp': ('icmp', 'icmpv6'), '58': ('icmp', 'icmpv6'),
    'esp': ('esp', 'esp-ipv6'), '50': ('esp', 'esp-ipv6'),
    'ah': ('ah', 'ah-ipv6'), '51': ('ah', 'ah-ipv6'),
}
_PORTED = frozenset({'tcp', 'udp', 'sctp', 'udplite'})
_ICMP = frozenset({'icmp', 'icmpv6'})
# Other protocols by IANA number, matched on the IP header (neutron's names).
_NUMBERS = {'gre': 47, 'igmp': 2, 'dccp': 33, 'egp': 8, 'ipip': 4, 'ospf': 89, 'pgm': 113,
            'rsvp': 46, 'vrrp': 112, 'hopopt': 0, 'ip': 0, 'ipv6-encap': 41,
            'ipv6-frag': 44, 'ipv6-nonxt': 59, 'ipv6-opts': 60, 'ipv6-route': 43}


def filter_name(port_id: str) -> str:
    return f'{FILTER_PREFIX}{port_id}'


@dataclasses.dataclass(frozen=True)
class PortFilter:
    """One port's filter: renders the nwfilter document with :meth:`to_xml`."""

    port_id: str
    rules: tuple[Mapping[str, Any], ...]
    stateful: bool = True

    @property
    def name(self) -> str:
        return filter_name(self.port_id)

    def to_element(self) -> ET.Element:
        root = ET.Element('filter', {'name': self.name, 'chain': 'root'})
        if self.stateful:
            # libvirt matches connection state on IPv4 only (its schema has no state
            # for the IPv6 elements): IPv6 replies need a rule of their own.
            state = ET.SubElement(root, 'rule', {'action': 'accept', 'direction': 'inout',
                                                 'priority': str(STATE_PRIORITY)})
            ET.SubElement(state, 'all', {'state': 'ESTABLISHED,RELATED'})
        for index, rule in enumerate(self.rules):
            for element in _rule_elements(rule, f'security_group_rules[{index}]'):
                root.append(element)
        for protocol in ('all', 'all-ipv6'):
            drop = ET.SubElement(root, 'rule', {'action': 'drop', 'direction': 'inout',
                                                'priority': str(DROP_PRIORITY)})
            ET.SubElement(drop, protocol)
        return root

    def to_xml(self) -> str:
        root = self.to_element()
        ET.indent(root, space='  ')
        return ET.tostring(root, encoding='unicode') + '\n'


def _remotes(rule: Mapping[str, Any], field: str) -> list[str | None]:
    """The remote networks a rule matches: None for anywhere."""
    if rule.get('remote_group_id'):
        return [str(ipaddress.ip_network(address)) for address in rule.get('remote_ips', [])]
    prefix = rule.get('remote_ip_prefix')
    if prefix is None:
        return [None]
    try:
        network = ipaddress.ip_network(prefix, strict=False)
    except (TypeError, ValueError):
        raise exception.InvalidInput(field=f'{field}.remote_ip_prefix',
                                     reason=f'{prefix!r} is not a network') from None
    return [None] if network.prefixlen == 0 else [str(network)]


def _match(rule: Mapping[str, Any], field: str) -> tuple[str, dict[str, str]]:
    """The protocol element and its port or ICMP attributes."""
    ipv6 = rule.get('ethertype') == 'IPv6'
    protocol = rule.get('protocol')
    if protocol is None:
        return ('all-ipv6' if ipv6 else 'all'), {}
    protocol = str(protocol).lower()
    if protocol in _ELEMENTS:
        element = _ELEMENTS[protocol][1 if ipv6 else 0]
        low, high = rule.get('port_range_min'), rule.get('port_range_max')
        attrs: dict[str, str] = {}
        if element.split('-')[0] in _PORTED and low is not None:
            attrs = {'dstportstart': str(low), 'dstportend': str(high if high is not None
                                                                  else low)}
        elif element in _ICMP and low is not None:
            attrs = {'type': str(low)}
            if high is not None:
                attrs['code'] = str(high)
        return element, attrs
    number = int(protocol) if protocol.isdigit() else _NUMBERS.get(protocol)
    if number is None:
        raise exception.InvalidInput(field=f'{field}.protocol',
                                     reason=f'{protocol!r} is not a known protocol')
    return ('ipv6' if ipv6 else 'ip'), {'protocol': str(number)}


def _rule_elements(rule: Mapping[str, Any], field: str) -> list[ET.Element]:
    direction = rule.get('direction')
    if direction not in _DIRECTIONS:
        raise exception.InvalidInput(field=f'{field}.direction',
                                     reason=f'{direction!r} is not ingress or egress')
    libvirt_direction, side = _DIRECTIONS[direction]
    element, attrs = _match(rule, field)
    elements = []
    for remote in _remotes(rule, field):
        rule_element = ET.Element('rule', {'action': 'accept', 'direction': libvirt_direction,
                                           'priority': str(ACCEPT_PRIORITY)})
        match = dict(attrs)
        if remote is not None:
            network = ipaddress.ip_network(remote)
            match[f'{side}ipaddr'] = str(network.network_address)
            match[f'{side}ipmask'] = str(network.prefixlen)
        ET.SubElement(rule_element, element, match)
        elements.append(rule_element)
    return elements


def port_filter_for(vif: Mapping[str, Any], field: str = 'network_info') -> PortFilter | None:
    """A port's filter from its network_info entry; None when port security is off
    (or the entry predates security groups and carries no rules)."""
    if vif.get('port_security_enabled') is False or 'security_group_rules' not in vif:
        return None
    rules = vif['security_group_rules']
    if not isinstance(rules, list) or not all(isinstance(rule, dict) for rule in rules):
        raise exception.InvalidInput(field=f'{field}.security_group_rules',
                                     reason='must be a list of rules')
    return PortFilter(port_id=str(vif['port_id']), rules=tuple(rules),
                      stateful=bool(vif.get('stateful', True)))


def port_filters_for(network_info: Iterable[Mapping[str, Any]]) -> list[PortFilter]:
    filters = []
    for index, vif in enumerate(network_info):
        port_filter = port_filter_for(vif, f'network_info[{index}]')
        if port_filter is not None:
            filters.append(port_filter)
    return filters
