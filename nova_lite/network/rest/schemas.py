"""JSON schemas of the network API's request bodies.

Attributes that neutron has but nova_lite does not implement (segments...) are accepted only
with the value nova_lite reports for them, so a client never believes that a
setting took effect when it did not.
"""

from __future__ import annotations

from typing import Any

from nova_lite.api.validation import UUID_PATTERN
from nova_lite.network import ipv6_modes, manager, subnets

NAME: dict[str, Any] = {'type': 'string', 'maxLength': 255}
UUID: dict[str, Any] = {'type': 'string', 'pattern': UUID_PATTERN}
PROJECT_ID: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 64}
BOOLEAN: dict[str, Any] = {'type': 'boolean'}
ADDRESS: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 64}
# Neutron converts numeric strings (OSC sends `--mtu 1400` as "1400"); pattern
# applies to strings only, minimum/maximum to numbers only (the manager checks the
# range of a converted string).
MTU: dict[str, Any] = {'type': ['integer', 'string'], 'pattern': '^[0-9]{1,9}$',
                       'minimum': manager.MIN_MTU, 'maximum': manager.MAX_MTU}
DESCRIPTION: dict[str, Any] = {'type': 'string', 'maxLength': 255}
EMPTY_LIST: dict[str, Any] = {'type': 'array', 'maxItems': 0}
EMPTY_OBJECT: dict[str, Any] = {'type': 'object', 'maxProperties': 0}
NULL: dict[str, Any] = {'type': 'null'}
IPV6_MODE: dict[str, Any] = {'enum': [*ipv6_modes.MODES, None]}

ALLOCATION_POOLS: dict[str, Any] = {
    'type': 'array', 'minItems': 1, 'maxItems': 64,
    'items': {'type': 'object', 'required': ['start', 'end'], 'additionalProperties': False,
              'properties': {'start': ADDRESS, 'end': ADDRESS}}}
DNS_NAMESERVERS: dict[str, Any] = {'type': 'array',
                                   'maxItems': subnets.MAX_DNS_NAMESERVERS,
                                   'items': ADDRESS}
HOST_ROUTES: dict[str, Any] = {
    'type': 'array', 'maxItems': 64,
    'items': {'type': 'object', 'required': ['destination', 'nexthop'],
              'additionalProperties': False,
              'properties': {'destination': ADDRESS, 'nexthop': ADDRESS}}}
GATEWAY_IP: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 64}
FIXED_IPS: dict[str, Any] = {
    'type': 'array', 'maxItems': 16,
    'items': {'type': 'object', 'additionalProperties': False,
              'properties': {'subnet_id': UUID, 'ip_address': ADDRESS}}}

ADDRESS_PAIRS: dict[str, Any] = {
    'type': 'array', 'maxItems': 64,
    'items': {'type': 'object', 'required': ['ip_address'], 'additionalProperties': False,
              'properties': {'ip_address': ADDRESS,
                             'mac_address': {'type': ['string', 'null'], 'maxLength': 32}}}}
DHCP_OPTIONS: dict[str, Any] = {
    'type': 'array', 'maxItems': 64,
    'items': {'type': 'object', 'required': ['opt_name'], 'additionalProperties': False,
              'properties': {'opt_name': {'type': 'string', 'minLength': 1, 'maxLength': 64},
                             'opt_value': {'type': ['string', 'null'], 'maxLength': 255},
                             'ip_version': {'enum': [4, 6, '4', '6']}}}}


def envelope(key: str, properties: dict[str, Any],
             required: tuple[str, ...] = ()) -> dict[str, Any]:
    """``{"<key>": {...}}`` with exactly ``properties`` allowed inside."""
    inner = {'type': 'object', 'additionalProperties': False, 'properties': properties,
             'required': list(required)}
    return {'type': 'object', 'additionalProperties': False, 'required': [key],
            'properties': {key: inner}}


