"""Neutron's list filters: which query parameters each list reads, and how.

The values are read here (a bad one is a 400 naming the parameter); the
network manager matches them in its database query.
"""

from __future__ import annotations

import ipaddress

from nova_lite.api import filters, query
from nova_lite.network import tags as tag_checks

_BOOLEAN = filters.boolean(query.NEUTRON_BOOLEAN)
_FIXED_IP_KEYS = ('ip_address', 'subnet_id', 'ip_address_substr')


def mac(value: str) -> str:
    return value.strip().lower()


def ip_address(value: str) -> str:
    return str(ipaddress.ip_address(value.strip()))


def cidr(value: str) -> str:
    return str(ipaddress.ip_network(value.strip(), strict=False))


def fixed_ip(value: str) -> tuple[str, str]:
    """``ip_address=10.0.0.5``, ``subnet_id=<id>`` or ``ip_address_substr=10.0.`` (part
    of an address: ip-substring-filtering), neutron's fixed_ips filter."""
    key, sep, wanted = value.partition('=')
    if not sep or key not in _FIXED_IP_KEYS:
        raise ValueError('must be ip_address=<address>, ip_address_substr=<part of an '
                         'address> or subnet_id=<id>')
    if key == 'ip_address':
        wanted = ip_address(wanted)
    elif key == 'ip_address_substr':
        wanted = wanted.strip().lower()
        if not wanted:
            raise ValueError('ip_address_substr must not be empty')
    return key, wanted


def tag_list(value: str) -> tuple[str, ...]:
    """``red,blue``: the comma-separated tags of a tag filter (each at most 255
    characters)."""
    wanted = tuple(value.split(','))
    for tag in wanted:
        if len(tag) > tag_checks.MAX_TAG_LENGTH:
            raise ValueError(f'a tag is longer than {tag_checks.MAX_TAG_LENGTH} characters')
    return wanted


TAGS = {name: filters.Filter(name, tag_list) for name in tag_checks.FILTER_NAMES}
"""neutron's tag filters (standard-attr-tag): tags, tags-any, not-tags, not-tags-any."""

PROJECT = {'project_id': filters.Filter('project_id'),
           'tenant_id': filters.Filter('project_id')}
_IDENTIFIED = {'id': filters.Filter('id'), 'name': filters.Filter('name'), **PROJECT}
_DESCRIBED = {**_IDENTIFIED, 'description': filters.Filter('description')}

NETWORKS = {
    **_DESCRIBED, 'status': filters.Filter('status'),
    'admin_state_up': filters.Filter('admin_state_up', _BOOLEAN),
    'shared': filters.Filter('shared', _BOOLEAN),
    'mtu': filters.Filter('mtu', filters.integer),
    'router:external': filters.Filter('router:external', _BOOLEAN),
    **TAGS,
}

SUBNETS = {
    **_DESCRIBED, 'network_id': filters.Filter('network_id'),
    'ip_version': filters.Filter('ip_version', filters.integer),
    'cidr': filters.Filter('cidr', cidr),
    'gateway_ip': filters.Filter('gateway_ip', ip_address),
    'enable_dhcp': filters.Filter('enable_dhcp', _BOOLEAN),
    **TAGS,
    'subnetpool_id': filters.Filter('subnetpool_id'),
    'ipv6_ra_mode': filters.Filter('ipv6_ra_mode'),
    'ipv6_address_mode': filters.Filter('ipv6_address_mode'),
}

PORTS = {
    **_DESCRIBED, 'network_id': filters.Filter('network_id'),
    'device_id': filters.Filter('device_id'), 'device_owner': filters.Filter('device_owner'),
    'status': filters.Filter('status'), 'mac_address': filters.Filter('mac_address', mac),
    'admin_state_up': filters.Filter('admin_state_up', _BOOLEAN),
    'binding:host_id': filters.Filter('binding:host_id'),
    'fixed_ips': filters.Filter('fixed_ips', fixed_ip),
    'security_groups': filters.Filter('security_groups'),
    **TAGS,
}

SECURITY_GROUPS = _IDENTIFIED
