"""JSON schemas of the subnet pool and address scope request bodies."""

from __future__ import annotations

from typing import Any

from nova_lite.network.rest.schemas import BOOLEAN, DESCRIPTION, NAME, PROJECT_ID, envelope

# Neutron converts numeric strings; the manager checks the range.
PREFIXLEN: dict[str, Any] = {'type': ['integer', 'string'], 'pattern': '^[0-9]{1,3}$',
                             'minimum': 0, 'maximum': 128}
PREFIXES: dict[str, Any] = {'type': 'array', 'minItems': 1, 'maxItems': 256,
                            'items': {'type': 'string', 'maxLength': 64}}
QUOTA: dict[str, Any] = {'type': ['integer', 'string', 'null'], 'pattern': '^[0-9]{1,18}$',
                         'minimum': 0}
SCOPE_ID: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 36}

_POOL_COMMON: dict[str, Any] = {
    'name': NAME, 'description': DESCRIPTION, 'prefixes': PREFIXES,
    'default_prefixlen': PREFIXLEN, 'min_prefixlen': PREFIXLEN, 'max_prefixlen': PREFIXLEN,
    'default_quota': QUOTA, 'is_default': BOOLEAN, 'address_scope_id': SCOPE_ID,
}

SUBNETPOOL_CREATE = envelope('subnetpool', {
    **_POOL_COMMON, 'shared': BOOLEAN, 'project_id': PROJECT_ID, 'tenant_id': PROJECT_ID,
}, required=('prefixes',))

SUBNETPOOL_UPDATE = envelope('subnetpool', _POOL_COMMON)

PREFIX_OPS: dict[str, Any] = {
    'type': 'object', 'additionalProperties': False, 'required': ['prefixes'],
    'properties': {'prefixes': PREFIXES}}

ADDRESS_SCOPE_CREATE = envelope('address_scope', {
    'name': NAME, 'shared': BOOLEAN, 'ip_version': {'enum': [4, 6, '4', '6']},
    'project_id': PROJECT_ID, 'tenant_id': PROJECT_ID,
}, required=('ip_version',))

ADDRESS_SCOPE_UPDATE = envelope('address_scope', {'name': NAME, 'shared': BOOLEAN})
