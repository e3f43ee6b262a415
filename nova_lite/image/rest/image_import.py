"""Interoperable image import: ``/v2/images/{id}/stage``, ``/v2/images/{id}/import``
and ``/v2/info/import``.

Staging streams the request body into the staging area (as an upload does, size
capped, never held in memory) and answers 204 with the image ``uploading``.
An import answers 202 at once with the request id the task records
(``x-openstack-request-id``); the work runs in the background.
"""

from __future__ import annotations

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.image import importer
from nova_lite.image.rest import base, image_data, import_policies, task_schemas

REQUEST_ID_HEADER = 'x-openstack-request-id'


class ImageImportController(base.ImageController):
    """Stage data, start imports, list the import methods."""

    def routes(self) -> list[routing.Route]:
        return [('PUT', '/v2/images/{image_id}/stage', self.stage),
                ('POST', '/v2/images/{image_id}/import', self.import_image),
                ('GET', '/v2/info/import', self.info_import)]

    def stage(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        if importer.GLANCE_DIRECT not in self._images.imports.enabled_methods():
            raise exception.NotFound(resource='Import method', id=importer.GLANCE_DIRECT)
        content_type = (req.content_type or '').lower()
        if content_type != image_data.DATA_MEDIA_TYPE:
            raise image_data.MediaTypeRequired(content_type=content_type or '(none)',
                                               expected=image_data.DATA_MEDIA_TYPE)
        image = self._owned_image(ctx, image_id, import_policies.STAGE_IMAGE)
        size_cap = self._conf.image.image_size_cap
        if req.content_length is not None and req.content_length > size_cap:
            raise exception.OverLimit(
                reason=f'image data exceeds the size cap of {size_cap} bytes')
        self._images.imports.stage(ctx, image['id'], image_data.body_chunks(req))
        return wsgi.json_response(204)

    def import_image(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        body = controller.read_body(req, task_schemas.IMPORT_BODY)
        image = self._owned_image(ctx, image_id, import_policies.IMPORT_IMAGE)
        self._images.imports.start_import(ctx, image['id'], body)
        return wsgi.json_response(202, headers={REQUEST_ID_HEADER: ctx.request_id})

    def info_import(self, req: wsgi.Request) -> webob.Response:
        req.context  # noqa: B018  (401 without a token, as glance)
        return wsgi.json_response(200, {'import-methods': {
            'description': 'Import methods available.', 'type': 'array',
            'value': self._images.imports.enabled_methods()}})
