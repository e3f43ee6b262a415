"""``PUT`` and ``DELETE /v2/images/{image_id}/tags/{tag}``: one tag at a time (204)."""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.image.rest import base, policies


class TagsController(base.ImageController):
    """Adds and removes an image's tags (the owner's, as any other change)."""

    def routes(self) -> list[routing.Route]:
        path = '/v2/images/{image_id}/tags/{tag}'
        return [('PUT', path, self.add), ('DELETE', path, self.delete)]

    def add(self, req: wsgi.Request, image_id: str, tag: str) -> webob.Response:
        ctx = req.context
        image = self._owned_image(ctx, image_id, policies.MODIFY_IMAGE)
        self._images.tags.add_tag(ctx, image['id'], tag)
        return wsgi.json_response(204)

    def delete(self, req: wsgi.Request, image_id: str, tag: str) -> webob.Response:
        ctx = req.context
        image = self._owned_image(ctx, image_id, policies.MODIFY_IMAGE)
        self._images.tags.delete_tag(ctx, image['id'], tag)
        return wsgi.json_response(204)
