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

PROJECT_CREATE = _envelope('project', _object({
    'name': NAME, 'domain_id': NULLABLE_ID, 'description': DESCRIPTION,
    'enabled': {'type': 'boolean'}, 'is_domain': {'enum': [False, None]},
    'parent_id': NULLABLE_ID, 'tags': NO_TAGS, 'options': EMPTY_OBJECT,
}, ('name',)))

PROJECT_UPDATE = _envelope('project', _object({
    'description': DESCRIPTION, 'enabled': {'type': 'boolean'},
}))

USER_CREATE = _envelope('user', _object({
    'name': NAME, 'password': PASSWORD, 'domain_id': NULLABLE_ID,
    'default_project_id': NULLABLE_ID, 'enabled': {'type': 'boolean'},
    'options': EMPTY_OBJECT,
}, ('name', 'password')))

USER_UPDATE = _envelope('user', _object({
    'password': PASSWORD, 'default_project_id': ID, 'enabled': {'type': 'boolean'},
}))

ROLE_CREATE = _envelope('role', _object({
    'name': NAME, 'domain_id': {'type': 'null'}, 'options': EMPTY_OBJECT,
}, ('name',)))

DOMAIN_CREATE = _envelope('domain', _object({
    'name': NAME, 'description': DESCRIPTION, 'enabled': {'const': True},
    'tags': NO_TAGS, 'options': EMPTY_OBJECT,
}, ('name',)))


def query(properties: dict[str, Any]) -> dict[str, Any]:
    """A query-string schema: known parameters checked, unknown ones ignored."""
    return {'type': 'object', 'properties': properties, 'additionalProperties': True}


BOOLEAN_TEXT: dict[str, Any] = {'enum': ['true', 'True', 'false', 'False', '1', '0']}
PROJECT_QUERY = query({'name': NAME, 'domain_id': ID, 'enabled': BOOLEAN_TEXT})
USER_QUERY = query({'name': NAME, 'domain_id': ID, 'enabled': BOOLEAN_TEXT})
NAME_QUERY = query({'name': NAME})
ASSIGNMENT_QUERY = query({'user.id': ID, 'scope.project.id': ID, 'role.id': ID,
                          'scope.domain.id': ID, 'group.id': ID, 'scope.system': {}})