_NETWORK_COMMON: dict[str, Any] = {
    'name': NAME, 'admin_state_up': BOOLEAN, 'shared': BOOLEAN, 'mtu': MTU,
    'description': DESCRIPTION, 'port_security_enabled': {'const': True},
    'router:external': BOOLEAN,
}

# Provider attributes (provider, multi-provider): their values are checked by
# nova_lite.network.segments, which names the field of a bad one.
_PROVIDER: dict[str, Any] = {
    'provider:network_type': {'type': ['string', 'null'], 'maxLength': 16},
    'provider:physical_network': {'type': ['string', 'null'], 'maxLength': 64},
    'provider:segmentation_id': {'type': ['integer', 'string', 'null']},
    'segments': {'type': ['array', 'null'], 'maxItems': 16,
                 'items': {'type': 'object', 'additionalProperties': False,
                           'properties': {
                               'provider:network_type': {'type': ['string', 'null'],
                                                         'maxLength': 16},
                               'provider:physical_network': {'type': ['string', 'null'],
                                                             'maxLength': 64},
                               'provider:segmentation_id': {
                                   'type': ['integer', 'string', 'null']}}}},
}

NETWORK_CREATE = envelope('network', {
    **_NETWORK_COMMON, 'project_id': PROJECT_ID, 'tenant_id': PROJECT_ID,
    'availability_zone_hints': EMPTY_LIST, **_PROVIDER})

NETWORK_UPDATE = envelope('network', {**_NETWORK_COMMON, **_PROVIDER})

_SUBNET_COMMON: dict[str, Any] = {
    'name': NAME, 'enable_dhcp': BOOLEAN, 'dns_nameservers': DNS_NAMESERVERS,
    'allocation_pools': ALLOCATION_POOLS, 'description': DESCRIPTION,
    'host_routes': HOST_ROUTES, 'service_types': EMPTY_LIST,
}

SUBNET_CREATE = envelope('subnet', {
    **_SUBNET_COMMON, 'network_id': UUID, 'cidr': {'type': 'string', 'maxLength': 64},
    'ip_version': {'enum': [4, 6, '4', '6']}, 'gateway_ip': GATEWAY_IP,
    'project_id': PROJECT_ID, 'tenant_id': PROJECT_ID, 'ipv6_ra_mode': IPV6_MODE,
    'ipv6_address_mode': IPV6_MODE, 'segment_id': NULL,
    'use_default_subnet_pool': {'const': False},
    'subnetpool_id': {'type': ['string', 'null'], 'maxLength': 36},
    'prefixlen': {'type': ['integer', 'string'], 'pattern': '^[0-9]{1,3}$', 'minimum': 0,
                  'maximum': 128},
    'use_default_subnetpool': BOOLEAN,
}, required=('network_id',))

SUBNET_UPDATE = envelope('subnet', {**_SUBNET_COMMON, 'gateway_ip': GATEWAY_IP})

_PORT_COMMON: dict[str, Any] = {
    'name': NAME, 'admin_state_up': BOOLEAN, 'device_id': NAME, 'device_owner': NAME,
    'binding:host_id': NAME, 'binding:vnic_type': {'const': 'normal'},
    'binding:profile': EMPTY_OBJECT, 'description': DESCRIPTION,
    'security_groups': {'type': 'array', 'maxItems': 64, 'items': UUID},
    'port_security_enabled': BOOLEAN,
    'allowed_address_pairs': ADDRESS_PAIRS, 'extra_dhcp_opts': DHCP_OPTIONS,
}

PORT_CREATE = envelope('port', {
    **_PORT_COMMON, 'network_id': UUID, 'mac_address': {'type': 'string', 'maxLength': 32},
    'fixed_ips': FIXED_IPS, 'project_id': PROJECT_ID, 'tenant_id': PROJECT_ID,
}, required=('network_id',))

PORT_UPDATE = envelope('port', {**_PORT_COMMON, 'fixed_ips': FIXED_IPS})
