"""Neutron-shaped plain dicts for networks, subnets and ports."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from nova_lite.common import timeutils
from nova_lite.db.models import network as models


def _times(row: models.Network | models.Subnet | models.Port) -> dict[str, Any]:
    """The standard attributes: timestamps and ``revision_number``."""
    created = timeutils.isotime(row.created_at)
    return {'created_at': created,
            'updated_at': timeutils.isotime(row.updated_at) if row.updated_at else created,
            'revision_number': row.revision_number}


def network_dict(row: models.Network, subnet_ids: list[str],
                 external: bool = False) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'project_id': row.project_id,
            'tenant_id': row.project_id, 'admin_state_up': row.admin_state_up,
            'status': row.status, 'shared': row.shared, 'mtu': row.mtu,
            'subnets': list(subnet_ids), 'tags': [], 'router:external': external,
            'description': '', **_times(row)}


def subnet_dict(row: models.Subnet, pools: Iterable[tuple[str, str]]) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'network_id': row.network_id,
            'project_id': row.project_id, 'tenant_id': row.project_id,
            'ip_version': row.ip_version, 'cidr': row.cidr, 'gateway_ip': row.gateway_ip,
            'enable_dhcp': row.enable_dhcp,
            'allocation_pools': [{'start': start, 'end': end} for start, end in
                                 sorted(pools, key=lambda p: ipaddress.ip_address(p[0]))],
            'dns_nameservers': list(row.dns_nameservers or []),
            'host_routes': [dict(route) for route in row.host_routes or []],
            'ipv6_ra_mode': row.ipv6_ra_mode, 'ipv6_address_mode': row.ipv6_address_mode,
            'service_types': [], 'tags': [], 'description': '',
            'subnetpool_id': row.subnetpool_id, **_times(row)}


def port_dict(row: models.Port, fixed_ips: Iterable[tuple[str, str]]) -> dict[str, Any]:
    ordered = sorted(fixed_ips, key=lambda ip: (ipaddress.ip_address(ip[1]).version,
                                                ipaddress.ip_address(ip[1])))
    return {'id': row.id, 'name': row.name, 'network_id': row.network_id,
            'project_id': row.project_id, 'tenant_id': row.project_id,
            'mac_address': row.mac_address, 'admin_state_up': row.admin_state_up,
            'status': row.status, 'device_id': row.device_id,
            'device_owner': row.device_owner,
            'fixed_ips': [{'subnet_id': subnet_id, 'ip_address': address}
                          for subnet_id, address in ordered],
            'binding:host_id': row.binding_host_id, 'security_groups': [], 'tags': [],
            'description': '', **_times(row)}
