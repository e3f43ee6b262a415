"""``POST /v2/images/{image_id}/actions/deactivate`` and ``.../reactivate`` (204).

A deactivated image's data can be downloaded by admins only (403 for
everyone else) until it is reactivated.
"""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.image.rest import base, policies


class ActionsController(base.ImageController):
    """Deactivates and reactivates images."""

    def routes(self) -> list[routing.Route]:
        path = '/v2/images/{image_id}/actions'
        return [('POST', f'{path}/deactivate', self.deactivate),
                ('POST', f'{path}/reactivate', self.reactivate)]

    def deactivate(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        image = self._owned_image(ctx, image_id, policies.DEACTIVATE)
        self._images.deactivate_image(ctx, image['id'])
        return wsgi.json_response(204)

    def reactivate(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        image = self._owned_image(ctx, image_id, policies.REACTIVATE)
        self._images.reactivate_image(ctx, image['id'])
        return wsgi.json_response(204)
