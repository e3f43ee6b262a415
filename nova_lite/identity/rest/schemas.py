"""JSON schemas of the identity API's request bodies and query strings."""

from __future__ import annotations

from typing import Any

NAME: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                        'pattern': r'\S'}
ID: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 64}
NULLABLE_ID: dict[str, Any] = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 64}
DESCRIPTION: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 65535}
PASSWORD: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 4096}
EMPTY_OBJECT: dict[str, Any] = {'type': 'object', 'maxProperties': 0}
NO_TAGS: dict[str, Any] = {'type': 'array', 'maxItems': 0}


def _object(properties: dict[str, Any], required: tuple[str, ...] = (),
            **extra: Any) -> dict[str, Any]:
    return {'type': 'object', 'properties': properties, 'required': list(required),
            'additionalProperties': False, **extra}


def _envelope(key: str, inner: dict[str, Any]) -> dict[str, Any]:
    return _object({key: inner}, (key,))


def closed_envelope(key: str, properties: dict[str, Any],
                    required: tuple[str, ...] = ()) -> dict[str, Any]:
    """``{key: {...}}`` with exactly ``properties`` allowed inside (``required`` of them)."""
    return _envelope(key, _object(properties, required))


_DOMAIN_REF = _object({'id': ID, 'name': NAME}, minProperties=1)

_USER_REF = _object({'id': ID, 'name': NAME, 'domain': _DOMAIN_REF}, minProperties=1)

AUTH = _envelope('auth', _object({
    'identity': {
        'type': 'object',
        'properties': {
            'methods': {'type': 'array', 'minItems': 1, 'maxItems': 8, 'uniqueItems': True,
                        'items': {'type': 'string', 'minLength': 1, 'maxLength': 64}},
            'password': _object({'user': _object(
                {'id': ID, 'name': NAME, 'domain': _DOMAIN_REF, 'password': PASSWORD},
                ('password',))}, ('user',)),
            'token': _object({'id': {'type': 'string', 'minLength': 1,
                                     'maxLength': 8192}}, ('id',)),
            'application_credential': _object(
                {'id': ID, 'name': NAME, 'secret': PASSWORD, 'user': _USER_REF},
                ('secret',)),
        },
        'required': ['methods'],
    },
    'scope': {'oneOf': [
        _object({'project': _object({'id': ID, 'name': NAME, 'domain': _DOMAIN_REF},
                                    minProperties=1)}, ('project',)),
        _object({'system': _object({'all': {'const': True}}, ('all',))}, ('system',)),
        _object({'domain': _DOMAIN_REF}, ('domain',)),
        {'type': 'string', 'enum': ['unscoped']},
    ]},
}, ('identity',)))

# Keystone's limits: project and domain names 1-64, user and group names 1-255.
SHORT_NAME: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 64,
                              'pattern': r'\S'}
TAG: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                       'pattern': r'^[^,/]*$'}
TAGS: dict[str, Any] = {'type': 'array', 'items': TAG, 'maxItems': 80, 'uniqueItems': True}
EMAIL: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 255}


def _open_object(properties: dict[str, Any], required: tuple[str, ...] = (),
                 **extra: Any) -> dict[str, Any]:
    """An object that also takes attributes it does not name (keystone keeps them)."""
    return {**_object(properties, required, **extra), 'additionalProperties': True}


PROJECT_CREATE = _envelope('project', _object({
    'name': SHORT_NAME, 'domain_id': NULLABLE_ID, 'description': DESCRIPTION,
    'enabled': {'type': 'boolean'}, 'is_domain': {'type': ['boolean', 'null']},
    'parent_id': NULLABLE_ID, 'tags': TAGS, 'options': EMPTY_OBJECT,
}, ('name',)))

PROJECT_UPDATE = _envelope('project', _object({
    'name': SHORT_NAME, 'description': DESCRIPTION, 'enabled': {'type': 'boolean'},
    'tags': TAGS, 'options': EMPTY_OBJECT,
}, minProperties=1))

USER_CREATE = _envelope('user', _open_object({
    'name': NAME, 'password': {'type': ['string', 'null'], 'minLength': 1,
                               'maxLength': 4096},
    'domain_id': NULLABLE_ID, 'default_project_id': NULLABLE_ID,
    'enabled': {'type': 'boolean'}, 'options': EMPTY_OBJECT, 'email': EMAIL,
    'description': DESCRIPTION,
}, ('name',)))

USER_UPDATE = _envelope('user', _open_object({
    'name': NAME, 'password': {'type': ['string', 'null'], 'minLength': 1,
                               'maxLength': 4096},
    'default_project_id': NULLABLE_ID, 'enabled': {'type': 'boolean'},
    'options': EMPTY_OBJECT, 'email': EMAIL, 'description': DESCRIPTION,
    'domain_id': ID, 'id': ID,
}))

USER_PASSWORD = _envelope('user', _object({
    'password': PASSWORD, 'original_password': PASSWORD,
}, ('password', 'original_password')))

ROLE_CREATE = _envelope('role', _object({
    'name': NAME, 'domain_id': NULLABLE_ID, 'options': EMPTY_OBJECT,
}, ('name',)))

DOMAIN_CREATE = _envelope('domain', _object({
    'name': SHORT_NAME, 'description': DESCRIPTION, 'enabled': {'type': 'boolean'},
    'tags': NO_TAGS, 'options': EMPTY_OBJECT,
}, ('name',)))

DOMAIN_UPDATE = _envelope('domain', _object({
    'name': SHORT_NAME, 'description': DESCRIPTION, 'enabled': {'type': 'boolean'},
    'tags': NO_TAGS, 'options': EMPTY_OBJECT,
}))


def query(properties: dict[str, Any]) -> dict[str, Any]:
    """A query-string schema: known parameters checked, unknown ones ignored."""
    return {'type': 'object', 'properties': properties, 'additionalProperties': True}


BOOLEAN_TEXT: dict[str, Any] = {'enum': ['true', 'True', 'false', 'False', '1', '0']}
PROJECT_QUERY = query({'name': NAME, 'domain_id': ID, 'enabled': BOOLEAN_TEXT,
                       'parent_id': ID, 'is_domain': BOOLEAN_TEXT,
                       'tags': {'type': 'string'}, 'tags-any': {'type': 'string'},
                       'not-tags': {'type': 'string'}, 'not-tags-any': {'type': 'string'}})
USER_QUERY = query({'name': NAME, 'domain_id': ID, 'enabled': BOOLEAN_TEXT})
NAME_QUERY = query({'name': NAME})
ROLE_QUERY = query({'name': NAME, 'domain_id': ID})
ASSIGNMENT_QUERY = query({'user.id': ID, 'scope.project.id': ID, 'role.id': ID,
                          'scope.domain.id': ID, 'group.id': ID, 'scope.system': {},
                          'effective': {}, 'include_names': {}, 'include_subtree': {}})
