"""The JSON-schema documents served at ``/v2/schemas/image`` and ``/v2/schemas/images``.

The same description of an image also validates request bodies: the
writable properties give the create schema (:func:`create_body_schema`), the
read-only ones are refused with 403 as glance does (:data:`READ_ONLY`).
Extra properties are free-form strings.
"""

from __future__ import annotations

import copy
from typing import Any

from oslo_config import cfg

from nova_lite.api import validation
from nova_lite.image import manager

MAX_INT = 2 ** 31 - 1
MAX_PROPERTY_NAME = 255
MAX_PROPERTY_VALUE = 65535


def _nullable_string(max_len: int, description: str, **extra: Any) -> dict[str, Any]:
    return {'type': ['null', 'string'], 'maxLength': max_len, 'description': description,
            **extra}


def _read_only(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, 'readOnly': True}


def _count(description: str) -> dict[str, Any]:
    return {'type': 'integer', 'minimum': 0, 'maximum': MAX_INT,
            'description': description}


def _properties(conf: cfg.ConfigOpts) -> dict[str, dict[str, Any]]:
    disk_formats = [None, *conf.image.disk_formats]
    container_formats = [None, *conf.image.container_formats]
    return {
        'id': {'type': 'string', 'pattern': validation.UUID_PATTERN,
               'description': 'The UUID of the image.'},
        'name': _nullable_string(255, 'A human-readable name, not unique.'),
        'status': _read_only({'type': 'string', 'description': 'Where the image is in its '
                              'life cycle.', 'enum': ['queued', 'saving', 'active',
                                                      'killed', 'deleted',
                                                      'deactivated']}),
        'visibility': {'type': 'string', 'enum': list(manager.VISIBILITIES),
                       'description': 'Who can see the image.'},
        'protected': {'type': 'boolean',
                      'description': 'A protected image cannot be deleted.'},
        'os_hidden': {'type': 'boolean',
                      'description': 'Hidden images are left out of default listings.'},
        'checksum': _read_only(_nullable_string(32, 'MD5 of the image data (hex).')),
        'os_hash_algo': _read_only(_nullable_string(64, 'Algorithm of os_hash_value.')),
        'os_hash_value': _read_only(_nullable_string(128, 'Secure hash of the image data '
                                                          '(hex).')),
        'owner': _nullable_string(255, 'The project that owns the image.'),
        'size': _read_only({'type': ['null', 'integer'],
                            'description': 'Size of the image data in bytes.'}),
        'virtual_size': _read_only({'type': ['null', 'integer'],
                                    'description': 'Size of the disk the image describes, '
                                                   'in bytes.'}),
        'container_format': {'type': ['null', 'string'], 'enum': container_formats,
                             'description': 'Format of the container around the disk.'},
        'disk_format': {'type': ['null', 'string'], 'enum': disk_formats,
                        'description': 'Format of the disk image.'},
        'created_at': _read_only({'type': 'string', 'description': 'When the image record '
                                  'was created (ISO 8601).'}),
        'updated_at': _read_only({'type': 'string', 'description': 'When the image record '
                                  'last changed (ISO 8601).'}),
        'tags': {'type': 'array', 'maxItems': manager.MAX_TAGS,
                 'items': {'type': 'string', 'minLength': 1, 'maxLength': 255},
                 'description': 'Free-form labels.'},
        'min_ram': _count('RAM in MiB a server booted from the image needs.'),
        'min_disk': _count('Disk in GiB a server booted from the image needs.'),
        'self': _read_only({'type': 'string', 'description': 'Link to this image.'}),
        'file': _read_only({'type': 'string', 'description': 'Link to the image data.'}),
        'schema': _read_only({'type': 'string', 'description': 'Link to this schema.'}),
        'direct_url': _read_only({'type': 'string',
                                  'description': 'Not exposed by nova_lite.'}),
        'locations': _read_only({'type': 'array', 'items': {'type': 'object'},
                                 'description': 'Not exposed by nova_lite.'}),
    }


def image_schema(conf: cfg.ConfigOpts) -> dict[str, Any]:
    """The ``image`` schema document."""
    return {
        'name': 'image',
        'properties': _properties(conf),
        'additionalProperties': {'type': 'string'},
        'links': [{'rel': 'self', 'href': '{self}'},
                  {'rel': 'enclosure', 'href': '{file}'},
                  {'rel': 'describedby', 'href': '{schema}'}],
    }


def images_schema(conf: cfg.ConfigOpts) -> dict[str, Any]:
    """The ``images`` (list) schema document."""
    return {
        'name': 'images',
        'properties': {
            'images': {'type': 'array', 'items': image_schema(conf)},
            'schema': {'type': 'string'},
            'first': {'type': 'string'},
            'next': {'type': 'string'},
        },
        'links': [{'rel': 'first', 'href': '{first}'},
                  {'rel': 'next', 'href': '{next}'},
                  {'rel': 'describedby', 'href': '{schema}'}],
    }


READ_ONLY = frozenset(manager.RESERVED_NAMES - manager.CREATABLE_FIELDS)
"""Names a create body may not carry (403), including internal ones."""

READ_ONLY_AFTER_CREATE = frozenset(manager.RESERVED_NAMES - manager.UPDATABLE_FIELDS)
"""Names a patch may not touch (403)."""


def create_body_schema(conf: cfg.ConfigOpts) -> dict[str, Any]:
    """Validates ``POST /v2/images``: writable properties plus string extras.

    Extras may be null (the SDK sends null for unset properties); null extras
    are dropped.
    """
    writable = {name: copy.deepcopy(prop) for name, prop in _properties(conf).items()
                if not prop.get('readOnly')}
    return {
        'type': 'object',
        'properties': writable,
        'propertyNames': {'minLength': 1, 'maxLength': MAX_PROPERTY_NAME},
        'additionalProperties': {'type': ['string', 'null'],
                                 'maxLength': MAX_PROPERTY_VALUE},
    }


def value_schema(conf: cfg.ConfigOpts, name: str) -> dict[str, Any]:
    """Validates the value a patch gives to the property ``name``."""
    prop = _properties(conf).get(name)
    if prop is not None:
        return copy.deepcopy(prop)
    return {'type': 'string', 'maxLength': MAX_PROPERTY_VALUE}
