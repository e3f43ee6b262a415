"""JSON schemas of image import and tasks: request bodies and the served documents.

``import_body`` validates ``POST /v2/images/{id}/import``, ``task_create_body``
validates ``POST /v2/tasks``; ``task_schema`` and ``tasks_schema`` are the
documents at ``/v2/schemas/task`` and ``/v2/schemas/tasks``.
"""

from __future__ import annotations

from typing import Any

from nova_lite.image import importer, tasks

_UUID_LIKE = {'type': 'string', 'maxLength': 255}

IMPORT_BODY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'method': {
            'type': 'object',
            'properties': {
                'name': {'type': 'string', 'enum': list(importer.KNOWN_METHODS)},
                'uri': {'type': 'string', 'maxLength': 2048},
                'glance_image_id': _UUID_LIKE,
                'glance_region': {'type': 'string', 'maxLength': 255},
                'glance_service_interface': {'type': 'string', 'maxLength': 255},
            },
            'required': ['name'],
        },
        'stores': {'type': ['array', 'null'], 'items': {'type': 'string', 'maxLength': 255}},
        'all_stores': {'type': 'boolean'},
        'all_stores_must_succeed': {'type': 'boolean'},
    },
    'required': ['method'],
    'additionalProperties': False,
}

TASK_CREATE_BODY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'type': {'type': 'string', 'enum': ['import']},
        'input': {
            'type': 'object',
            'properties': {
                'import_from': {'type': 'string', 'maxLength': 2048},
                'import_from_format': {'type': 'string', 'maxLength': 32},
                'image_properties': {'type': 'object'},
            },
            'required': ['import_from', 'import_from_format', 'image_properties'],
        },
    },
    'required': ['type', 'input'],
    'additionalProperties': False,
}

LIST_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'limit': {'type': 'string'},
        'marker': {'type': 'string'},
        'sort_key': {'type': 'string', 'enum': list(tasks.SORT_KEYS)},
        'sort_dir': {'type': 'string', 'enum': ['asc', 'desc']},
        'status': {'type': 'string', 'enum': list(tasks.STATUSES)},
        'type': {'type': 'string', 'enum': list(tasks.TYPES)},
    },
}


def _date(description: str) -> dict[str, Any]:
    return {'type': ['null', 'string'], 'description': description}


def task_schema() -> dict[str, Any]:
    """The ``task`` schema document."""
    return {
        'name': 'task',
        'properties': {
            'id': {'type': 'string', 'description': 'An identifier for the task',
                   'pattern': '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}'
                              '-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'},
            'type': {'type': 'string', 'enum': list(tasks.TYPES),
                     'description': 'The type of task represented by this content'},
            'status': {'type': 'string', 'enum': list(tasks.STATUSES),
                       'description': 'The current status of this task'},
            'input': {'type': ['null', 'object'],
                      'description': 'The parameters required by task, JSON blob'},
            'result': {'type': ['null', 'object'],
                       'description': 'The result of current task, JSON blob'},
            'owner': {'type': ['null', 'string'], 'description': 'The project that owns '
                                                                 'the task'},
            'message': {'type': 'string', 'description': 'Human-readable informative '
                                                         'message only included when '
                                                         'appropriate (usually on failure)'},
            'image_id': {'type': 'string', 'description': 'Image associated with the task'},
            'request_id': {'type': 'string', 'description': 'Request ID of the request '
                                                            'that started the task'},
            'user_id': {'type': 'string', 'description': 'User that started the task'},
            'expires_at': _date('Datetime when this resource would be subject to removal'),
            'created_at': _date('Datetime when this resource was created'),
            'updated_at': _date('Datetime when this resource was updated'),
            'self': {'type': 'string', 'readOnly': True},
            'schema': {'type': 'string', 'readOnly': True},
        },
        'required': ['type', 'input'],
        'links': [{'rel': 'self', 'href': '{self}'},
                  {'rel': 'describedby', 'href': '{schema}'}],
    }


def tasks_schema() -> dict[str, Any]:
    """The ``tasks`` (list) schema document."""
    item = task_schema()
    for detail in ('input', 'result', 'message'):
        del item['properties'][detail]
    return {
        'name': 'tasks',
        'properties': {
            'tasks': {'type': 'array', 'items': item},
            'schema': {'type': 'string'},
            'first': {'type': 'string'},
            'next': {'type': 'string'},
        },
        'links': [{'rel': 'first', 'href': '{first}'},
                  {'rel': 'next', 'href': '{next}'},
                  {'rel': 'describedby', 'href': '{schema}'}],
    }
