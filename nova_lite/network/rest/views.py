"""The REST bodies: the manager's neutron-shaped dicts plus the attributes that
neutron's API always shows.

``revision_number`` comes from the manager (standard-attr-revisions), and so do
``tags`` (standard-attr-tag). nova_lite has no availability zones, and networks
do not derive their address scopes from their subnet pools: those attributes
show their empty value.
"""

from __future__ import annotations

from typing import Any

VIF_TYPE_BOUND = 'ovs'
VIF_TYPE_UNBOUND = 'unbound'
VNIC_TYPE = 'normal'


def network(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, 'router:external': item.get('router:external', False),
            'port_security_enabled': True,
            'availability_zones': [], 'availability_zone_hints': [],
            'ipv4_address_scope': None, 'ipv6_address_scope': None}


def subnet(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, 'ipv6_ra_mode': item.get('ipv6_ra_mode'),
            'ipv6_address_mode': item.get('ipv6_address_mode'),
            'subnetpool_id': item.get('subnetpool_id'), 'segment_id': None}


def port(item: dict[str, Any]) -> dict[str, Any]:
    bound = bool(item.get('binding:host_id'))
    return {**item,
            'binding:vif_type': VIF_TYPE_BOUND if bound else VIF_TYPE_UNBOUND,
            'binding:vnic_type': VNIC_TYPE, 'binding:profile': {}, 'binding:vif_details': {},
            'allowed_address_pairs': item.get('allowed_address_pairs', []),
            'extra_dhcp_opts': item.get('extra_dhcp_opts', []),
            'port_security_enabled': item.get('port_security_enabled', True)}


def router(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, 'tags': item.get('tags', []), 'availability_zones': [],
            'availability_zone_hints': []}


def floating_ip(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, 'tags': item.get('tags', []), 'port_details': None,
            'dns_domain': '', 'dns_name': '', 'qos_policy_id': None}
