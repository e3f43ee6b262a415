"""``/types/{type_id}/encryption``: a volume type's encryption (admin-only by policy).

As in cinder, showing the encryption of an unencrypted type answers ``{}``,
the ``{encryption_id}`` in the update and delete URLs is not looked at (a type
has one encryption), and ``/encryption/{key}`` shows one field.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.volume import type_encryption
from nova_lite.volume.rest import policies, scope

_FIELDS: dict[str, Any] = {
    'provider': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    'cipher': {'type': ['string', 'null'], 'maxLength': 255},
    # An integer, or a string of digits as cinder also accepts.
    'key_size': {'type': ['integer', 'string', 'null'], 'pattern': '^[0-9]{1,9}$',
                 'minimum': 0, 'maximum': 999999999},
    'control_location': {'type': 'string',
                         'enum': list(type_encryption.CONTROL_LOCATIONS)},
}
CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'encryption': {
        'type': 'object', 'properties': _FIELDS, 'additionalProperties': False,
        'required': ['provider', 'control_location'],
    }},
    'required': ['encryption'],
    'additionalProperties': False,
}
UPDATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'encryption': {
        'type': 'object', 'properties': _FIELDS, 'additionalProperties': False,
        'minProperties': 1,
    }},
    'required': ['encryption'],
    'additionalProperties': False,
}


def _values(body: dict[str, Any]) -> dict[str, Any]:
    values = dict(body['encryption'])
    if isinstance(values.get('key_size'), str):
        values['key_size'] = int(values['key_size'])
    return values


class TypeEncryptionController(scope.VolumeController):
    """Encryption of volume types through the volume manager."""

    @property
    def _store(self) -> type_encryption.TypeEncryptions:
        return self._services.volumes.type_encryption

    def index(self, req: wsgi.Request, project_id: str, type_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.ENCRYPTION_GET)
        return wsgi.json_response(200, self._store.get(ctx, type_id))

    def show(self, req: wsgi.Request, project_id: str, type_id: str,
             key: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.ENCRYPTION_GET)
        encryption = self._store.get(ctx, type_id)
        if key not in encryption:
            raise exception.NotFound(resource='Volume type encryption field', id=key)
        return wsgi.json_response(200, {key: encryption[key]})

    def create(self, req: wsgi.Request, project_id: str, type_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.ENCRYPTION_CREATE)
        values = _values(controller.read_body(req, CREATE))
        created = self._store.create(ctx, type_id, values)
        return wsgi.json_response(200, {'encryption': created})

    def update(self, req: wsgi.Request, project_id: str, type_id: str,
               encryption_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.ENCRYPTION_UPDATE)
        values = _values(controller.read_body(req, UPDATE))
        updated = self._store.update(ctx, type_id, values)
        return wsgi.json_response(200, {'encryption': updated})

    def delete(self, req: wsgi.Request, project_id: str, type_id: str,
               encryption_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.ENCRYPTION_DELETE)
        self._store.delete(ctx, type_id)
        return wsgi.json_response(202)


def routes(encryption: TypeEncryptionController) -> list[routing.Route]:
    base = '/types/{type_id}/encryption'
    return [
        ('GET', base, encryption.index),
        ('POST', base, encryption.create),
        ('GET', base + '/{key}', encryption.show),
        ('PUT', base + '/{encryption_id}', encryption.update),
        ('DELETE', base + '/{encryption_id}', encryption.delete),
    ]
