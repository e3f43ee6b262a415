"""``/images``: nova's image proxy (microversions 2.1 to 2.35; 404 from 2.36).

List, detail, show and delete go to the image service with the caller's
token (the image service decides what the caller sees and may delete, as
glance does behind nova). The metadata sub-resource lives in
:mod:`nova_lite.compute.rest.image_metadata`.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, paging, query, routing, wsgi
from nova_lite.compute.rest import base, image_views, version_changes

_count: dict[str, Any] = {'type': 'string', 'pattern': '^[0-9]{1,9}$'}
images_query: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string', 'maxLength': 255},
        'status': {'type': 'string', 'maxLength': 32},
        'server': {'type': 'string', 'maxLength': 1024},
        'type': {'type': 'string', 'maxLength': 255},
        'changes-since': {'type': 'string', 'maxLength': 64},
        'minRam': _count,
        'minDisk': _count,
        'limit': _count,
        'marker': {'type': 'string', 'maxLength': 255},
    },
}


class ImagesHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._images = rest.services.image_proxy

    def routes(self) -> list[routing.Route]:
        return [
            ('GET', '/images', self.index),
            ('GET', '/images/detail', self.detail),  # before /images/{image_id}
            ('GET', '/images/{image_id}', self.show),
            ('DELETE', '/images/{image_id}', self.delete),
            ('DELETE', '/images', base.empty_id),  # DELETE /images/: no id
        ]

    def _listed(self, req: wsgi.Request, path: str,
                ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        base.removed_at(req, version_changes.PROXY_APIS_REMOVED)
        base.reject_empty_id(req)
        params = controller.read_query(req, images_query)
        request = paging.page_request(params, paging.NOVA_PAGING)
        match = image_views.matches(params)
        images = [dict(image) for image in self._images.list_images(req.context)
                  if match(image)]
        page = paging.paginate(images, request)
        links = paging.links(page, f'{self._rest.links.base_url}{path}',
                             query.decoded(req).items(), limit=request.limit)
        return page.items, ({'images_links': links} if links else {})

    def index(self, req: wsgi.Request) -> webob.Response:
        images, extra = self._listed(req, '/images')
        return wsgi.json_response(200, {
            'images': [image_views.brief(i, self._rest.links) for i in images], **extra})

    def detail(self, req: wsgi.Request) -> webob.Response:
        images, extra = self._listed(req, '/images/detail')
        return wsgi.json_response(200, {
            'images': [image_views.detail(i, self._rest.links) for i in images], **extra})

    def show(self, req: wsgi.Request, image_id: str) -> webob.Response:
        base.removed_at(req, version_changes.PROXY_APIS_REMOVED)
        image = self._images.get_image(req.context, image_id)
        return wsgi.json_response(200, {'image': image_views.detail(image, self._rest.links)})

    def delete(self, req: wsgi.Request, image_id: str) -> webob.Response:
        base.removed_at(req, version_changes.PROXY_APIS_REMOVED)
        self._images.delete_image(req.context, image_id)
        return wsgi.json_response(204)
