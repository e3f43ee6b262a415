"""``/images/{id}/metadata``: an image's extra properties through nova's proxy.

Microversions 2.1 to 2.38 (404 from 2.39, as nova). GET lists them, PUT
replaces them all, POST merges; ``/metadata/{key}`` reads, sets (PUT) or
removes (DELETE) one. Changes go to the image service with the caller's
token, so only the image's owner (or an admin) may make them.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import base, image_views, version_changes

MAX_ITEMS = 128  # nova's default metadata_items quota

_key: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_value: dict[str, Any] = {'type': 'string', 'maxLength': 255}
_items: dict[str, Any] = {'type': 'object', 'propertyNames': _key,
                          'additionalProperties': _value}
metadata_request: dict[str, Any] = {
    'type': 'object', 'properties': {'metadata': _items},
    'required': ['metadata'], 'additionalProperties': False}
meta_item_request: dict[str, Any] = {
    'type': 'object', 'properties': {'meta': {**_items, 'minProperties': 1}},
    'required': ['meta'], 'additionalProperties': False}


class ImageMetadataHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._images = rest.services.image_proxy

    def routes(self) -> list[routing.Route]:
        path = '/images/{image_id}/metadata'
        return [
            ('GET', path, self.index),
            ('PUT', path, self.replace),
            ('POST', path, self.merge),
            ('GET', f'{path}/{{key}}', self.show),
            ('PUT', f'{path}/{{key}}', self.set_item),
            ('DELETE', f'{path}/{{key}}', self.delete),
        ]

    def _metadata(self, req: wsgi.Request, image_id: str) -> dict[str, Any]:
        base.removed_at(req, version_changes.IMAGE_META_PROXY_REMOVED)
        return image_views.metadata(self._images.get_image(req.context, image_id))

    def _update(self, req: wsgi.Request, image_id: str,
                changes: dict[str, Any]) -> dict[str, Any]:
        image = self._images.update_image(req.context, image_id, **changes)
        return image_views.metadata(image)

    @staticmethod
    def _check_count(metadata: dict[str, Any]) -> None:
        if len(metadata) > MAX_ITEMS:
            raise exception.Forbidden(
                f'Quota exceeded for metadata items: at most {MAX_ITEMS} allowed.')

    def index(self, req: wsgi.Request, image_id: str) -> webob.Response:
        return wsgi.json_response(200, {'metadata': self._metadata(req, image_id)})

    def replace(self, req: wsgi.Request, image_id: str) -> webob.Response:
        current = self._metadata(req, image_id)
        wanted = controller.read_body(req, metadata_request)['metadata']
        self._check_count(wanted)
        changes = {**{key: None for key in current if key not in wanted}, **wanted}
        return wsgi.json_response(200, {'metadata': self._update(req, image_id, changes)})

    def merge(self, req: wsgi.Request, image_id: str) -> webob.Response:
        current = self._metadata(req, image_id)
        wanted = controller.read_body(req, metadata_request)['metadata']
        self._check_count({**current, **wanted})
        return wsgi.json_response(200, {'metadata': self._update(req, image_id, wanted)})

    def show(self, req: wsgi.Request, image_id: str, key: str) -> webob.Response:
        metadata = self._metadata(req, image_id)
        if key not in metadata:
            raise exception.NotFound(resource='Image metadata key', id=key)
        return wsgi.json_response(200, {'meta': {key: metadata[key]}})

    def set_item(self, req: wsgi.Request, image_id: str, key: str) -> webob.Response:
        current = self._metadata(req, image_id)
        meta = controller.read_body(req, meta_item_request)['meta']
        if len(meta) > 1:
            raise exception.Invalid(reason='Request body contains too many items.')
        if key not in meta:
            raise exception.Invalid(reason='Request body and URI mismatch.')
        self._check_count({**current, **meta})
        updated = self._update(req, image_id, meta)
        return wsgi.json_response(200, {'meta': {key: updated.get(key, meta[key])}})

    def delete(self, req: wsgi.Request, image_id: str, key: str) -> webob.Response:
        if key not in self._metadata(req, image_id):
            raise exception.NotFound(resource='Image metadata key', id=key)
        self._update(req, image_id, {key: None})
        return wsgi.json_response(204)
