"""JSON schemas of ``/v3/groups`` bodies and queries (keystone's group limits)."""

from __future__ import annotations

from typing import Any

from nova_lite.identity.rest import schemas

GROUP_CREATE: dict[str, Any] = {
    'type': 'object', 'required': ['group'], 'additionalProperties': False,
    'properties': {'group': {
        'type': 'object', 'required': ['name'], 'additionalProperties': True,
        'properties': {'name': schemas.NAME, 'domain_id': schemas.NULLABLE_ID,
                       'description': schemas.DESCRIPTION},
    }},
}

GROUP_UPDATE: dict[str, Any] = {
    'type': 'object', 'required': ['group'], 'additionalProperties': False,
    'properties': {'group': {
        'type': 'object', 'additionalProperties': True, 'minProperties': 1,
        'properties': {'name': schemas.NAME, 'description': schemas.DESCRIPTION,
                       'domain_id': {'not': {}}, 'id': {'not': {}}},
    }},
}

GROUP_QUERY = schemas.query({'name': schemas.NAME, 'domain_id': schemas.ID})
