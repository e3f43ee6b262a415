"""The JSON-schema documents of the metadefs catalog (``/v2/schemas/metadefs/...``).

The same documents validate request bodies once their read-only properties
are taken out (:func:`body_schema`): a body naming a read-only property is
refused with 403, as glance does (:func:`read_only_names`).
"""

from __future__ import annotations

import copy
from typing import Any

NAME_LENGTH = 80
# A name is a path segment of its URL (no slash); no text holds a NUL (PostgreSQL
# cannot store one).
NAME_PATTERN = '^[^/\\x00]+$'
TEXT_PATTERN = '^[^\\x00]*$'
PROPERTY_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string']


def _name(description: str) -> dict[str, Any]:
    return {'type': 'string', 'minLength': 1, 'maxLength': NAME_LENGTH,
            'pattern': NAME_PATTERN, 'description': description}


def _text(max_len: int | None, description: str) -> dict[str, Any]:
    schema: dict[str, Any] = {'type': 'string', 'pattern': TEXT_PATTERN,
                              'description': description}
    if max_len is not None:
        schema['maxLength'] = max_len
    return schema


def _read_only(description: str, **extra: Any) -> dict[str, Any]:
    return {'type': 'string', 'readOnly': True, 'description': description, **extra}


def _timestamps(what: str) -> dict[str, dict[str, Any]]:
    return {'created_at': _read_only(f'When the {what} was created.', format='date-time'),
            'updated_at': _read_only(f'When the {what} last changed.', format='date-time')}


def _links(what: str) -> dict[str, dict[str, Any]]:
    return {'self': _read_only(f'Link to this {what}.'),
            'schema': _read_only('Link to this schema.')}


_COUNT = {'type': 'integer', 'minimum': 0}
_STRINGS = {'type': 'array', 'items': {'type': 'string'}, 'uniqueItems': True}


def property_definition() -> dict[str, Any]:
    """What a property definition may say (a JSON-schema subset, as glance's)."""
    return {
        'type': 'object',
        'required': ['title', 'type'],
        'properties': {
            'name': {'type': 'string', 'maxLength': NAME_LENGTH},
            'title': {'type': 'string'},
            'description': {'type': 'string'},
            'operators': {'type': 'array', 'items': {'type': 'string'}},
            'type': {'type': 'string', 'enum': PROPERTY_TYPES},
            'required': _STRINGS,
            'minimum': {'type': 'number'},
            'maximum': {'type': 'number'},
            'maxLength': _COUNT,
            'minLength': _COUNT,
            'pattern': {'type': 'string', 'format': 'regex'},
            'enum': {'type': 'array'},
            'readonly': {'type': 'boolean'},
            'default': {},
            'items': {'type': 'object', 'properties': {
                'type': {'type': 'string', 'enum': PROPERTY_TYPES},
                'enum': {'type': 'array'}}},
            'maxItems': _COUNT,
            'minItems': _COUNT,
            'uniqueItems': {'type': 'boolean'},
            'additionalItems': {'type': 'boolean'},
        },
        'additionalProperties': False,
    }


def _definitions() -> dict[str, Any]:
    return {'property': {'type': 'object',
                         'propertyNames': {'minLength': 1, 'maxLength': NAME_LENGTH,
                                           'pattern': NAME_PATTERN},
                         'additionalProperties': property_definition()}}


_PROPERTIES_REF = {'$ref': '#/definitions/property'}


def _association_properties() -> dict[str, Any]:
    return {'name': _name('Name of the resource type.'),
            'prefix': _text(NAME_LENGTH, 'Prefix of the properties when applied to this '
                                         'resource type.'),
            'properties_target': _text(NAME_LENGTH, 'Where in the resource the properties '
                                                    'go (for some resource types).'),
            **_timestamps('association')}


def _object_properties() -> dict[str, Any]:
    return {'name': _name('Name of the object.'),
            'description': _text(None, 'What the object describes.'),
            'required': {**_STRINGS, 'description': 'Properties the object requires.'},
            'properties': _PROPERTIES_REF,
            **_timestamps('object'), **_links('object')}


def _tag_properties() -> dict[str, Any]:
    return {'name': _name('Name of the tag.'), **_timestamps('tag')}


