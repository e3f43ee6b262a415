"""The ``member`` and ``members`` JSON-schema documents, and the member request bodies."""

from __future__ import annotations

from typing import Any

from nova_lite.image import members


def member_schema() -> dict[str, Any]:
    """The ``/v2/schemas/member`` document."""
    return {
        'name': 'member',
        'properties': {
            'created_at': {'type': 'string', 'description': 'When the member was added.'},
            'updated_at': {'type': 'string',
                           'description': 'When the member last changed its status.'},
            'image_id': {'type': 'string', 'description': 'The shared image.',
                         'pattern': '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}'
                                    '-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'},
            'member_id': {'type': 'string',
                          'description': 'The project the image is shared with.'},
            'schema': {'type': 'string', 'readOnly': True},
            'status': {'type': 'string', 'enum': list(members.STATUSES),
                       'description': "The member's answer."},
        },
    }


def members_schema() -> dict[str, Any]:
    """The ``/v2/schemas/members`` document."""
    return {
        'name': 'members',
        'properties': {
            'members': {'type': 'array', 'items': member_schema()},
            'schema': {'type': 'string'},
        },
        'links': [{'rel': 'describedby', 'href': '{schema}'}],
    }


CREATE_BODY: dict[str, Any] = {
    'type': 'object',
    'properties': {'member': {'type': 'string', 'minLength': 1,
                              'maxLength': members.MAX_MEMBER_ID}},
    'required': ['member'],
}

UPDATE_BODY: dict[str, Any] = {
    'type': 'object',
    'properties': {'status': {'type': 'string', 'enum': list(members.STATUSES)}},
    'required': ['status'],
}
