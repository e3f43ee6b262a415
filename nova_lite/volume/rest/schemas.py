"""JSON schemas of the block storage API's request bodies and list queries.

Clients send every optional field of a create, most as ``null``; null means
absent. Sources nova_lite cannot create from (snapshots, other volumes,
images, backups, groups) are accepted only as null.
"""

from __future__ import annotations

from typing import Any

_TEXT = {'type': ['string', 'null'], 'maxLength': 255}
_REFERENCE = {'type': ['string', 'null'], 'maxLength': 255}
_METADATA = {
    'type': ['object', 'null'], 'maxProperties': 128,
    'propertyNames': {'minLength': 1, 'maxLength': 255},
    'additionalProperties': {'type': 'string', 'maxLength': 255},
}

# Field -> what a volume would be created from; any non-null value is a 400.
UNSUPPORTED_SOURCES = {
    'snapshot_id': 'a snapshot', 'source_volid': 'another volume',
    'backup_id': 'a backup',
    'consistencygroup_id': 'a consistency group', 'group_id': 'a group',
}

CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'volume': {
            'type': 'object',
            'properties': {
                # An integer, or a string of digits as cinder also accepts.
                'size': {'type': ['integer', 'string', 'null'],
                         'pattern': '^[0-9]{1,20}$', 'minimum': 1},
                'name': _TEXT, 'description': _TEXT,
                'display_name': _TEXT, 'display_description': _TEXT,
                'metadata': _METADATA,
                'volume_type': _TEXT, 'availability_zone': _TEXT,
                'multiattach': {'type': ['boolean', 'null']},
                # An image to write into the new volume (from_image); imageRef wins.
                'imageRef': _REFERENCE, 'image_id': _REFERENCE,
                **{field: _REFERENCE for field in UNSUPPORTED_SOURCES},
            },
            # size may be left out only for a copy (snapshot_id / source_volid).
            'additionalProperties': False,
        },
        'OS-SCH-HNT:scheduler_hints': {'type': ['object', 'null']},
    },
    'required': ['volume'],
    'additionalProperties': False,
}

UPDATE: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'volume': {
            'type': 'object',
            'properties': {
                'name': _TEXT, 'description': _TEXT,
                'display_name': _TEXT, 'display_description': _TEXT,
                'metadata': _METADATA,
            },
            'minProperties': 1,
            'additionalProperties': False,
        },
    },
    'required': ['volume'],
    'additionalProperties': False,
}

METADATA: dict[str, Any] = {
    'type': 'object',
    'properties': {'metadata': {**_METADATA, 'type': 'object'}},
    'required': ['metadata'],
    'additionalProperties': False,
}

METADATA_ITEM: dict[str, Any] = {
    'type': 'object',
    'properties': {'meta': {**_METADATA, 'type': 'object', 'minProperties': 1,
                            'maxProperties': 1}},
    'required': ['meta'],
    'additionalProperties': False,
}

LIST_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string', 'maxLength': 255},
        'status': {'type': 'string', 'maxLength': 64},  # unknown ones match nothing
        'all_tenants': {'type': 'string', 'maxLength': 16},
        'limit': {'type': 'string', 'pattern': '^[0-9]{1,9}$'},
        'marker': {'type': 'string', 'maxLength': 64},
        'project_id': {'type': 'string', 'maxLength': 64},
        'user_id': {'type': 'string', 'maxLength': 64},
        'sort': {'type': 'string', 'maxLength': 255},
        'sort_key': {'type': 'string', 'maxLength': 255},
        'sort_dir': {'enum': ['asc', 'desc']},
    },
}

# POST /volumes/{id}/action with os-set_bootable (rest/volume_actions.py).
ACTION: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'os-set_bootable': {
            'type': 'object',
            'properties': {'bootable': {'type': ['boolean', 'string']}},
            'required': ['bootable'],
            'additionalProperties': False,
        },
    },
    'required': ['os-set_bootable'],
    'additionalProperties': False,
}