def _member(name: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {'name': name, 'type': 'object', 'properties': properties, 'required': required,
            'additionalProperties': False, 'definitions': _definitions()}


def namespace_schema() -> dict[str, Any]:
    properties = {
        'namespace': _name('The unique name of the namespace.'),
        'display_name': _text(NAME_LENGTH, 'A user-friendly name of the namespace.'),
        'description': _text(500, 'What the namespace is for.'),
        'visibility': {'type': 'string', 'enum': ['public', 'private'],
                       'description': 'Who can see the namespace.'},
        'protected': {'type': 'boolean',
                      'description': 'A protected namespace cannot be deleted.'},
        'owner': _text(255, 'The project that owns the namespace.'),
        **_timestamps('namespace'), **_links('namespace'),
        'resource_type_associations': {
            'type': 'array',
            'items': {'type': 'object', 'properties': _association_properties(),
                      'required': ['name'], 'additionalProperties': False}},
        'properties': _PROPERTIES_REF,
        'objects': {'type': 'array',
                    'items': {'type': 'object', 'properties': _object_properties(),
                              'required': ['name'], 'additionalProperties': False}},
        'tags': {'type': 'array',
                 'items': {'type': 'object', 'properties': _tag_properties(),
                           'required': ['name'], 'additionalProperties': False}},
    }
    return _member('namespace', properties, ['namespace'])


def object_schema() -> dict[str, Any]:
    return _member('object', _object_properties(), ['name'])


def property_schema() -> dict[str, Any]:
    definition = property_definition()
    definition['properties']['name'] = _name('Name of the property.')
    return {'name': 'property', **definition, 'required': ['name', 'title', 'type'],
            'definitions': _definitions()}


def tag_schema() -> dict[str, Any]:
    return _member('tag', _tag_properties(), ['name'])


def resource_type_schema() -> dict[str, Any]:
    return _member('resource_type_association', _association_properties(), ['name'])


def _collection(name: str, member: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    items = {k: v for k, v in member.items() if k not in ('name', 'definitions')}
    return {'name': name, 'type': 'object',
            'properties': {key or name: {'type': 'array', 'items': items},
                           'schema': {'type': 'string'}, 'first': {'type': 'string'},
                           'next': {'type': 'string'}},
            'definitions': _definitions(),
            'links': [{'rel': 'first', 'href': '{first}'}, {'rel': 'next', 'href': '{next}'},
                      {'rel': 'describedby', 'href': '{schema}'}]}


def properties_schema() -> dict[str, Any]:
    return {'name': 'properties', 'type': 'object',
            'properties': {'properties': _PROPERTIES_REF, 'schema': {'type': 'string'}},
            'definitions': _definitions()}


def tags_body_schema() -> dict[str, Any]:
    """``POST /v2/metadefs/namespaces/{ns}/tags``: ``{"tags": [{"name": ...}, ...]}``."""
    tag = body_schema(tag_schema())
    return {'type': 'object', 'required': ['tags'], 'additionalProperties': False,
            'properties': {'tags': {'type': 'array', 'items': tag}}}


DOCUMENTS = {
    'namespace': namespace_schema,
    'namespaces': lambda: _collection('namespaces', namespace_schema()),
    'object': object_schema,
    'objects': lambda: _collection('objects', object_schema()),
    'property': property_schema,
    'properties': properties_schema,
    'tag': tag_schema,
    'tags': lambda: _collection('tags', tag_schema()),
    'resource_type': resource_type_schema,
    'resource_types': lambda: _collection('resource_type_associations',
                                          resource_type_schema()),
}
"""``/v2/schemas/metadefs/<key>`` -> its document."""


def read_only_names(schema: dict[str, Any]) -> set[str]:
    return {name for name, prop in schema.get('properties', {}).items()
            if isinstance(prop, dict) and prop.get('readOnly')}


def body_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` without its read-only properties (at any depth) nor its name."""
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            if isinstance(node.get('properties'), dict):
                node['properties'] = {k: v for k, v in node['properties'].items()
                                      if not (isinstance(v, dict) and v.get('readOnly'))}
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)
        return node

    stripped = strip(copy.deepcopy(schema))
    stripped.pop('name', None)
    stripped.pop('links', None)
    return stripped
