"""A volume's image actions: uploading it to an image, and its image metadata.

``os-volume_upload_image`` copies an available volume to a new image and
answers 202 with cinder's ``os-volume_upload_image`` body (the volume as the
upload began, ``uploading``, and the new image's id and formats); a public
image needs the ``upload_public`` rule. ``os-set_image_metadata`` merges keys
into the volume's image metadata and answers them all,
``os-unset_image_metadata`` removes one key (404 if absent) and
``os-show_image_metadata`` answers the metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import policy, validation, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import timeutils
from nova_lite.volume import to_image, types
from nova_lite.volume.rest import policies, schemas, scope

_BOOL = {'type': ['boolean', 'string'],
         'enum': [True, False, 'true', 'false', 'True', 'False', '1', '0']}
UPLOAD: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-volume_upload_image': {
        'type': 'object',
        'properties': {
            'image_name': {'type': 'string', 'minLength': 1, 'maxLength': 255},
            'disk_format': {'type': 'string', 'enum': list(to_image.DISK_FORMATS)},
            'container_format': {'type': 'string',
                                 'enum': list(to_image.CONTAINER_FORMATS)},
            'force': _BOOL,
            'visibility': {'type': 'string', 'enum': list(to_image.VISIBILITIES)},
            'protected': _BOOL,
        },
        'required': ['image_name'],
    }},
    'required': ['os-volume_upload_image'],
}
SET_METADATA: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-set_image_metadata': schemas.METADATA},
    'required': ['os-set_image_metadata'],
}
UNSET_METADATA: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-unset_image_metadata': {
        'type': 'object',
        'properties': {'key': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
        'required': ['key'],
    }},
    'required': ['os-unset_image_metadata'],
}
SHOW_METADATA: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-show_image_metadata': {'type': ['object', 'null']}},
    'required': ['os-show_image_metadata'],
}

Action = Callable[[wsgi.Request, str, str, dict[str, Any]], webob.Response]


def _flag(value: Any) -> bool:
    return value in (True, 'true', 'True', '1')


class VolumeImageActions(scope.VolumeController):
    """The handlers of the image actions of a volume."""

    def _volume_type(self, ctx: nl_context.RequestContext,
                     name: str | None) -> dict[str, Any] | None:
        """The volume's type as the upload body shows it (None if it is not found)."""
        wanted = name or types.DEFAULT_TYPE_NAME
        for found in self._services.volumes.types.list_types(ctx):
            if wanted in (found['name'], found['id']):
                return {key: value for key, value in found.items()
                        if key != 'os-volume-type-access:is_public'}
        return None

    def upload(self, req: wsgi.Request, project_id: str, volume_id: str,
               body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.UPLOAD_IMAGE)
        validation.validate(UPLOAD, body)
        spec = body['os-volume_upload_image']
        visibility = spec.get('visibility', 'private')
        if visibility == 'public':
            self.authorizer.authorize(ctx, policies.UPLOAD_PUBLIC)
        done = self._services.volumes.uploads.upload(
            ctx, volume_id, image_name=spec['image_name'],
            disk_format=spec.get('disk_format', 'raw'),
            container_format=spec.get('container_format', 'bare'),
            visibility=visibility, protected=_flag(spec.get('protected', False)))
        return wsgi.json_response(202, {'os-volume_upload_image': {
            'id': done['id'], 'updated_at': timeutils.isotime(done['updated_at']),
            'status': done['status'], 'display_description': done['description'],
            'size': done['size'], 'volume_type': self._volume_type(ctx, done['volume_type']),
            'image_id': done['image_id'], 'image_name': done['image_name'],
            'disk_format': done['disk_format'], 'container_format': done['container_format'],
            'visibility': done['visibility'], 'protected': done['protected']}})

    def set_metadata(self, req: wsgi.Request, project_id: str, volume_id: str,
                     body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.IMAGE_METADATA_SET)
        validation.validate(SET_METADATA, body)
        metadata = self._services.volumes.image_metadata.set(
            ctx, volume_id, body['os-set_image_metadata']['metadata'])
        return wsgi.json_response(200, {'metadata': metadata})

    def unset_metadata(self, req: wsgi.Request, project_id: str, volume_id: str,
                       body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.IMAGE_METADATA_REMOVE)
        validation.validate(UNSET_METADATA, body)
        self._services.volumes.image_metadata.unset(
            ctx, volume_id, body['os-unset_image_metadata']['key'])
        return wsgi.json_response(200)

    def show_metadata(self, req: wsgi.Request, project_id: str, volume_id: str,
                      body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.IMAGE_METADATA_SHOW)
        validation.validate(SHOW_METADATA, body)
        metadata = self._services.volumes.image_metadata.get(ctx, volume_id)
        return wsgi.json_response(200, {'metadata': metadata})


def handlers(services: scope.VolumeServices,
             authorizer: policy.Authorizer) -> dict[str, Action]:
    """The actions this module handles, by the name a body gives them."""
    actions = VolumeImageActions(services, authorizer)
    return {'os-volume_upload_image': actions.upload,
            'os-set_image_metadata': actions.set_metadata,
            'os-unset_image_metadata': actions.unset_metadata,
            'os-show_image_metadata': actions.show_metadata}
