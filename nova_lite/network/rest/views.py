"""The REST bodies: the manager's neutron-shaped dicts plus the attributes that
neutron's API always shows.

nova_lite does not count revisions, so ``revision_number`` is always 1 (the
``standard-attr-revisions`` extension is not advertised). It has no security
groups, address scopes or availability zones: those
attributes show their empty or false value.
"""

from __future__ import annotations

from typing import Any

VIF_TYPE_BOUND = 'ovs'
VIF_TYPE_UNBOUND = 'unbound'
VNIC_TYPE = 'normal'

_STANDARD = {'revision_number': 1}


def network(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, **_STANDARD, 'router:external': item.get('router:external', False),
            'port_security_enabled': True,
            'availability_zones': [], 'availability_zone_hints': [],
            'ipv4_address_scope': None, 'ipv6_address_scope': None}


def subnet(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, **_STANDARD, 'ipv6_ra_mode': item.get('ipv6_ra_mode'),
            'ipv6_address_mode': item.get('ipv6_address_mode'),
            'subnetpool_id': item.get('subnetpool_id'), 'segment_id': None}


def port(item: dict[str, Any]) -> dict[str, Any]:
    bound = bool(item.get('binding:host_id'))
    return {**item, **_STANDARD,
            'binding:vif_type': VIF_TYPE_BOUND if bound else VIF_TYPE_UNBOUND,
            'binding:vnic_type': VNIC_TYPE, 'binding:profile': {}, 'binding:vif_details': {},
            'allowed_address_pairs': item.get('allowed_address_pairs', []),
            'extra_dhcp_opts': item.get('extra_dhcp_opts', []),
            'port_security_enabled': item.get('port_security_enabled', True)}


def router(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, 'revision_number': 1, 'tags': item.get('tags', []), 'availability_zones': [],
            'availability_zone_hints': []}


def floating_ip(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, 'revision_number': 1, 'tags': item.get('tags', []), 'port_details': None,
            'dns_domain': '', 'dns_name': '', 'qos_policy_id': None}
