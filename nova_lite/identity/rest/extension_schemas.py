"""JSON schemas of the identity extensions' request bodies (policies, endpoint
groups, OAuth1 consumers, domain configuration)."""

from __future__ import annotations

from typing import Any

from nova_lite.identity.rest.schemas import DESCRIPTION, NAME

_TYPE: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_BLOB: dict[str, Any] = {'type': 'string'}
_FILTERS: dict[str, Any] = {'type': 'object', 'minProperties': 1}


def _envelope(key: str, properties: dict[str, Any], required: tuple[str, ...] = (),
              **extra: Any) -> dict[str, Any]:
    inner = {'type': 'object', 'properties': properties, 'required': list(required),
             'additionalProperties': False, **extra}
    return {'type': 'object', 'properties': {key: inner}, 'required': [key],
            'additionalProperties': False}


POLICY_CREATE = _envelope('policy', {'type': _TYPE, 'blob': _BLOB}, ('type', 'blob'))
POLICY_UPDATE = _envelope('policy', {'type': _TYPE, 'blob': _BLOB}, minProperties=1)

ENDPOINT_GROUP_CREATE = _envelope(
    'endpoint_group', {'name': NAME, 'description': DESCRIPTION, 'filters': _FILTERS},
    ('name', 'filters'))
ENDPOINT_GROUP_UPDATE = _envelope(
    'endpoint_group', {'name': NAME, 'description': DESCRIPTION, 'filters': _FILTERS},
    minProperties=1)

# A consumer's secret is made by the server and cannot be changed.
CONSUMER = _envelope('consumer', {'description': DESCRIPTION})

DOMAIN_CONFIG: dict[str, Any] = {
    'type': 'object', 'properties': {'config': {'type': 'object'}}, 'required': ['config'],
    'additionalProperties': False}

POLICY_QUERY: dict[str, Any] = {'type': 'object', 'properties': {'type': _TYPE},
                                'additionalProperties': True}
NAME_QUERY: dict[str, Any] = {'type': 'object', 'properties': {'name': NAME},
                              'additionalProperties': True}
