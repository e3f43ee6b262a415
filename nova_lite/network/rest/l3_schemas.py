"""JSON schemas of the router and floating IP request bodies."""

from __future__ import annotations

from typing import Any

from nova_lite.network.rest.schemas import ADDRESS, BOOLEAN, NAME, PROJECT_ID, UUID, envelope

DESCRIPTION: dict[str, Any] = {'type': 'string', 'maxLength': 255}
EXTERNAL_FIXED_IPS: dict[str, Any] = {
    'type': 'array', 'maxItems': 16,
    'items': {'type': 'object', 'additionalProperties': False,
              'properties': {'subnet_id': UUID, 'ip_address': ADDRESS}}}
GATEWAY_INFO: dict[str, Any] = {
    'type': ['object', 'null'], 'additionalProperties': False,
    'properties': {'network_id': {'type': ['string', 'null'], 'maxLength': 36},
                   'enable_snat': BOOLEAN, 'external_fixed_ips': EXTERNAL_FIXED_IPS}}
# Routes are checked by the manager (InvalidRoutes names the bad one).
ROUTES: dict[str, Any] = {'type': ['array', 'null']}

_ROUTER_COMMON: dict[str, Any] = {
    'name': NAME, 'admin_state_up': BOOLEAN, 'description': DESCRIPTION,
    'external_gateway_info': GATEWAY_INFO,
}

ROUTER_CREATE = envelope('router', {**_ROUTER_COMMON, 'project_id': PROJECT_ID,
                                    'tenant_id': PROJECT_ID})
ROUTER_UPDATE = envelope('router', {**_ROUTER_COMMON, 'routes': ROUTES})

INTERFACE: dict[str, Any] = {
    'type': 'object', 'additionalProperties': False,
    'properties': {'subnet_id': {'type': 'string', 'maxLength': 36},
                   'port_id': {'type': 'string', 'maxLength': 36}}}

_NULLABLE_ADDRESS: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 64}

FLOATINGIP_CREATE = envelope('floatingip', {
    'floating_network_id': UUID, 'port_id': {'type': ['string', 'null'], 'maxLength': 36},
    'fixed_ip_address': _NULLABLE_ADDRESS, 'floating_ip_address': _NULLABLE_ADDRESS,
    'subnet_id': {'type': ['string', 'null'], 'maxLength': 36}, 'description': DESCRIPTION,
    'project_id': PROJECT_ID, 'tenant_id': PROJECT_ID,
}, required=('floating_network_id',))

FLOATINGIP_UPDATE = envelope('floatingip', {
    'port_id': {'type': ['string', 'null'], 'maxLength': 36},
    'fixed_ip_address': _NULLABLE_ADDRESS, 'description': DESCRIPTION})
