"""``/v2/cache``: glance's image cache management (Image API 2.14).

``GET /v2/cache`` lists the cached images (``image_id``, ``hits``,
``last_accessed``, ``last_modified``, ``size``) and the queued ids;
``PUT /v2/cache/{image_id}`` queues an active image for the prefetcher (202);
``DELETE /v2/cache/{image_id}`` removes one image from the cache and the queue
(204) and ``DELETE /v2/cache`` clears them, as the ``x-image-cache-clear-target``
header says (``cache``, ``queue``, ``both`` or absent for both; 204). Admin
only; 404 when ``[image] image_cache_dir`` is empty.
"""

from __future__ import annotations

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.image.rest import base, cache_policies

CLEAR_TARGET_HEADER = 'x-image-cache-clear-target'


class CacheController(base.ImageController):
    """The cache of the image API host answering."""

    def routes(self) -> list[routing.Route]:
        return [('GET', '/v2/cache', self.index),
                ('DELETE', '/v2/cache', self.clear),
                ('PUT', '/v2/cache/{image_id}', self.queue),
                ('DELETE', '/v2/cache/{image_id}', self.delete)]

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, cache_policies.CACHE_LIST)
        return wsgi.json_response(200, self._images.cache.state())

    def queue(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, cache_policies.CACHE_IMAGE)
        self._images.cache.queue(self._images.get_image(ctx, image_id))
        return wsgi.json_response(202)

    def delete(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, cache_policies.CACHE_DELETE)
        cache = self._images.cache
        try:
            image_id = self._images.get_image(ctx, image_id)['id']
        except exception.NotFound:
            # A deleted image may still linger in another host's queue: glance
            # answers 404 only when the id is neither an image nor in the cache.
            if not cache.is_known(image_id):
                raise
        cache.delete(image_id)
        return wsgi.json_response(204)

    def clear(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, cache_policies.CACHE_DELETE)
        target = req.headers.get(CLEAR_TARGET_HEADER, '').strip().lower() or 'both'
        self._images.cache.clear(target)
        return wsgi.json_response(204)
