"""``DELETE /v2/stores/{store_id}/{image_id}``: glance's delete-from-store (admins).

Removes one store's copy of an active image (204); 404 for an unknown store or
an image that store does not hold, 409 for the image's last copy.
"""

from __future__ import annotations

import webob
from oslo_policy import policy

from nova_lite.api import policy as base_policy
from nova_lite.api import routing, wsgi
from nova_lite.image.rest import base

DELETE_FROM_STORE = 'image:delete_image_location'

RULES: list[policy.RuleDefault] = [
    base_policy.rule(DELETE_FROM_STORE, base_policy.ADMIN,
                     "Delete one store's copy of an image's data.",
                     'DELETE', '/v2/stores/{store_id}/{image_id}'),
]


class StoresController(base.ImageController):
    """Per-store copies of image data."""

    def routes(self) -> list[routing.Route]:
        return [('DELETE', '/v2/stores/{store_id}/{image_id}', self.delete_from_store)]

    def delete_from_store(self, req: wsgi.Request, store_id: str,
                          image_id: str) -> webob.Response:
        ctx = req.context
        image = self._owned_image(ctx, image_id, DELETE_FROM_STORE)
        self._images.delete_from_store(ctx, store_id, image['id'])
        return wsgi.json_response(204)
